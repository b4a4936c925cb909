MATCH (this:Person {personId: $p0})
CALL (this) { MATCH (this)-[:ACTED_IN]->(:Movie)<-[:ACTED_IN]-(n13:Person) WHERE n13 <> this WITH n13, count(*) AS shared14 ORDER BY shared14 DESC, n13.name, n13.personId LIMIT $p9 WITH {`sharedMovies`: shared14, `person`: {`#key`: n13.personId, `name`: n13.name}} AS item16 RETURN collect(item16) AS hoisted15 } RETURN {`#key`: this.personId, `name`: this.name, `directed`: {`#total`: COUNT { MATCH (this)-[r1:DIRECTED]->(n2) }, `#first`: $p1, `#backward`: false, `#order`: $p2, `#outside`: false, `#keys`: 
  COLLECT { MATCH (this)-[r3:DIRECTED]->(n4) WITH n4, r3 ORDER BY coalesce(n4.year, -1) DESC, n4.title ASC, n4.movieId ASC LIMIT $p3 RETURN [coalesce(n4.year, -1), n4.title, n4.movieId] }, `edges`: 
  COLLECT { MATCH (this)-[r5:DIRECTED]->(n6) WITH n6, r5 ORDER BY coalesce(n6.year, -1) DESC, n6.title ASC, n6.movieId ASC LIMIT $p4 RETURN {`#cursor`: [coalesce(n6.year, -1), n6.title, n6.movieId], `node`: {`#key`: n6.movieId, `title`: n6.title, `year`: n6.year, `cover`: CASE WHEN n6.posterUrl IS NULL THEN null ELSE {`url`: n6.posterUrl} END}} }}, `actedIn`: {`#total`: COUNT { MATCH (this)-[r7:ACTED_IN]->(n8) }, `#first`: $p5, `#backward`: false, `#order`: $p6, `#outside`: false, `#keys`: 
  COLLECT { MATCH (this)-[r9:ACTED_IN]->(n10) WITH n10, r9 ORDER BY coalesce(n10.year, -1) DESC, n10.title ASC, n10.movieId ASC LIMIT $p7 RETURN [coalesce(n10.year, -1), n10.title, n10.movieId] }, `edges`: 
  COLLECT { MATCH (this)-[r11:ACTED_IN]->(n12) WITH n12, r11 ORDER BY coalesce(n12.year, -1) DESC, n12.title ASC, n12.movieId ASC LIMIT $p8 RETURN {`#cursor`: [coalesce(n12.year, -1), n12.title, n12.movieId], `order`: r11.order, `node`: {`#key`: n12.movieId, `title`: n12.title, `year`: n12.year, `cover`: CASE WHEN n12.posterUrl IS NULL THEN null ELSE {`url`: n12.posterUrl} END, `ratingSummary`: {`average`: round(n12.ratingAverage, 1)}}} }}, `coStars`: hoisted15} AS this

// params
{
  "p0": 2363,
  "p1": 20,
  "p2": "38lrwo",
  "p3": 21,
  "p4": 20,
  "p5": 20,
  "p6": "hl6iup",
  "p7": 21,
  "p8": 20,
  "p9": 10
}
