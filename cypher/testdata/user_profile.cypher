MATCH (this:User {username: $p0}) RETURN {`#key`: this.userId, `username`: this.username, `joinedAt`: this.joinedAt, `ratingsCount`: COUNT { (this)-[:RATED]->() }, `reviews`: {`#total`: COUNT { MATCH (this)-[r1:WROTE]->(n2:Review) }, `#first`: $p1, `#backward`: false, `#order`: $p2, `#outside`: false, `#keys`: null, `edges`: 
  COLLECT { MATCH (this)-[r3:WROTE]->(n4:Review) WITH n4, r3 ORDER BY n4.addedAt DESC, n4.reviewId ASC LIMIT $p5 RETURN {`node`: {`#key`: n4.reviewId, `score`: n4.score, `addedAt`: n4.addedAt, `movie`: head(
  COLLECT { MATCH (n4)-[r5:ABOUT]->(n6) WITH n6, r5 ORDER BY n6.movieId LIMIT 1 RETURN {`#key`: n6.movieId, `title`: n6.title, `year`: n6.year} }), `comments`: {`#total`: COUNT { MATCH (n4)<-[r7:ON]-(n8) }, `#first`: $p3, `#backward`: false, `#order`: $p4, `#outside`: false, `#keys`: null}}} }}, `lists`: {`#total`: COUNT { MATCH (this)-[r9:CREATED]->(n10) WHERE n10.public }, `#first`: $p6, `#backward`: false, `#order`: $p7, `#outside`: false, `#keys`: null, `edges`: 
  COLLECT { MATCH (this)-[r11:CREATED]->(n12) WHERE n12.public WITH n12, r11 ORDER BY n12.createdAt DESC, n12.listId ASC LIMIT $p11 RETURN {`node`: {`#key`: n12.listId, `title`: n12.title, `description`: n12.description, `createdAt`: n12.createdAt, `public`: n12.public, `movies`: {`#total`: COUNT { MATCH (n12)-[r13:CONTAINS]->(n14) }, `#first`: $p8, `#backward`: false, `#order`: $p9, `#outside`: false, `#keys`: null, `edges`: 
  COLLECT { MATCH (n12)-[r15:CONTAINS]->(n16) WITH n16, r15 ORDER BY r15.position ASC, n16.movieId ASC LIMIT $p10 RETURN {`node`: {`#key`: n16.movieId, `title`: n16.title}} }}}} }}} AS this

// params
{
  "p0": "bluemeanie",
  "p1": 10,
  "p10": 5,
  "p11": 10,
  "p2": "1yoqjub",
  "p3": 20,
  "p4": "wsuijw",
  "p5": 10,
  "p6": 10,
  "p7": "lhbfqf",
  "p8": 5,
  "p9": "3imttc"
}
