RETURN {`#total`: COUNT { MATCH (n2:Movie) WHERE EXISTS { (n2)-[:IN_GENRE]->(genre:Genre) WHERE genre.name IN $p0 } AND n2.year >= $p1 AND n2.year <= $p2 AND n2.ratingAverage >= $p3 AND n2.ratingCount >= $p4 AND toLower(n2.title) CONTAINS $p5 }, `#first`: $p6, `#backward`: false, `#order`: $p7, `#outside`: false, `#keys`: 
  COLLECT { MATCH (n4:Movie) WHERE EXISTS { (n4)-[:IN_GENRE]->(genre:Genre) WHERE genre.name IN $p0 } AND n4.year >= $p1 AND n4.year <= $p2 AND n4.ratingAverage >= $p3 AND n4.ratingCount >= $p4 AND toLower(n4.title) CONTAINS $p5 WITH n4 ORDER BY n4.ratingAverage IS NULL ASC, n4.ratingAverage DESC, n4.movieId ASC LIMIT $p8 RETURN [n4.ratingAverage IS NULL, n4.ratingAverage, n4.movieId] }, `edges`: 
  COLLECT { MATCH (n6:Movie) WHERE EXISTS { (n6)-[:IN_GENRE]->(genre:Genre) WHERE genre.name IN $p0 } AND n6.year >= $p1 AND n6.year <= $p2 AND n6.ratingAverage >= $p3 AND n6.ratingCount >= $p4 AND toLower(n6.title) CONTAINS $p5 WITH n6 ORDER BY n6.ratingAverage IS NULL ASC, n6.ratingAverage DESC, n6.movieId ASC LIMIT $p10 RETURN {`#cursor`: [n6.ratingAverage IS NULL, n6.ratingAverage, n6.movieId], `node`: {`#key`: n6.movieId, `title`: n6.title, `ratingSummary`: head([scores7 IN [
  COLLECT { MATCH (n6)<-[r8:RATED]-() RETURN r8.score }] | {`average`: round(n6.ratingAverage, 1), `count`: n6.ratingCount, `histogram`: [bucket IN range(1, 10) | size([score IN scores7 WHERE score = bucket])]}]), `tags`: 
  COLLECT { MATCH (n6)-[r9:TAGGED]->(n10) WITH n10, r9 ORDER BY r9.count DESC, n10.name LIMIT $p9 RETURN {`name`: n10.name, `count`: r9.count} }}} }} AS this

// params
{
  "p0": [
    "Sci-Fi",
    "Drama"
  ],
  "p1": 2000,
  "p10": 5,
  "p2": 2010,
  "p3": 7.5,
  "p4": 20,
  "p5": "the",
  "p6": 5,
  "p7": "dteqdp",
  "p8": 6,
  "p9": 3
}
