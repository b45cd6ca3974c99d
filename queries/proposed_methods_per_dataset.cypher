// Question: Which new methods were proposed on each dataset (by papers that use or
//   introduce it)? Most-used datasets first.
// Parameters:
//   $limit  most rows to return (default 50)
// Example: kgraph query -f queries/proposed_methods_per_dataset.cypher -p limit=100
MATCH (user:Paper)-[:USES_DATASET|PROPOSES]->(d:Dataset)
WITH d, count(DISTINCT user) AS dataset_papers
MATCH (d)<-[:USES_DATASET|PROPOSES]-(p:Paper)-[:PROPOSES]->(m:Method)
RETURN d.name AS dataset, dataset_papers, m.name AS method, p.id AS paper
ORDER BY dataset_papers DESC, dataset, method, paper
LIMIT $limit
