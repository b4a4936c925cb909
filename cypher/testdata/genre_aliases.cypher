MATCH (this:Genre {name: $p0}) RETURN {`#key`: this.name, `name`: this.name, `movieCount`: COUNT { (this)<-[:IN_GENRE]-() }, `newest`: {`#total`: COUNT { MATCH (this)<-[r1:IN_GENRE]-(n2) }, `#first`: $p1, `#backward`: false, `#order`: $p2, `#outside`: false, `#keys`: 
  COLLECT { MATCH (this)<-[r3:IN_GENRE]-(n4) WITH n4, r3 ORDER BY n4.title ASC, n4.movieId ASC LIMIT $p3 RETURN [n4.title, n4.movieId] }, `edges`: 
  COLLECT { MATCH (this)<-[r5:IN_GENRE]-(n6) WITH n6, r5 ORDER BY n6.title ASC, n6.movieId ASC LIMIT $p4 RETURN {`#cursor`: [n6.title, n6.movieId], `node`: {`#key`: n6.movieId, `title`: n6.title}} }}, `later`: {`#total`: COUNT { MATCH (this)<-[r9:IN_GENRE]-(n10) }, `#first`: $p9, `#backward`: false, `#order`: $p10, `#outside`: EXISTS { MATCH (this)<-[r7:IN_GENRE]-(n8) WHERE NOT coalesce((n8.title > $p7 OR n8.title IS NULL) OR n8.title = $p7 AND (n8.movieId > $p8 OR n8.movieId IS NULL), false) }, `#keys`: 
  COLLECT { MATCH (this)<-[r11:IN_GENRE]-(n12) WHERE coalesce((n12.title > $p5 OR n12.title IS NULL) OR n12.title = $p5 AND (n12.movieId > $p6 OR n12.movieId IS NULL), false) WITH n12, r11 ORDER BY n12.title ASC, n12.movieId ASC LIMIT $p11 RETURN [n12.title, n12.movieId] }, `edges`: 
  COLLECT { MATCH (this)<-[r13:IN_GENRE]-(n14) WHERE coalesce((n14.title > $p5 OR n14.title IS NULL) OR n14.title = $p5 AND (n14.movieId > $p6 OR n14.movieId IS NULL), false) WITH n14, r13 ORDER BY n14.title ASC, n14.movieId ASC LIMIT $p12 RETURN {`#cursor`: [n14.title, n14.movieId], `node`: {`#key`: n14.movieId, `title`: n14.title}} }}} AS this

// params
{
  "p0": "Drama",
  "p1": 2,
  "p10": "y9v00z",
  "p11": 3,
  "p12": 2,
  "p2": "y9v00z",
  "p3": 3,
  "p4": 2,
  "p5": "Casablanca",
  "p6": 912,
  "p7": "Casablanca",
  "p8": 912,
  "p9": 2
}
