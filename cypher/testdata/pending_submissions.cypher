MATCH (viewer:User {userId: $p0}) WHERE viewer.role = 'MODERATOR' RETURN {`#total`: COUNT { MATCH (n4:SynopsisSubmission) WHERE n4.status = 'PENDING' AND n4.submittedAt IS NOT NULL }, `#first`: $p2, `#backward`: false, `#order`: $p3, `#outside`: false, `#keys`: 
  COLLECT { MATCH (n2:SynopsisSubmission) WHERE n2.status = 'PENDING' AND n2.submittedAt IS NOT NULL WITH n2 ORDER BY n2.submittedAt ASC, n2.submissionId ASC LIMIT $p1 RETURN [n2.submittedAt, n2.submissionId] }, `edges`: 
  COLLECT { MATCH (n6:SynopsisSubmission) WHERE n6.status = 'PENDING' AND n6.submittedAt IS NOT NULL WITH n6 ORDER BY n6.submittedAt ASC, n6.submissionId ASC LIMIT $p4 RETURN {`#cursor`: [n6.submittedAt, n6.submissionId], `node`: {`#key`: n6.submissionId, `text`: n6.text, `status`: n6.status, `submittedAt`: n6.submittedAt, `decidedBy`: null, `author`: head(
  COLLECT { MATCH (n6)<-[r7:SUBMITTED]-(n8:User) WITH n8, r7 ORDER BY n8.userId LIMIT 1 RETURN {`#key`: n8.userId, `username`: n8.username} }), `movie`: head(
  COLLECT { MATCH (n6)-[r9:FOR]->(n10:Movie) WITH n10, r9 ORDER BY n10.movieId LIMIT 1 RETURN {`#key`: n10.movieId, `title`: n10.title} })}} }} AS this

// params
{
  "p0": 42,
  "p1": 11,
  "p2": 10,
  "p3": "79gz3z",
  "p4": 10
}
