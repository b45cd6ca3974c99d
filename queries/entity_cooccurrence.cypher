// Question: Which methods and datasets occur together in papers most often?
//   A pair counts once per paper that names both (used or proposed).
// Parameters:
//   $min_papers  least number of papers a pair must share (default 2)
//   $limit       most rows to return (default 25)
// Example: kgraph query -f queries/entity_cooccurrence.cypher -p min_papers=3
MATCH (m:Method)<-[:USES_METHOD|PROPOSES]-(p:Paper)-[:USES_DATASET|PROPOSES]->(d:Dataset)
WITH m, d, count(DISTINCT p) AS papers
WHERE papers >= $min_papers
RETURN m.name AS method, d.name AS dataset, papers
ORDER BY papers DESC, method, dataset
LIMIT $limit
