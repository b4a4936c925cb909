RETURN {`#first`: $p0, `#backward`: false, `#order`: $p1, `#outside`: false, `#keys`: null, `edges`: 
  COLLECT { WITH 
  COLLECT { MATCH (n5:Movie) WHERE n5.title IS NOT NULL WITH n5 ORDER BY n5.title ASC, n5.movieId ASC LIMIT $p2 RETURN n5 } AS head3 UNWIND head3 + 
  COLLECT { UNWIND CASE WHEN size(head3) < $p2 THEN [true] ELSE [] END AS more4 MATCH (n6:Movie) WHERE n6.title IS NULL WITH n6 ORDER BY n6.title IS NULL ASC, n6.title ASC, n6.movieId ASC LIMIT $p2 RETURN n6 } AS n2 WITH n2 ORDER BY n2.title IS NULL ASC, n2.title ASC, n2.movieId ASC LIMIT $p2 RETURN {`node`: {`title`: n2.title}} }} AS this

// params
{
  "p0": 10,
  "p1": "9awucb",
  "p2": 10
}
