RETURN {`#total`: COUNT { MATCH (n2:Movie) WHERE EXISTS { (n2)-[:IN_GENRE]->(genre:Genre) WHERE genre.name IN $p0 } AND n2.year >= $p1 AND n2.year <= $p2 AND n2.ratingAverage >= $p3 AND n2.ratingCount >= $p4 AND toLower(n2.title) CONTAINS $p5 }, `#first`: $p6, `#backward`: false, `#order`: $p7, `#outside`: false, `#keys`: null, `edges`: 
  COLLECT { MATCH (n4:Movie) WHERE EXISTS { (n4)-[:IN_GENRE]->(genre:Genre) WHERE genre.name IN $p0 } AND n4.year >= $p1 AND n4.year <= $p2 AND n4.ratingAverage >= $p3 AND n4.ratingCount >= $p4 AND toLower(n4.title) CONTAINS $p5 WITH n4 ORDER BY n4.ratingAverage IS NULL ASC, n4.ratingAverage DESC, n4.movieId ASC LIMIT $p9 RETURN {`#cursor`: [n4.ratingAverage IS NULL, n4.ratingAverage, n4.movieId], `node`: {`#key`: n4.movieId, `title`: n4.title, `ratingSummary`: head([scores5 IN [
  COLLECT { MATCH (n4)<-[r6:RATED]-() RETURN r6.score }] | {`average`: round(n4.ratingAverage, 1), `count`: n4.ratingCount, `histogram`: [bucket IN range(1, 10) | size([score IN scores5 WHERE score = bucket])]}]), `tags`: 
  COLLECT { MATCH (n4)-[r7:TAGGED]->(n8) WITH n8, r7 ORDER BY r7.count DESC, n8.name LIMIT $p8 RETURN {`name`: n8.name, `count`: r7.count} }}} }} AS this

// params
{
  "p0": [
    "Sci-Fi",
    "Drama"
  ],
  "p1": 2000,
  "p2": 2010,
  "p3": 7.5,
  "p4": 20,
  "p5": "the",
  "p6": 5,
  "p7": "dteqdp",
  "p8": 3,
  "p9": 5
}
