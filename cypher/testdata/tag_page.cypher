MATCH (this:Tag {name: $p0}) RETURN {`#key`: this.name, `name`: this.name, `movieCount`: COUNT { (this)<-[:TAGGED]-() }, `movies`: {`#total`: COUNT { MATCH (this)<-[r1:TAGGED]-(n2) }, `#offset`: $p1, `#first`: $p2, `edges`: 
  COLLECT { MATCH (this)<-[r3:TAGGED]-(n4) WITH n4, r3 ORDER BY r3.count DESC, n4.title, n4.movieId SKIP $p1 LIMIT $p2 RETURN {`node`: {`#key`: n4.movieId, `title`: n4.title, `tags`: 
  COLLECT { MATCH (n4)-[r5:TAGGED]->(n6) WITH n6, r5 ORDER BY r5.count DESC, n6.name LIMIT $p3 RETURN {`name`: n6.name, `count`: r5.count, `tag`: {`#key`: n6.name, `movieCount`: COUNT { (n6)<-[:TAGGED]-() }}} }}} }}} AS this

// params
{
  "p0": "dystopia",
  "p1": 0,
  "p2": 5,
  "p3": 2
}
