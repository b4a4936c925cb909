MATCH (this:Person {personId: $p0})
CALL (this) { MATCH (this)-[:ACTED_IN|DIRECTED]->(m15:Movie)<-[:ACTED_IN]-(n11:Person) WHERE n11 <> this WITH n11, count(DISTINCT m15) AS shared12 ORDER BY shared12 DESC, n11.name, n11.personId LIMIT $p8 WITH {`sharedMovies`: shared12, `person`: {`#key`: n11.personId, `name`: n11.name}} AS item14 RETURN collect(item14) AS hoisted13 } RETURN {`#key`: this.personId, `name`: this.name, `directed`: {`#total`: COUNT { MATCH (this)-[r1:DIRECTED]->(n2) }, `#first`: $p1, `#backward`: false, `#order`: $p2, `#outside`: false, `#keys`: null, `edges`: 
  COLLECT { MATCH (this)-[r3:DIRECTED]->(n4) WITH n4, r3 ORDER BY coalesce(n4.year, -1) DESC, n4.title ASC, n4.movieId ASC LIMIT $p3 RETURN {`#cursor`: [coalesce(n4.year, -1), n4.title, n4.movieId], `node`: {`#key`: n4.movieId, `title`: n4.title, `year`: n4.year, `cover`: CASE WHEN n4.posterUrl IS NULL THEN null ELSE {`url`: n4.posterUrl} END}} }}, `actedIn`: {`#total`: COUNT { MATCH (this)-[r7:ACTED_IN]->(n8) }, `#first`: $p5, `#backward`: false, `#order`: $p6, `#outside`: false, `#keys`: 
  COLLECT { MATCH (this)-[r5:ACTED_IN]->(n6) WITH n6, r5 ORDER BY coalesce(n6.year, -1) DESC, n6.title ASC, n6.movieId ASC LIMIT $p4 RETURN [coalesce(n6.year, -1), n6.title, n6.movieId] }, `edges`: 
  COLLECT { MATCH (this)-[r9:ACTED_IN]->(n10) WITH n10, r9 ORDER BY coalesce(n10.year, -1) DESC, n10.title ASC, n10.movieId ASC LIMIT $p7 RETURN {`#cursor`: [coalesce(n10.year, -1), n10.title, n10.movieId], `order`: r9.order, `node`: {`#key`: n10.movieId, `title`: n10.title, `year`: n10.year, `cover`: CASE WHEN n10.posterUrl IS NULL THEN null ELSE {`url`: n10.posterUrl} END, `ratingSummary`: {`average`: round(n10.ratingAverage, 1)}}} }}, `coStars`: hoisted13} AS this

// params
{
  "p0": 2363,
  "p1": 20,
  "p2": "38lrwo",
  "p3": 20,
  "p4": 21,
  "p5": 20,
  "p6": "hl6iup",
  "p7": 20,
  "p8": 10
}
