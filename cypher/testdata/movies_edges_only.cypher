RETURN {`#offset`: $p0, `#first`: $p1, `edges`: 
  COLLECT { MATCH (n2:Movie) WITH n2 ORDER BY n2.title IS NULL, n2.title ASC, n2.movieId SKIP $p0 LIMIT $p1 RETURN {`node`: {`#key`: n2.movieId, `title`: n2.title}} }} AS this

// params
{
  "p0": 3,
  "p1": 10
}
