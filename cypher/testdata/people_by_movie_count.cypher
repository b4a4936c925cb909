RETURN {`#total`: COUNT { MATCH (n2:Person) WHERE toLower(n2.name) CONTAINS $p0 }, `#offset`: $p1, `#first`: $p2, `edges`: 
  COLLECT { MATCH (n4:Person) WHERE toLower(n4.name) CONTAINS $p0 WITH n4 ORDER BY COUNT { (n4)-[:ACTED_IN|DIRECTED]->(:Movie) } IS NULL, COUNT { (n4)-[:ACTED_IN|DIRECTED]->(:Movie) } DESC, n4.personId SKIP $p1 LIMIT $p2 RETURN {`node`: {`#key`: n4.personId, `name`: n4.name, `coStars`: 
  COLLECT { WITH 
  COLLECT { MATCH (n4)-[:ACTED_IN]->(m8:Movie) RETURN m8 } AS films5 MATCH (n4)-[:ACTED_IN]->(:Movie)<-[:ACTED_IN]-(n6:Person) WHERE n6 <> n4 WITH DISTINCT n6, films5 WITH n6, COUNT { (n6)-[:ACTED_IN]->(m9) WHERE m9 IN films5 } AS shared7 ORDER BY shared7 DESC, n6.name, n6.personId LIMIT $p3 RETURN {`sharedMovies`: shared7, `person`: {`#key`: n6.personId, `name`: n6.name}} }}} }} AS this

// params
{
  "p0": "mulligan",
  "p1": 0,
  "p2": 3,
  "p3": 3
}
