// Question: Which papers share datasets with a given paper, ranked by how many they share?
//   A dataset counts when a paper uses it or introduces it.
// Parameters:
//   $paper  id of the paper (default "t731c177e0fc0")
//   $limit  most rows to return (default 20)
// Example: kgraph query -f queries/papers_sharing_datasets.cypher -p paper=t731c177e0fc0
MATCH (p:Paper {id: $paper})-[:USES_DATASET|PROPOSES]->(d:Dataset)<-[:USES_DATASET|PROPOSES]-(other:Paper)
WHERE other.id <> p.id
RETURN other.id AS paper, other.title AS title, count(DISTINCT d) AS shared
ORDER BY shared DESC, paper
LIMIT $limit
