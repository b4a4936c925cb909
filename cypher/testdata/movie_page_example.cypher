MATCH (this:Movie {movieId: $p0})
CALL (this) { RETURN 
  COLLECT { MATCH (this)<-[r8:RATED]-() RETURN r8.score } AS hoisted9 }
CALL (this) { RETURN head(
  COLLECT { MATCH (this)-[r12:SYNOPSIS_FROM]->()<-[:SUBMITTED]-(n13) WITH n13, r12 ORDER BY n13.userId LIMIT 1 RETURN {`#key`: n13.userId, `username`: n13.username} }) AS hoisted14 } RETURN {`#key`: this.movieId, `title`: this.title, `year`: this.year, `cover`: head([url1 IN [this.posterUrl] WHERE url1 IS NOT NULL | {`id`: toString(this.movieId) + ':cover', `url`: url1, `caption`: this.coverCaption}]), `genres`: 
  COLLECT { MATCH (this)-[r2:IN_GENRE]->(n3) WHERE r2.implied IS NULL WITH n3, r2 ORDER BY n3.name RETURN {`name`: n3.name} }, `synopsis`: this.synopsis, `plot`: this.plot, `directors`: 
  COLLECT { MATCH (this)<-[r4:DIRECTED]-(n5) WITH n5, r4 ORDER BY n5.name, n5.personId RETURN {`#key`: n5.personId, `name`: n5.name} }, `cast`: 
  COLLECT { MATCH (this)<-[r6:ACTED_IN]-(n7) WITH n7, r6 ORDER BY r6.order, n7.personId LIMIT $p1 RETURN {`order`: r6.order, `person`: {`#key`: n7.personId, `name`: n7.name}} }, `ratingSummary`: {`id`: this.movieId, `average`: round(this.ratingAverage, 1), `count`: this.ratingCount, `histogram`: [bucket IN range(1, 10) | size([score IN hoisted9 WHERE score = bucket])]}, `tags`: 
  COLLECT { MATCH (this)-[r10:TAGGED]->(n11) WITH n11, r10 ORDER BY r10.count DESC, n11.name LIMIT $p2 RETURN {`name`: n11.name, `count`: r10.count} }, `synopsisAuthor`: hoisted14, `viewerState`: null, `reviews`: {`#total`: COUNT { MATCH (this)<-[r15:ABOUT]-(n16) }, `#first`: $p3, `#backward`: false, `#order`: $p4, `#outside`: false, `#keys`: null, `#pageEdges`: $p5, `edges`: 
  COLLECT { MATCH (this)<-[r17:ABOUT]-(n18) WITH n18, r17 ORDER BY n18.addedAt DESC, n18.reviewId ASC LIMIT $p9 RETURN {`#cursor`: [n18.addedAt, n18.reviewId], `node`: {`#key`: n18.reviewId, `text`: n18.text, `score`: n18.score, `addedAt`: n18.addedAt, `editedAt`: n18.editedAt, `author`: head(
  COLLECT { MATCH (n18)<-[r19:WROTE]-(n20) WITH n20, r19 ORDER BY n20.userId LIMIT 1 RETURN {`#key`: n20.userId, `username`: n20.username} }), `comments`: {`#total`: COUNT { MATCH (n18)<-[r21:ON]-(n22) }, `#first`: $p6, `#backward`: false, `#order`: $p7, `#outside`: false, `#keys`: null, `edges`: 
  COLLECT { MATCH (n18)<-[r23:ON]-(n24) WITH n24, r23 ORDER BY n24.addedAt ASC, n24.commentId ASC LIMIT $p8 RETURN {`node`: {`#key`: n24.commentId, `text`: n24.text, `addedAt`: n24.addedAt, `author`: head(
  COLLECT { MATCH (n24)<-[r25:WROTE]-(n26) WITH n26, r25 ORDER BY n26.userId LIMIT 1 RETURN {`#key`: n26.userId, `username`: n26.username} })}} }}}} }}, `lists`: {`#total`: COUNT { MATCH (this)<-[r27:CONTAINS]-(n28) WHERE n28.public }, `#first`: $p10, `#backward`: false, `#order`: $p11, `#outside`: false, `#keys`: null, `edges`: 
  COLLECT { MATCH (this)<-[r29:CONTAINS]-(n30) WHERE n30.public WITH n30, r29 ORDER BY n30.createdAt DESC, n30.listId ASC LIMIT $p14 RETURN {`node`: {`#key`: n30.listId, `title`: n30.title, `owner`: head(
  COLLECT { MATCH (n30)<-[r31:CREATED]-(n32) WITH n32, r31 ORDER BY n32.userId LIMIT 1 RETURN {`#key`: n32.userId, `username`: n32.username} }), `movies`: {`#total`: COUNT { MATCH (n30)-[r33:CONTAINS]->(n34) }, `#first`: $p12, `#backward`: false, `#order`: $p13, `#outside`: false, `#keys`: null}}} }}} AS this

// params
{
  "p0": 80969,
  "p1": 20,
  "p10": 5,
  "p11": "9v4m0e",
  "p12": 20,
  "p13": "3imttc",
  "p14": 5,
  "p2": 10,
  "p3": 10,
  "p4": "1pe2hvn",
  "p5": "edges",
  "p6": 5,
  "p7": "wsuijw",
  "p8": 5,
  "p9": 11
}
