// Question: Which papers are most related to a given paper, by the weight of the
//   entities they share (SHARES_ENTITY: the sum of idf = log(N / df) over them)?
// Parameters:
//   $paper  id of the paper (default "t731c177e0fc0")
//   $limit  most rows to return (default 20)
// Example: kgraph query -f queries/related_papers.cypher -p paper=t731c177e0fc0 -p limit=5
MATCH (p:Paper {id: $paper})-[s:SHARES_ENTITY]-(other:Paper)
RETURN other.id AS paper, other.title AS title, s.weight AS weight, size(s.shared) AS shared
ORDER BY weight DESC, paper
LIMIT $limit
