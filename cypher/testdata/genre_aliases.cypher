MATCH (this:Genre {name: $p0}) RETURN {`name`: this.name, `movieCount`: COUNT { (this)<-[:IN_GENRE]-() }, `newest`: {`#first`: $p1, `#backward`: false, `#order`: $p2, `#outside`: false, `#keys`: null, `edges`: 
  COLLECT { MATCH (this)<-[r1:IN_GENRE]-(n2) WITH n2, r1 ORDER BY n2.title ASC, n2.movieId ASC LIMIT $p3 RETURN {`node`: {`title`: n2.title}} }}, `later`: {`#first`: $p6, `#backward`: false, `#order`: $p7, `#outside`: false, `#keys`: null, `edges`: 
  COLLECT { MATCH (this)<-[r3:IN_GENRE]-(n4) WHERE coalesce((n4.title > $p4 OR n4.title IS NULL) OR n4.title = $p4 AND (n4.movieId > $p5 OR n4.movieId IS NULL), false) WITH n4, r3 ORDER BY n4.title ASC, n4.movieId ASC LIMIT $p8 RETURN {`node`: {`title`: n4.title}} }}} AS this

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
