// Question: Which other datasets appear in the same papers as a given dataset?
// Parameters:
//   $dataset  dataset name, any case, or its merge key (default "COCO")
//   $limit    most rows to return (default 20)
// Example: kgraph query -f queries/datasets_used_with.cypher -p dataset=ImageNet
MATCH (d:Dataset)<-[:USES_DATASET|PROPOSES]-(p:Paper)-[:USES_DATASET|PROPOSES]->(other:Dataset)
WHERE (toLower(d.name) = toLower($dataset) OR d.key = $dataset) AND other.key <> d.key
RETURN other.name AS dataset, other.key AS key, count(DISTINCT p) AS papers
ORDER BY papers DESC, dataset, key
LIMIT $limit
