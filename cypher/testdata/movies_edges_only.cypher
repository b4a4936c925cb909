RETURN {`#first`: $p0, `#backward`: false, `#order`: $p1, `#outside`: false, `#keys`: null, `edges`: 
  COLLECT { MATCH (n2:Movie) WITH n2 ORDER BY n2.title IS NULL ASC, n2.title ASC, n2.movieId ASC LIMIT $p2 RETURN {`#cursor`: [n2.title IS NULL, n2.title, n2.movieId], `node`: {`#key`: n2.movieId, `title`: n2.title}} }} AS this

// params
{
  "p0": 10,
  "p1": "9awucb",
  "p2": 10
}
