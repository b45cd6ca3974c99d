// Question: Which entities (datasets, methods, metrics, tasks, code) do two papers
//   share? Each is a path of length two: paper, entity, paper.
// Parameters:
//   $source  id of the first paper (default "t731c177e0fc0")
//   $target  id of the second paper (default "t1fda0cdee1ec")
//   $limit   most rows to return (default 50)
// Example: kgraph query -f queries/shared_entities.cypher -p source=t731c177e0fc0 -p target=t1fda0cdee1ec
MATCH (a:Paper {id: $source})-[:USES_DATASET|USES_METHOD|PROPOSES|EVALUATES_WITH|ADDRESSES|HAS_CODE]->(e)
      <-[:USES_DATASET|USES_METHOD|PROPOSES|EVALUATES_WITH|ADDRESSES|HAS_CODE]-(b:Paper {id: $target})
WHERE a.id <> b.id
RETURN e.name AS entity, e.key AS key
ORDER BY entity, key
LIMIT $limit
