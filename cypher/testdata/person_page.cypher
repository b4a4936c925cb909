MATCH (this:Person {personId: $p0}) RETURN {`#key`: this.personId, `name`: this.name, `directed`: {`#total`: COUNT { MATCH (this)-[r1:DIRECTED]->(n2) }, `#offset`: $p1, `#first`: $p2, `edges`: 
  COLLECT { MATCH (this)-[r3:DIRECTED]->(n4) WITH n4, r3 ORDER BY coalesce(n4.year, -1) DESC, n4.title, n4.movieId SKIP $p1 LIMIT $p2 RETURN {`node`: {`#key`: n4.movieId, `title`: n4.title, `year`: n4.year, `cover`: CASE WHEN n4.posterUrl IS NULL THEN null ELSE {`url`: n4.posterUrl} END}} }}, `actedIn`: {`#total`: COUNT { MATCH (this)-[r5:ACTED_IN]->(n6) }, `#offset`: $p3, `#first`: $p4, `edges`: 
  COLLECT { MATCH (this)-[r7:ACTED_IN]->(n8) WITH n8, r7 ORDER BY coalesce(n8.year, -1) DESC, n8.title, n8.movieId SKIP $p3 LIMIT $p4 RETURN {`order`: r7.order, `node`: {`#key`: n8.movieId, `title`: n8.title, `year`: n8.year, `cover`: CASE WHEN n8.posterUrl IS NULL THEN null ELSE {`url`: n8.posterUrl} END, `ratingSummary`: {`average`: round(n8.ratingAverage, 1)}}} }}, `coStars`: 
  COLLECT { WITH 
  COLLECT { MATCH (this)-[:ACTED_IN]->(m13:Movie) RETURN m13 } AS films10 MATCH (this)-[:ACTED_IN]->(:Movie)<-[:ACTED_IN]-(n11:Person) WHERE n11 <> this WITH DISTINCT n11, films10 WITH n11, COUNT { (n11)-[:ACTED_IN]->(m14) WHERE m14 IN films10 } AS shared12 ORDER BY shared12 DESC, n11.name, n11.personId LIMIT $p5 RETURN {`sharedMovies`: shared12, `person`: {`#key`: n11.personId, `name`: n11.name}} }} AS this

// params
{
  "p0": 2363,
  "p1": 0,
  "p2": 20,
  "p3": 0,
  "p4": 20,
  "p5": 10
}
