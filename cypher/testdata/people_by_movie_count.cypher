RETURN {`#total`: COUNT { MATCH (n2:Person) WHERE toLower(n2.name) CONTAINS $p0 }, `#first`: $p1, `#backward`: false, `#order`: $p2, `#outside`: false, `#keys`: null, `edges`: 
  COLLECT { MATCH (n4:Person) WHERE toLower(n4.name) CONTAINS $p0 WITH n4 ORDER BY COUNT { (n4)-[:ACTED_IN|DIRECTED]->(:Movie) } IS NULL ASC, COUNT { (n4)-[:ACTED_IN|DIRECTED]->(:Movie) } DESC, n4.personId ASC LIMIT $p4 RETURN {`node`: {`name`: n4.name, `coStars`: 
  COLLECT { WITH 
  COLLECT { MATCH (n4)-[:ACTED_IN|DIRECTED]->(m8:Movie) RETURN DISTINCT m8 } AS films7 MATCH (n4)-[:ACTED_IN|DIRECTED]->(:Movie)<-[:ACTED_IN]-(n5:Person) WHERE n5 <> n4 WITH DISTINCT n5, films7 WITH n5, COUNT { (n5)-[:ACTED_IN]->(m9) WHERE m9 IN films7 } AS shared6 ORDER BY shared6 DESC, n5.name, n5.personId LIMIT $p3 RETURN {`sharedMovies`: shared6, `person`: {`name`: n5.name}} }}} }} AS this

// params
{
  "p0": "mulligan",
  "p1": 3,
  "p2": "4ufbvb",
  "p3": 3,
  "p4": 3
}
