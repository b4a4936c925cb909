MATCH (this:Tag {name: $p0}) RETURN {`#key`: this.name, `name`: this.name, `movieCount`: COUNT { (this)<-[:TAGGED]-() }, `movies`: {`#total`: COUNT { MATCH (this)<-[r1:TAGGED]-(n2) }, `#first`: $p1, `#backward`: false, `#order`: $p2, `#outside`: false, `#keys`: null, `#pageEdges`: $p3, `edges`: 
  COLLECT { MATCH (this)<-[r3:TAGGED]-(n4) WITH n4, r3 ORDER BY r3.count DESC, n4.title ASC, n4.movieId ASC LIMIT $p5 RETURN {`#cursor`: [r3.count, n4.title, n4.movieId], `node`: {`title`: n4.title, `tags`: 
  COLLECT { MATCH (n4)-[r5:TAGGED]->(n6) WITH n6, r5 ORDER BY r5.count DESC, n6.name LIMIT $p4 RETURN {`name`: n6.name, `count`: r5.count, `tag`: {`#key`: n6.name, `movieCount`: COUNT { (n6)<-[:TAGGED]-() }}} }}} }}} AS this

// params
{
  "p0": "dystopia",
  "p1": 5,
  "p2": "1krepg2",
  "p3": "edges",
  "p4": 2,
  "p5": 6
}
