RETURN {`#total`: COUNT { MATCH (n3:Movie)<-[:ACTED_IN]-(:Person {personId: $p0}) WHERE (n3.year > $w1_0 AND EXISTS { (n3)-[:IN_GENRE]->(w1_v1:Genre) WHERE w1_v1.name IN $w1_1 } AND NOT EXISTS { (n3)-[:IN_GENRE]->(w1_v2:Genre) WHERE w1_v2.name IN $w1_2 } AND (n3.ratingCount >= $w1_3 OR n3.title STARTS WITH $w1_4) AND NOT coalesce(n3.ratingAverage < $w1_5, false)) }, `#first`: $p7, `#backward`: false, `#order`: $p8, `#outside`: false, `#keys`: null, `edges`: 
  COLLECT { MATCH (n5:Movie)<-[:ACTED_IN]-(:Person {personId: $p0}) WHERE (n5.year > $w1_0 AND EXISTS { (n5)-[:IN_GENRE]->(w1_v1:Genre) WHERE w1_v1.name IN $w1_1 } AND NOT EXISTS { (n5)-[:IN_GENRE]->(w1_v2:Genre) WHERE w1_v2.name IN $w1_2 } AND (n5.ratingCount >= $w1_3 OR n5.title STARTS WITH $w1_4) AND NOT coalesce(n5.ratingAverage < $w1_5, false)) WITH n5 ORDER BY n5.ratingAverage IS NULL ASC, n5.ratingAverage DESC, n5.year IS NULL ASC, n5.year ASC, n5.movieId ASC LIMIT $p9 RETURN {`node`: {`title`: n5.title, `year`: n5.year}} }} AS this

// params
{
  "p0": 15878,
  "p7": 5,
  "p8": "95s7om",
  "p9": 5,
  "w1_0": 1990,
  "w1_1": [
    "Drama"
  ],
  "w1_2": [
    "Horror"
  ],
  "w1_3": 10,
  "w1_4": "The",
  "w1_5": 2.5
}
