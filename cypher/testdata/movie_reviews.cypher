MATCH (this:Movie {movieId: $p0}) RETURN {`#key`: this.movieId, `reviews`: {`#offset`: $p1, `#first`: $p2, `edges`: 
  COLLECT { MATCH (this)<-[r1:ABOUT]-(n2:Review) WITH n2, r1 ORDER BY n2.addedAt DESC, n2.reviewId SKIP $p1 LIMIT $p2 RETURN {`node`: {`#key`: n2.reviewId, `text`: n2.text, `comments`: {`#offset`: $p3, `#first`: $p4, `edges`: 
  COLLECT { MATCH (n2)<-[r3:ON]-(n4:Comment) WITH n4, r3 ORDER BY n4.addedAt, n4.commentId SKIP $p3 LIMIT $p4 RETURN {`node`: {`#key`: n4.commentId, `text`: n4.text}} }}}} }}, `lists`: {`#offset`: $p5, `#first`: $p6, `edges`: 
  COLLECT { MATCH (this)<-[r5:CONTAINS]-(n6:UserList) WHERE n6.public WITH n6, r5 ORDER BY n6.createdAt DESC, n6.listId SKIP $p5 LIMIT $p6 RETURN {`node`: {`#key`: n6.listId, `title`: n6.title, `movies`: {`#offset`: $p7, `#first`: $p8, `edges`: 
  COLLECT { MATCH (n6)-[r7:CONTAINS]->(n8:Movie) WITH n8, r7 ORDER BY r7.position, n8.movieId SKIP $p7 LIMIT $p8 RETURN {`node`: {`#key`: n8.movieId, `title`: n8.title}} }}}} }}} AS this

// params
{
  "p0": 80969,
  "p1": 0,
  "p2": 5,
  "p3": 0,
  "p4": 2,
  "p5": 0,
  "p6": 2,
  "p7": 0,
  "p8": 3
}
