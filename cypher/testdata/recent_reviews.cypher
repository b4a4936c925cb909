RETURN {`#total`: COUNT { MATCH (n2:Review) WHERE n2.addedAt IS NOT NULL }, `#offset`: $p0, `#first`: $p1, `edges`: 
  COLLECT { MATCH (n4:Review) WHERE n4.addedAt IS NOT NULL WITH n4 ORDER BY n4.addedAt DESC, n4.reviewId SKIP $p0 LIMIT $p1 RETURN {`node`: {`#key`: n4.reviewId, `text`: n4.text, `score`: n4.score, `addedAt`: n4.addedAt, `author`: head(
  COLLECT { MATCH (n4)<-[r5:WROTE]-(n6:User) WITH n6, r5 ORDER BY n6.userId LIMIT 1 RETURN {`#key`: n6.userId, `username`: n6.username} }), `movie`: head(
  COLLECT { MATCH (n4)-[r7:ABOUT]->(n8:Movie) WITH n8, r7 ORDER BY n8.movieId LIMIT 1 RETURN {`#key`: n8.movieId, `title`: n8.title} })}} }} AS this

// params
{
  "p0": 0,
  "p1": 5
}
