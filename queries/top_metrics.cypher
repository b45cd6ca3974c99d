// Question: Which evaluation metrics do the most papers report?
// Parameters:
//   $limit  most rows to return (default 20)
// Example: kgraph query -f queries/top_metrics.cypher -p limit=10
MATCH (p:Paper)-[:EVALUATES_WITH]->(m:Metric)
RETURN m.name AS metric, m.key AS key, count(DISTINCT p) AS papers
ORDER BY papers DESC, metric, key
LIMIT $limit
