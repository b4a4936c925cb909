RETURN {`#total`: COUNT { MATCH (n2:Movie) WHERE EXISTS { (n2)-[:IN_GENRE]->(genre:Genre) WHERE genre.name IN $p0 } AND n2.year >= $p1 AND n2.year <= $p2 AND n2.ratingAverage >= $p3 AND n2.ratingCount >= $p4 AND toLower(n2.title) CONTAINS $p5 }, `#first`: $p6, `#backward`: false, `#order`: $p7, `#outside`: false, `#keys`: null, `edges`: 
  COLLECT { WITH 
  COLLECT { MATCH (n11:Movie) WHERE EXISTS { (n11)-[:IN_GENRE]->(genre:Genre) WHERE genre.name IN $p0 } AND n11.year >= $p1 AND n11.year <= $p2 AND n11.ratingAverage >= $p3 AND n11.ratingCount >= $p4 AND toLower(n11.title) CONTAINS $p5 AND n11.ratingAverage IS NOT NULL WITH n11 ORDER BY n11.ratingAverage DESC, n11.movieId ASC LIMIT $p9 RETURN n11 } AS head9 UNWIND head9 + 
  COLLECT { UNWIND CASE WHEN size(head9) < $p9 THEN [true] ELSE [] END AS more10 MATCH (n12:Movie) WHERE EXISTS { (n12)-[:IN_GENRE]->(genre:Genre) WHERE genre.name IN $p0 } AND n12.year >= $p1 AND n12.year <= $p2 AND n12.ratingAverage >= $p3 AND n12.ratingCount >= $p4 AND toLower(n12.title) CONTAINS $p5 AND n12.ratingAverage IS NULL WITH n12 ORDER BY n12.ratingAverage IS NULL ASC, n12.ratingAverage DESC, n12.movieId ASC LIMIT $p9 RETURN n12 } AS n4 WITH n4 ORDER BY n4.ratingAverage IS NULL ASC, n4.ratingAverage DESC, n4.movieId ASC LIMIT $p9 RETURN {`node`: {`title`: n4.title, `ratingSummary`: head([scores5 IN [
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
