MATCH (this:Movie {movieId: $p0}) RETURN {`genres`: 
  COLLECT { MATCH (this)-[r1:IN_GENRE]->(n2) WHERE r1.implied IS NULL WITH n2, r1 ORDER BY n2.name RETURN {`name`: n2.name} }, `directors`: 
  COLLECT { MATCH (this)<-[r3:DIRECTED]-(n4) WITH n4, r3 ORDER BY n4.name, n4.personId RETURN {`name`: n4.name} }, `cast`: 
  COLLECT { MATCH (this)<-[r5:ACTED_IN]-(n6) WITH n6, r5 ORDER BY r5.order, n6.personId RETURN {`person`: {`actedIn`: {`#total`: COUNT { MATCH (n6)-[r7:ACTED_IN]->(n8) }, `#first`: $p1, `#backward`: false, `#order`: $p2, `#outside`: false, `#keys`: null, `edges`: 
  COLLECT { MATCH (n6)-[r9:ACTED_IN]->(n10) WITH n10, r9 ORDER BY coalesce(n10.year, -1) DESC, n10.title ASC, n10.movieId ASC LIMIT $p3 RETURN {`order`: r9.order, `node`: {`title`: n10.title, `directors`: 
  COLLECT { MATCH (n10)<-[r11:DIRECTED]-(n12) WITH n12, r11 ORDER BY n12.name, n12.personId RETURN {`name`: n12.name} }}} }}}} }} AS this

// params
{
  "p0": 80969,
  "p1": 5,
  "p2": "hl6iup",
  "p3": 5
}
