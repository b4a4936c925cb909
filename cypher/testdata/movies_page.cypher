RETURN {`#total`: COUNT { MATCH (n4:Movie) }, `#first`: $p6, `#backward`: false, `#order`: $p7, `#outside`: EXISTS { MATCH (n2:Movie) WHERE NOT coalesce(((n2.title IS NULL) > $p3 OR (n2.title IS NULL) IS NULL) OR (n2.title IS NULL) = $p3 AND (n2.title > $p4 OR n2.title IS NULL) OR (n2.title IS NULL) = $p3 AND n2.title = $p4 AND (n2.movieId > $p5 OR n2.movieId IS NULL), false) }, `#keys`: null, `#pageEdges`: $p8, `edges`: 
  COLLECT { WITH 
  COLLECT { MATCH (n9:Movie) WHERE coalesce(((n9.title IS NULL) > $p0 OR (n9.title IS NULL) IS NULL) OR (n9.title IS NULL) = $p0 AND (n9.title > $p1 OR n9.title IS NULL) OR (n9.title IS NULL) = $p0 AND n9.title = $p1 AND (n9.movieId > $p2 OR n9.movieId IS NULL), false) AND n9.title >= $p10 WITH n9 ORDER BY n9.title ASC, n9.movieId ASC LIMIT $p9 RETURN n9 } AS head7 UNWIND head7 + 
  COLLECT { UNWIND CASE WHEN size(head7) < $p9 THEN [true] ELSE [] END AS more8 MATCH (n10:Movie) WHERE coalesce(((n10.title IS NULL) > $p0 OR (n10.title IS NULL) IS NULL) OR (n10.title IS NULL) = $p0 AND (n10.title > $p1 OR n10.title IS NULL) OR (n10.title IS NULL) = $p0 AND n10.title = $p1 AND (n10.movieId > $p2 OR n10.movieId IS NULL), false) AND n10.title IS NULL WITH n10 ORDER BY n10.title IS NULL ASC, n10.title ASC, n10.movieId ASC LIMIT $p9 RETURN n10 } AS n6 WITH n6 ORDER BY n6.title IS NULL ASC, n6.title ASC, n6.movieId ASC LIMIT $p9 RETURN {`#cursor`: [n6.title IS NULL, n6.title, n6.movieId], `node`: {`#key`: n6.movieId, `title`: n6.title, `year`: n6.year}} }} AS this

// params
{
  "p0": false,
  "p1": "Heat",
  "p10": "Heat",
  "p2": 6,
  "p3": false,
  "p4": "Heat",
  "p5": 6,
  "p6": 3,
  "p7": "9awucb",
  "p8": "edges",
  "p9": 4
}
