MATCH (viewer:User {userId: $p0}) WHERE viewer.role = 'MODERATOR' RETURN {`#total`: COUNT { MATCH (n2:SynopsisSubmission) WHERE n2.status = 'PENDING' AND n2.submittedAt IS NOT NULL }, `#first`: $p1, `#backward`: false, `#order`: $p2, `#outside`: false, `#keys`: null, `#pageEdges`: $p3, `edges`: 
  COLLECT { MATCH (n4:SynopsisSubmission) WHERE n4.status = 'PENDING' AND n4.submittedAt IS NOT NULL WITH n4 ORDER BY n4.submittedAt ASC, n4.submissionId ASC LIMIT $p4 RETURN {`#cursor`: [n4.submittedAt, n4.submissionId], `node`: {`#key`: n4.submissionId, `text`: n4.text, `status`: n4.status, `submittedAt`: n4.submittedAt, `decidedBy`: null, `author`: head(
  COLLECT { MATCH (n4)<-[r5:SUBMITTED]-(n6) WITH n6, r5 ORDER BY n6.userId LIMIT 1 RETURN {`username`: n6.username} }), `movie`: head(
  COLLECT { MATCH (n4)-[r7:FOR]->(n8) WITH n8, r7 ORDER BY n8.movieId LIMIT 1 RETURN {`title`: n8.title} })}} }} AS this

// params
{
  "p0": 42,
  "p1": 10,
  "p2": "79gz3z",
  "p3": "edges",
  "p4": 11
}
