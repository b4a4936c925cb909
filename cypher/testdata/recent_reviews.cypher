RETURN {`#total`: COUNT { MATCH (n2:Review) WHERE n2.addedAt IS NOT NULL }, `#first`: $p0, `#backward`: false, `#order`: $p1, `#outside`: false, `#keys`: null, `#pageEdges`: $p2, `edges`: 
  COLLECT { MATCH (n4:Review) WHERE n4.addedAt IS NOT NULL WITH n4 ORDER BY n4.addedAt DESC, n4.reviewId ASC LIMIT $p3 RETURN {`#cursor`: [n4.addedAt, n4.reviewId], `node`: {`#key`: n4.reviewId, `text`: n4.text, `score`: n4.score, `addedAt`: n4.addedAt, `author`: head(
  COLLECT { MATCH (n4)<-[r5:WROTE]-(n6) WITH n6, r5 ORDER BY n6.userId LIMIT 1 RETURN {`username`: n6.username} }), `movie`: head(
  COLLECT { MATCH (n4)-[r7:ABOUT]->(n8) WITH n8, r7 ORDER BY n8.movieId LIMIT 1 RETURN {`title`: n8.title} })}} }} AS this

// params
{
  "p0": 5,
  "p1": "1mg5rit",
  "p2": "edges",
  "p3": 6
}
