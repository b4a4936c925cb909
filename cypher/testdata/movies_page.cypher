RETURN {`#total`: COUNT { MATCH (n2:Movie) }, `#first`: $p3, `#backward`: false, `#order`: $p4, `#outside`: false, `#keys`: null, `#pageEdges`: $p5, `edges`: 
  COLLECT { WITH 
  COLLECT { MATCH (n7:Movie) WHERE coalesce(((n7.title IS NULL) > $p0 OR (n7.title IS NULL) IS NULL) OR (n7.title IS NULL) = $p0 AND (n7.title > $p1 OR n7.title IS NULL) OR (n7.title IS NULL) = $p0 AND n7.title = $p1 AND (n7.movieId > $p2 OR n7.movieId IS NULL), false) AND n7.title >= $p7 WITH n7 ORDER BY n7.title ASC, n7.movieId ASC LIMIT $p6 RETURN n7 } AS head5 UNWIND head5 + 
  COLLECT { UNWIND CASE WHEN size(head5) < $p6 THEN [true] ELSE [] END AS more6 MATCH (n8:Movie) WHERE coalesce(((n8.title IS NULL) > $p0 OR (n8.title IS NULL) IS NULL) OR (n8.title IS NULL) = $p0 AND (n8.title > $p1 OR n8.title IS NULL) OR (n8.title IS NULL) = $p0 AND n8.title = $p1 AND (n8.movieId > $p2 OR n8.movieId IS NULL), false) AND n8.title IS NULL WITH n8 ORDER BY n8.title IS NULL ASC, n8.title ASC, n8.movieId ASC LIMIT $p6 RETURN n8 } AS n4 WITH n4 ORDER BY n4.title IS NULL ASC, n4.title ASC, n4.movieId ASC LIMIT $p6 RETURN {`#cursor`: [n4.title IS NULL, n4.title, n4.movieId], `node`: {`title`: n4.title, `year`: n4.year}} }} AS this

// params
{
  "p0": false,
  "p1": "Heat",
  "p2": 6,
  "p3": 3,
  "p4": "9awucb",
  "p5": "edges",
  "p6": 4,
  "p7": "Heat"
}
