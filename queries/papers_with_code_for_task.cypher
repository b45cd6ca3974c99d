// Question: Which papers on a task link to their code, and where is it?
// Parameters:
//   $task   task name, any case, or its merge key (default "semantic segmentation")
//   $limit  most rows to return (default 50)
// Example: kgraph query -f queries/papers_with_code_for_task.cypher -p task="object detection"
MATCH (t:Task)<-[:ADDRESSES]-(p:Paper)-[:HAS_CODE]->(r:Repository)
WHERE toLower(t.name) = toLower($task) OR t.key = $task
RETURN p.id AS paper, p.title AS title, r.name AS repository
ORDER BY paper, repository
LIMIT $limit
