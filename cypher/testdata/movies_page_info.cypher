RETURN {`#first`: $p1, `#backward`: false, `#order`: $p2, `#outside`: false, `#keys`: 
  COLLECT { MATCH (n2:Movie) WITH n2 ORDER BY n2.title IS NULL ASC, n2.title ASC, n2.movieId ASC LIMIT $p0 RETURN [n2.title IS NULL, n2.title, n2.movieId] }, `edges`: 
  COLLECT { MATCH (n4:Movie) WITH n4 ORDER BY n4.title IS NULL ASC, n4.title ASC, n4.movieId ASC LIMIT $p3 RETURN {`#cursor`: [n4.title IS NULL, n4.title, n4.movieId], `node`: {`#key`: n4.movieId, `title`: n4.title}} }} AS this

// params
{
  "p0": 11,
  "p1": 10,
  "p2": "9awucb",
  "p3": 10
}
