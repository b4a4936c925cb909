MATCH (this:Person {personId: $p0})
CALL (this) { MATCH (this)-[:ACTED_IN|DIRECTED]->(m13:Movie)<-[:ACTED_IN]-(n9:Person) WHERE n9 <> this WITH n9, count(DISTINCT m13) AS shared10 ORDER BY shared10 DESC, n9.name, n9.personId LIMIT $p8 WITH {`sharedMovies`: shared10, `person`: {`#key`: n9.personId, `name`: n9.name}} AS item12 RETURN collect(item12) AS hoisted11 } RETURN {`#key`: this.personId, `name`: this.name, `directed`: {`#total`: COUNT { MATCH (this)-[r1:DIRECTED]->(n2) }, `#first`: $p1, `#backward`: false, `#order`: $p2, `#outside`: false, `#keys`: null, `edges`: 
  COLLECT { MATCH (this)-[r3:DIRECTED]->(n4) WITH n4, r3 ORDER BY coalesce(n4.year, -1) DESC, n4.title ASC, n4.movieId ASC LIMIT $p3 RETURN {`node`: {`#key`: n4.movieId, `title`: n4.title, `year`: n4.year, `cover`: CASE WHEN n4.posterUrl IS NULL THEN null ELSE {`url`: n4.posterUrl} END}} }}, `actedIn`: {`#total`: COUNT { MATCH (this)-[r5:ACTED_IN]->(n6) }, `#first`: $p4, `#backward`: false, `#order`: $p5, `#outside`: false, `#keys`: null, `#pageEdges`: $p6, `edges`: 
  COLLECT { MATCH (this)-[r7:ACTED_IN]->(n8) WITH n8, r7 ORDER BY coalesce(n8.year, -1) DESC, n8.title ASC, n8.movieId ASC LIMIT $p7 RETURN {`#cursor`: [coalesce(n8.year, -1), n8.title, n8.movieId], `order`: r7.order, `node`: {`#key`: n8.movieId, `title`: n8.title, `year`: n8.year, `cover`: CASE WHEN n8.posterUrl IS NULL THEN null ELSE {`url`: n8.posterUrl} END, `ratingSummary`: {`average`: round(n8.ratingAverage, 1)}}} }}, `coStars`: hoisted11} AS this

// params
{
  "p0": 2363,
  "p1": 20,
  "p2": "38lrwo",
  "p3": 20,
  "p4": 20,
  "p5": "hl6iup",
  "p6": "edges",
  "p7": 21,
  "p8": 10
}
