// Question: Which methods are evaluated on a dataset, and with which metrics?
//   One row per (method, metric): papers that use the dataset, use or propose the
//   method and report the metric.
// Parameters:
//   $dataset  dataset name, any case, or its merge key (default "ImageNet")
//   $limit    most rows to return (default 30)
// Example: kgraph query -f queries/methods_on_dataset.cypher -p dataset=COCO
MATCH (d:Dataset)<-[:USES_DATASET|PROPOSES]-(p:Paper)-[:USES_METHOD|PROPOSES]->(m:Method),
      (p)-[:EVALUATES_WITH]->(x:Metric)
WHERE toLower(d.name) = toLower($dataset) OR d.key = $dataset
RETURN m.name AS method, x.name AS metric, count(DISTINCT p) AS papers
ORDER BY papers DESC, method, metric
LIMIT $limit
