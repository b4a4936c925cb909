MATCH (this:Genre {name: $p0}) RETURN {`#key`: this.name, `name`: this.name, `movieCount`: COUNT { (this)<-[:IN_GENRE]-() }, `newest`: {`#offset`: $p1, `#first`: $p2, `edges`: 
  COLLECT { MATCH (this)<-[r1:IN_GENRE]-(n2) WITH n2, r1 ORDER BY n2.title, n2.movieId SKIP $p1 LIMIT $p2 RETURN {`node`: {`#key`: n2.movieId, `title`: n2.title}} }}, `later`: {`#offset`: $p3, `#first`: $p4, `edges`: 
  COLLECT { MATCH (this)<-[r3:IN_GENRE]-(n4) WITH n4, r3 ORDER BY n4.title, n4.movieId SKIP $p3 LIMIT $p4 RETURN {`node`: {`#key`: n4.movieId, `title`: n4.title}} }}} AS this

// params
{
  "p0": "Drama",
  "p1": 0,
  "p2": 2,
  "p3": 2,
  "p4": 2
}
