// Question: Which datasets are used (or introduced) by the most papers?
// Parameters:
//   $limit  most rows to return (default 20)
// Example: kgraph query -f queries/top_datasets.cypher -p limit=10
MATCH (p:Paper)-[:USES_DATASET|PROPOSES]->(d:Dataset)
RETURN d.name AS dataset, d.key AS key, count(DISTINCT p) AS papers
ORDER BY papers DESC, dataset, key
LIMIT $limit
