RETURN {`#total`: COUNT { MATCH (n3:Person) WHERE ((EXISTS { (n3)-[:DIRECTED]->(:Movie) } AND EXISTS { (n3)-[:ACTED_IN|DIRECTED]->(:Movie)-[:IN_GENRE]->(:Genre {name: $w1_0}) }) OR (n3.name IN $w1_1 AND EXISTS { (n3)-[:ACTED_IN]->(:Movie)<-[:ACTED_IN]-(w1_v1:Person {personId: $w1_2}) WHERE w1_v1 <> n3 })) }, `#offset`: $p3, `#first`: $p4, `edges`: 
  COLLECT { MATCH (n5:Person) WHERE ((EXISTS { (n5)-[:DIRECTED]->(:Movie) } AND EXISTS { (n5)-[:ACTED_IN|DIRECTED]->(:Movie)-[:IN_GENRE]->(:Genre {name: $w1_0}) }) OR (n5.name IN $w1_1 AND EXISTS { (n5)-[:ACTED_IN]->(:Movie)<-[:ACTED_IN]-(w1_v1:Person {personId: $w1_2}) WHERE w1_v1 <> n5 })) WITH n5 ORDER BY COUNT { (n5)-[:ACTED_IN|DIRECTED]->(:Movie) } IS NULL, COUNT { (n5)-[:ACTED_IN|DIRECTED]->(:Movie) } DESC, n5.personId SKIP $p3 LIMIT $p4 RETURN {`node`: {`#key`: n5.personId, `name`: n5.name}} }} AS this

// params
{
  "p3": 0,
  "p4": 5,
  "w1_0": "Film-Noir",
  "w1_1": [
    "Meg Ryan",
    "Tim Allen"
  ],
  "w1_2": 15878
}
