RETURN {`#total`: COUNT { MATCH (n2:Movie) }, `#offset`: $p0, `#first`: $p1, `edges`: 
  COLLECT { MATCH (n4:Movie) WITH n4 ORDER BY n4.title IS NULL, n4.title ASC, n4.movieId SKIP $p0 LIMIT $p1 RETURN {`node`: {`#key`: n4.movieId, `title`: n4.title}} }} AS this

// params
{
  "p0": 0,
  "p1": 10
}
