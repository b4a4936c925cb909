RETURN {`#total`: COUNT { MATCH (:Genre {name: $p0})<-[:IN_GENRE]-(:Movie)<-[:ACTED_IN|DIRECTED]-(n3:Person) WHERE n3.name STARTS WITH $w1_0 RETURN DISTINCT n3 }, `#first`: $p2, `#backward`: false, `#order`: $p3, `#outside`: false, `#keys`: null, `edges`: 
  COLLECT { MATCH (:Genre {name: $p0})<-[:IN_GENRE]-(:Movie)<-[:ACTED_IN|DIRECTED]-(n5:Person) WHERE n5.name STARTS WITH $w1_0 WITH DISTINCT n5 ORDER BY n5.name IS NULL ASC, n5.name ASC, n5.personId ASC LIMIT $p4 RETURN {`node`: {`name`: n5.name}} }} AS this

// params
{
  "p0": "Film-Noir",
  "p2": 5,
  "p3": "v0soen",
  "p4": 5,
  "w1_0": "J"
}
