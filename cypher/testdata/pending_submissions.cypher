MATCH (viewer:User {userId: $p0}) WHERE viewer.role = 'MODERATOR' RETURN {`#total`: COUNT { MATCH (n2:SynopsisSubmission) WHERE n2.status = 'PENDING' AND n2.submittedAt IS NOT NULL }, `#offset`: $p1, `#first`: $p2, `edges`: 
  COLLECT { MATCH (n4:SynopsisSubmission) WHERE n4.status = 'PENDING' AND n4.submittedAt IS NOT NULL WITH n4 ORDER BY n4.submittedAt, n4.submissionId SKIP $p1 LIMIT $p2 RETURN {`node`: {`#key`: n4.submissionId, `text`: n4.text, `status`: n4.status, `submittedAt`: n4.submittedAt, `decidedBy`: null, `author`: head(
  COLLECT { MATCH (n4)<-[r5:SUBMITTED]-(n6:User) WITH n6, r5 ORDER BY n6.userId LIMIT 1 RETURN {`#key`: n6.userId, `username`: n6.username} }), `movie`: head(
  COLLECT { MATCH (n4)-[r7:FOR]->(n8:Movie) WITH n8, r7 ORDER BY n8.movieId LIMIT 1 RETURN {`#key`: n8.movieId, `title`: n8.title} })}} }} AS this

// params
{
  "p0": 42,
  "p1": 0,
  "p2": 10
}
