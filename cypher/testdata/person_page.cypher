MATCH (this:Person {personId: $p0})
CALL (this) { MATCH (this)-[:ACTED_IN|DIRECTED]->(m15:Movie)<-[:ACTED_IN]-(n11:Person) WHERE n11 <> this WITH n11, count(DISTINCT m15) AS shared12 ORDER BY shared12 DESC, n11.name, n11.personId LIMIT $p8 WITH {`sharedMovies`: shared12, `person`: {`#key`: n11.personId, `name`: n11.name}} AS item14 RETURN collect(item14) AS hoisted13 } RETURN {`#key`: this.personId, `name`: this.name, `directed`: {`#total`: COUNT { MATCH (this)-[r1:DIRECTED]->(n2) }, `#first`: $p1, `#backward`: false, `#order`: $p2, `#outside`: false, `#keys`: null, `edges`: 
  COLLECT { MATCH (this)-[r3:DIRECTED]->(n4) WITH n4, r3 ORDER BY coalesce(n4.year, -1) DESC, n4.title ASC, n4.movieId ASC LIMIT $p3 RETURN {`node`: {`#key`: n4.movieId, `title`: n4.title, `year`: n4.year, `cover`: head([url5 IN [n4.posterUrl] WHERE url5 IS NOT NULL | {`url`: url5}])}} }}, `actedIn`: {`#total`: COUNT { MATCH (this)-[r6:ACTED_IN]->(n7) }, `#first`: $p4, `#backward`: false, `#order`: $p5, `#outside`: false, `#keys`: null, `#pageEdges`: $p6, `edges`: 
  COLLECT { MATCH (this)-[r8:ACTED_IN]->(n9) WITH n9, r8 ORDER BY coalesce(n9.year, -1) DESC, n9.title ASC, n9.movieId ASC LIMIT $p7 RETURN {`#cursor`: [coalesce(n9.year, -1), n9.title, n9.movieId], `order`: r8.order, `node`: {`#key`: n9.movieId, `title`: n9.title, `year`: n9.year, `cover`: head([url10 IN [n9.posterUrl] WHERE url10 IS NOT NULL | {`url`: url10}]), `ratingSummary`: {`average`: round(n9.ratingAverage, 1)}}} }}, `coStars`: hoisted13} AS this

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
