RETURN {`#total`: COUNT { MATCH (n3:Person) WHERE ((EXISTS { (n3)-[:DIRECTED]->(:Movie) } AND EXISTS { (n3)-[:ACTED_IN|DIRECTED]->(:Movie)-[:IN_GENRE]->(:Genre {name: $w1_0}) }) OR (n3.name IN $w1_1 AND (n3.personId <> $w1_2 AND EXISTS { (n3)-[:ACTED_IN]->(w1_v1:Movie) WHERE EXISTS { (w1_v1)<-[:ACTED_IN]-(:Person {personId: $w1_2}) } }))) }, `#first`: $p3, `#backward`: false, `#order`: $p4, `#outside`: false, `#keys`: null, `edges`: 
  COLLECT { MATCH (n5:Person) WHERE ((EXISTS { (n5)-[:DIRECTED]->(:Movie) } AND EXISTS { (n5)-[:ACTED_IN|DIRECTED]->(:Movie)-[:IN_GENRE]->(:Genre {name: $w1_0}) }) OR (n5.name IN $w1_1 AND (n5.personId <> $w1_2 AND EXISTS { (n5)-[:ACTED_IN]->(w1_v1:Movie) WHERE EXISTS { (w1_v1)<-[:ACTED_IN]-(:Person {personId: $w1_2}) } }))) WITH n5 ORDER BY COUNT { (n5)-[:ACTED_IN|DIRECTED]->(:Movie) } IS NULL ASC, COUNT { (n5)-[:ACTED_IN|DIRECTED]->(:Movie) } DESC, n5.personId ASC LIMIT $p5 RETURN {`node`: {`name`: n5.name}} }} AS this

// params
{
  "p3": 5,
  "p4": "4ufbvb",
  "p5": 5,
  "w1_0": "Film-Noir",
  "w1_1": [
    "Meg Ryan",
    "Tim Allen"
  ],
  "w1_2": 15878
}
