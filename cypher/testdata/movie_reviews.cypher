MATCH (this:Movie {movieId: $p0}) RETURN {`reviews`: {`#first`: $p1, `#backward`: false, `#order`: $p2, `#outside`: false, `#keys`: null, `edges`: 
  COLLECT { MATCH (this)<-[r1:ABOUT]-(n2) WITH n2, r1 ORDER BY n2.addedAt DESC, n2.reviewId ASC LIMIT $p6 RETURN {`node`: {`text`: n2.text, `comments`: {`#first`: $p3, `#backward`: false, `#order`: $p4, `#outside`: false, `#keys`: null, `edges`: 
  COLLECT { MATCH (n2)<-[r3:ON]-(n4) WITH n4, r3 ORDER BY n4.addedAt ASC, n4.commentId ASC LIMIT $p5 RETURN {`node`: {`text`: n4.text}} }}}} }}, `lists`: {`#first`: $p7, `#backward`: false, `#order`: $p8, `#outside`: false, `#keys`: null, `edges`: 
  COLLECT { MATCH (this)<-[r5:CONTAINS]-(n6) WHERE n6.public WITH n6, r5 ORDER BY n6.createdAt DESC, n6.listId ASC LIMIT $p12 RETURN {`node`: {`title`: n6.title, `movies`: {`#first`: $p9, `#backward`: false, `#order`: $p10, `#outside`: false, `#keys`: null, `edges`: 
  COLLECT { MATCH (n6)-[r7:CONTAINS]->(n8) WITH n8, r7 ORDER BY r7.position ASC, n8.movieId ASC LIMIT $p11 RETURN {`node`: {`title`: n8.title}} }}}} }}} AS this

// params
{
  "p0": 80969,
  "p1": 5,
  "p10": "3imttc",
  "p11": 3,
  "p12": 2,
  "p2": "1pe2hvn",
  "p3": 2,
  "p4": "wsuijw",
  "p5": 2,
  "p6": 5,
  "p7": 2,
  "p8": "9v4m0e",
  "p9": 3
}
