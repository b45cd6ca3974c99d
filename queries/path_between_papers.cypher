// Question: How are two papers connected through one intermediate paper?
//   Paths of fixed length four: source, entity, paper, entity, target, where each
//   step is a dataset, method, metric, task or repository the two papers around it
//   share. For entities the two papers share directly, see shared_entities.cypher.
// Parameters:
//   $source  id of the first paper (default "t731c177e0fc0")
//   $target  id of the second paper (default "t38b8eff1a4e3")
//   $limit   most rows to return (default 25)
// Example: kgraph query -f queries/path_between_papers.cypher -p source=t731c177e0fc0 -p target=t38b8eff1a4e3
MATCH (a:Paper {id: $source})-[:USES_DATASET|USES_METHOD|PROPOSES|EVALUATES_WITH|ADDRESSES|HAS_CODE]->(e1)
      <-[:USES_DATASET|USES_METHOD|PROPOSES|EVALUATES_WITH|ADDRESSES|HAS_CODE]-(c:Paper)
      -[:USES_DATASET|USES_METHOD|PROPOSES|EVALUATES_WITH|ADDRESSES|HAS_CODE]->(e2)
      <-[:USES_DATASET|USES_METHOD|PROPOSES|EVALUATES_WITH|ADDRESSES|HAS_CODE]-(b:Paper {id: $target})
WHERE a.id <> b.id AND c.id <> a.id AND c.id <> b.id AND e1 <> e2
RETURN e1.name AS first_entity, c.id AS via_paper, c.title AS via_title, e2.name AS second_entity
ORDER BY first_entity, via_paper, second_entity, via_title
LIMIT $limit
