// Question: Which papers link to no code repository?
// Parameters:
//   $limit  most rows to return (default 50)
// Example: kgraph query -f queries/papers_without_code.cypher -p limit=500
MATCH (p:Paper)
OPTIONAL MATCH (p)-[:HAS_CODE]->(r:Repository)
WITH p, count(r) AS repositories
WHERE repositories = 0
RETURN p.id AS paper, p.title AS title
ORDER BY paper
LIMIT $limit
