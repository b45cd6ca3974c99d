// Question: Which methods are used (or proposed) by the most papers?
// Parameters:
//   $limit  most rows to return (default 20)
// Example: kgraph query -f queries/top_methods.cypher -p limit=10
MATCH (p:Paper)-[:USES_METHOD|PROPOSES]->(m:Method)
RETURN m.name AS method, m.key AS key, count(DISTINCT p) AS papers
ORDER BY papers DESC, method, key
LIMIT $limit
