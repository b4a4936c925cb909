RETURN {`#first`: $p2, `#backward`: false, `#order`: $p3, `#outside`: false, `#keys`: null, `edges`: 
  COLLECT { WITH 
  COLLECT { MATCH (n6:Movie) WHERE (n6.year = $w1_0 AND EXISTS { (n6)-[:IN_GENRE]->(w1_v1:Genre) WHERE w1_v1.name IN $w1_1 }) AND n6.title IS NOT NULL WITH n6 ORDER BY n6.title ASC, n6.movieId ASC LIMIT $p4 RETURN n6 } AS head4 UNWIND head4 + 
  COLLECT { UNWIND CASE WHEN size(head4) < $p4 THEN [true] ELSE [] END AS more5 MATCH (n7:Movie) WHERE (n7.year = $w1_0 AND EXISTS { (n7)-[:IN_GENRE]->(w1_v1:Genre) WHERE w1_v1.name IN $w1_1 }) AND n7.title IS NULL WITH n7 ORDER BY n7.title IS NULL ASC, n7.title ASC, n7.movieId ASC LIMIT $p4 RETURN n7 } AS n3 WITH n3 ORDER BY n3.title IS NULL ASC, n3.title ASC, n3.movieId ASC LIMIT $p4 RETURN {`node`: {`title`: n3.title}} }} AS this

// params
{
  "p2": 5,
  "p3": "9awucb",
  "p4": 5,
  "w1_0": 1994,
  "w1_1": [
    "Drama"
  ]
}
