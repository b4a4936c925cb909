MATCH (this:Genre {name: $p0}) RETURN {`#key`: this.name, `name`: this.name, `movieCount`: COUNT { (this)<-[:IN_GENRE]-() }, `newest`: {`#total`: COUNT { MATCH (this)<-[r1:IN_GENRE]-(n2) }, `#first`: $p1, `#backward`: false, `#order`: $p2, `#outside`: false, `#keys`: null, `edges`: 
  COLLECT { MATCH (this)<-[r3:IN_GENRE]-(n4) WITH n4, r3 ORDER BY n4.title ASC, n4.movieId ASC LIMIT $p3 RETURN {`#cursor`: [n4.title, n4.movieId], `node`: {`#key`: n4.movieId, `title`: n4.title}} }}, `later`: {`#total`: COUNT { MATCH (this)<-[r5:IN_GENRE]-(n6) }, `#first`: $p6, `#backward`: false, `#order`: $p7, `#outside`: false, `#keys`: null, `edges`: 
  COLLECT { MATCH (this)<-[r7:IN_GENRE]-(n8) WHERE coalesce((n8.title > $p4 OR n8.title IS NULL) OR n8.title = $p4 AND (n8.movieId > $p5 OR n8.movieId IS NULL), false) WITH n8, r7 ORDER BY n8.title ASC, n8.movieId ASC LIMIT $p8 RETURN {`#cursor`: [n8.title, n8.movieId], `node`: {`#key`: n8.movieId, `title`: n8.title}} }}} AS this

// params
{
  "p0": "Drama",
  "p1": 2,
  "p2": "y9v00z",
  "p3": 2,
  "p4": "Casablanca",
  "p5": 912,
  "p6": 2,
  "p7": "y9v00z",
  "p8": 2
}
