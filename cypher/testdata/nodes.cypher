RETURN [entry IN $p0 | CASE entry.type WHEN 'Movie' THEN head(
  COLLECT { MATCH (n1:Movie {movieId: entry.key}) RETURN {`#type`: 'Movie', `#key`: n1.movieId, `title`: n1.title} }) WHEN 'Person' THEN head(
  COLLECT { MATCH (n2:Person {personId: entry.key}) RETURN {`#type`: 'Person', `#key`: n2.personId, `name`: n2.name} }) WHEN 'Genre' THEN head(
  COLLECT { MATCH (n3:Genre {name: entry.key}) RETURN {`#type`: 'Genre', `#key`: n3.name, `movieCount`: COUNT { (n3)<-[:IN_GENRE]-() }} }) WHEN 'User' THEN head(
  COLLECT { MATCH (n4:User {userId: entry.key}) RETURN {`#type`: 'User', `#key`: n4.userId} }) WHEN 'Review' THEN head(
  COLLECT { MATCH (n5:Review {reviewId: entry.key}) RETURN {`#type`: 'Review', `#key`: n5.reviewId} }) WHEN 'Comment' THEN head(
  COLLECT { MATCH (n6:Comment {commentId: entry.key}) RETURN {`#type`: 'Comment', `#key`: n6.commentId} }) WHEN 'UserList' THEN head(
  COLLECT { MATCH (n7:UserList {listId: entry.key}) WHERE n7.public RETURN {`#type`: 'UserList', `#key`: n7.listId} }) WHEN 'SynopsisSubmission' THEN head(
  COLLECT { MATCH (n8:SynopsisSubmission {submissionId: entry.key}) WHERE n8.status = 'ACCEPTED' RETURN {`#type`: 'SynopsisSubmission', `#key`: n8.submissionId} }) WHEN 'Tag' THEN head(
  COLLECT { MATCH (n9:Tag {name: entry.key}) RETURN {`#type`: 'Tag', `#key`: n9.name} }) END] AS this

// params
{
  "p0": [
    {
      "key": 80969,
      "type": "Movie"
    },
    {
      "key": 2363,
      "type": "Person"
    },
    {
      "key": "Drama",
      "type": "Genre"
    }
  ]
}
