RETURN {`#total`: COUNT { MATCH (n4:Review) WHERE n4.addedAt IS NOT NULL }, `#first`: $p1, `#backward`: false, `#order`: $p2, `#outside`: false, `#keys`: 
  COLLECT { MATCH (n2:Review) WHERE n2.addedAt IS NOT NULL WITH n2 ORDER BY n2.addedAt DESC, n2.reviewId ASC LIMIT $p0 RETURN [n2.addedAt, n2.reviewId] }, `edges`: 
  COLLECT { MATCH (n6:Review) WHERE n6.addedAt IS NOT NULL WITH n6 ORDER BY n6.addedAt DESC, n6.reviewId ASC LIMIT $p3 RETURN {`#cursor`: [n6.addedAt, n6.reviewId], `node`: {`#key`: n6.reviewId, `text`: n6.text, `score`: n6.score, `addedAt`: n6.addedAt, `author`: head(
  COLLECT { MATCH (n6)<-[r7:WROTE]-(n8:User) WITH n8, r7 ORDER BY n8.userId LIMIT 1 RETURN {`#key`: n8.userId, `username`: n8.username} }), `movie`: head(
  COLLECT { MATCH (n6)-[r9:ABOUT]->(n10:Movie) WITH n10, r9 ORDER BY n10.movieId LIMIT 1 RETURN {`#key`: n10.movieId, `title`: n10.title} })}} }} AS this

// params
{
  "p0": 6,
  "p1": 5,
  "p2": "1mg5rit",
  "p3": 5
}
