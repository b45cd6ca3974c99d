// Question: Which papers use (or introduce) a dataset, most mentions first?
// Parameters:
//   $dataset  dataset name, any case, or its merge key (default "COCO")
//   $limit    most rows to return (default 50)
// Example: kgraph query -f queries/papers_using_dataset.cypher -p dataset=ImageNet
MATCH (p:Paper)-[r:USES_DATASET|PROPOSES]->(d:Dataset)
WHERE toLower(d.name) = toLower($dataset) OR d.key = $dataset
RETURN p.id AS paper, p.title AS title, d.name AS dataset, r.count AS mentions
ORDER BY mentions DESC, paper, dataset
LIMIT $limit
