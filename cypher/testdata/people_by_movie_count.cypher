RETURN {`#total`: COUNT { MATCH (n2:Person) WHERE toLower(n2.name) CONTAINS $p0 }, `#first`: $p1, `#backward`: false, `#order`: $p2, `#outside`: false, `#keys`: 
  COLLECT { MATCH (n4:Person) WHERE toLower(n4.name) CONTAINS $p0 WITH n4 ORDER BY COUNT { (n4)-[:ACTED_IN|DIRECTED]->(:Movie) } IS NULL ASC, COUNT { (n4)-[:ACTED_IN|DIRECTED]->(:Movie) } DESC, n4.personId ASC LIMIT $p3 RETURN [COUNT { (n4)-[:ACTED_IN|DIRECTED]->(:Movie) } IS NULL, COUNT { (n4)-[:ACTED_IN|DIRECTED]->(:Movie) }, n4.personId] }, `edges`: 
  COLLECT { MATCH (n6:Person) WHERE toLower(n6.name) CONTAINS $p0 WITH n6 ORDER BY COUNT { (n6)-[:ACTED_IN|DIRECTED]->(:Movie) } IS NULL ASC, COUNT { (n6)-[:ACTED_IN|DIRECTED]->(:Movie) } DESC, n6.personId ASC LIMIT $p5 RETURN {`#cursor`: [COUNT { (n6)-[:ACTED_IN|DIRECTED]->(:Movie) } IS NULL, COUNT { (n6)-[:ACTED_IN|DIRECTED]->(:Movie) }, n6.personId], `node`: {`#key`: n6.personId, `name`: n6.name, `coStars`: 
  COLLECT { WITH 
  COLLECT { MATCH (n6)-[:ACTED_IN]->(m10:Movie) RETURN m10 } AS films9 MATCH (n6)-[:ACTED_IN]->(:Movie)<-[:ACTED_IN]-(n7:Person) WHERE n7 <> n6 WITH DISTINCT n7, films9 WITH n7, COUNT { (n7)-[:ACTED_IN]->(m11) WHERE m11 IN films9 } AS shared8 ORDER BY shared8 DESC, n7.name, n7.personId LIMIT $p4 RETURN {`sharedMovies`: shared8, `person`: {`#key`: n7.personId, `name`: n7.name}} }}} }} AS this

// params
{
  "p0": "mulligan",
  "p1": 3,
  "p2": "4ufbvb",
  "p3": 4,
  "p4": 3,
  "p5": 3
}
