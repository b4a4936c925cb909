MATCH (this:Tag {name: $p0}) RETURN {`#key`: this.name, `name`: this.name, `movieCount`: COUNT { (this)<-[:TAGGED]-() }, `movies`: {`#total`: COUNT { MATCH (this)<-[r3:TAGGED]-(n4) }, `#first`: $p2, `#backward`: false, `#order`: $p3, `#outside`: false, `#keys`: 
  COLLECT { MATCH (this)<-[r1:TAGGED]-(n2) WITH n2, r1 ORDER BY r1.count DESC, n2.title ASC, n2.movieId ASC LIMIT $p1 RETURN [r1.count, n2.title, n2.movieId] }, `edges`: 
  COLLECT { MATCH (this)<-[r5:TAGGED]-(n6) WITH n6, r5 ORDER BY r5.count DESC, n6.title ASC, n6.movieId ASC LIMIT $p5 RETURN {`#cursor`: [r5.count, n6.title, n6.movieId], `node`: {`#key`: n6.movieId, `title`: n6.title, `tags`: 
  COLLECT { MATCH (n6)-[r7:TAGGED]->(n8) WITH n8, r7 ORDER BY r7.count DESC, n8.name LIMIT $p4 RETURN {`name`: n8.name, `count`: r7.count, `tag`: {`#key`: n8.name, `movieCount`: COUNT { (n8)<-[:TAGGED]-() }}} }}} }}} AS this

// params
{
  "p0": "dystopia",
  "p1": 6,
  "p2": 5,
  "p3": "1krepg2",
  "p4": 2,
  "p5": 5
}
