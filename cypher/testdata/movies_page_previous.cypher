RETURN {`#first`: $p7, `#backward`: false, `#order`: $p8, `#outside`: EXISTS { MATCH (n2:Movie) WHERE NOT coalesce(((n2.title IS NULL) > $p3 OR (n2.title IS NULL) IS NULL) OR (n2.title IS NULL) = $p3 AND (n2.title > $p4 OR n2.title IS NULL) OR (n2.title IS NULL) = $p3 AND n2.title = $p4 AND (n2.movieId > $p5 OR n2.movieId IS NULL), false) AND n2.title <= $p6 }, `#keys`: null, `#pageEdges`: $p9, `edges`: 
  COLLECT { WITH 
  COLLECT { MATCH (n7:Movie) WHERE coalesce(((n7.title IS NULL) > $p0 OR (n7.title IS NULL) IS NULL) OR (n7.title IS NULL) = $p0 AND (n7.title > $p1 OR n7.title IS NULL) OR (n7.title IS NULL) = $p0 AND n7.title = $p1 AND (n7.movieId > $p2 OR n7.movieId IS NULL), false) AND n7.title >= $p11 WITH n7 ORDER BY n7.title ASC, n7.movieId ASC LIMIT $p10 RETURN n7 } AS head5 UNWIND head5 + 
  COLLECT { UNWIND CASE WHEN size(head5) < $p10 THEN [true] ELSE [] END AS more6 MATCH (n8:Movie) WHERE coalesce(((n8.title IS NULL) > $p0 OR (n8.title IS NULL) IS NULL) OR (n8.title IS NULL) = $p0 AND (n8.title > $p1 OR n8.title IS NULL) OR (n8.title IS NULL) = $p0 AND n8.title = $p1 AND (n8.movieId > $p2 OR n8.movieId IS NULL), false) AND n8.title IS NULL WITH n8 ORDER BY n8.title IS NULL ASC, n8.title ASC, n8.movieId ASC LIMIT $p10 RETURN n8 } AS n4 WITH n4 ORDER BY n4.title IS NULL ASC, n4.title ASC, n4.movieId ASC LIMIT $p10 RETURN {`#cursor`: [n4.title IS NULL, n4.title, n4.movieId], `node`: {`title`: n4.title}} }} AS this

// params
{
  "p0": false,
  "p1": "Heat",
  "p10": 4,
  "p11": "Heat",
  "p2": 6,
  "p3": false,
  "p4": "Heat",
  "p5": 6,
  "p6": "Heat",
  "p7": 3,
  "p8": "9awucb",
  "p9": "edges"
}
