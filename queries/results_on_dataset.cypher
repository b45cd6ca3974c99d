// Question: What are the best results reported on a dataset for a metric, by which papers and methods?
// Parameters:
//   $dataset          dataset name, any case, or its merge key (default "ImageNet-1K")
//   $metric           metric name, any case, or its merge key (default "top-1 accuracy")
//   $lower_is_better  true for metrics where smaller is better, such as FID or error
//                     rates: the smallest values come first (default false)
//   $limit            most rows to return (default 20)
// Example: kgraph query -f queries/results_on_dataset.cypher -p dataset=COCO -p "metric=box AP"
MATCH (p:Paper)-[r:REPORTS]->(d:Dataset)
WHERE (toLower(d.name) = toLower($dataset) OR d.key = $dataset)
  AND (toLower(r.metric) = toLower($metric) OR r.metric_key = $metric)
  AND r.kind = 'absolute'
RETURN p.id AS paper, p.title AS title, r.method AS method, r.value AS value, r.unit AS unit,
       r.span_start AS position,
       CASE WHEN $lower_is_better THEN -r.value ELSE r.value END AS score
ORDER BY score DESC, paper, position
LIMIT $limit
