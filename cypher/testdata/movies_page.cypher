RETURN {`#total`: COUNT { MATCH (n6:Movie) }, `#first`: $p7, `#backward`: false, `#order`: $p8, `#outside`: EXISTS { MATCH (n4:Movie) WHERE NOT coalesce(((n4.title IS NULL) > $p4 OR (n4.title IS NULL) IS NULL) OR (n4.title IS NULL) = $p4 AND (n4.title > $p5 OR n4.title IS NULL) OR (n4.title IS NULL) = $p4 AND n4.title = $p5 AND (n4.movieId > $p6 OR n4.movieId IS NULL), false) }, `#keys`: 
  COLLECT { MATCH (n2:Movie) WHERE coalesce(((n2.title IS NULL) > $p0 OR (n2.title IS NULL) IS NULL) OR (n2.title IS NULL) = $p0 AND (n2.title > $p1 OR n2.title IS NULL) OR (n2.title IS NULL) = $p0 AND n2.title = $p1 AND (n2.movieId > $p2 OR n2.movieId IS NULL), false) WITH n2 ORDER BY n2.title IS NULL ASC, n2.title ASC, n2.movieId ASC LIMIT $p3 RETURN [n2.title IS NULL, n2.title, n2.movieId] }, `edges`: 
  COLLECT { MATCH (n8:Movie) WHERE coalesce(((n8.title IS NULL) > $p0 OR (n8.title IS NULL) IS NULL) OR (n8.title IS NULL) = $p0 AND (n8.title > $p1 OR n8.title IS NULL) OR (n8.title IS NULL) = $p0 AND n8.title = $p1 AND (n8.movieId > $p2 OR n8.movieId IS NULL), false) WITH n8 ORDER BY n8.title IS NULL ASC, n8.title ASC, n8.movieId ASC LIMIT $p9 RETURN {`#cursor`: [n8.title IS NULL, n8.title, n8.movieId], `node`: {`#key`: n8.movieId, `title`: n8.title, `year`: n8.year}} }} AS this

// params
{
  "p0": false,
  "p1": "Heat",
  "p2": 6,
  "p3": 4,
  "p4": false,
  "p5": "Heat",
  "p6": 6,
  "p7": 3,
  "p8": "9awucb",
  "p9": 3
}
