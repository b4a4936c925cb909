RETURN {`#total`: COUNT { MATCH (n4:Movie) }, `#first`: $p6, `#backward`: false, `#order`: $p7, `#outside`: EXISTS { MATCH (n2:Movie) WHERE NOT coalesce(((n2.title IS NULL) > $p3 OR (n2.title IS NULL) IS NULL) OR (n2.title IS NULL) = $p3 AND (n2.title > $p4 OR n2.title IS NULL) OR (n2.title IS NULL) = $p3 AND n2.title = $p4 AND (n2.movieId > $p5 OR n2.movieId IS NULL), false) }, `#keys`: 
  COLLECT { MATCH (n6:Movie) WHERE coalesce(((n6.title IS NULL) > $p0 OR (n6.title IS NULL) IS NULL) OR (n6.title IS NULL) = $p0 AND (n6.title > $p1 OR n6.title IS NULL) OR (n6.title IS NULL) = $p0 AND n6.title = $p1 AND (n6.movieId > $p2 OR n6.movieId IS NULL), false) WITH n6 ORDER BY n6.title IS NULL ASC, n6.title ASC, n6.movieId ASC LIMIT $p8 RETURN [n6.title IS NULL, n6.title, n6.movieId] }, `edges`: 
  COLLECT { MATCH (n8:Movie) WHERE coalesce(((n8.title IS NULL) > $p0 OR (n8.title IS NULL) IS NULL) OR (n8.title IS NULL) = $p0 AND (n8.title > $p1 OR n8.title IS NULL) OR (n8.title IS NULL) = $p0 AND n8.title = $p1 AND (n8.movieId > $p2 OR n8.movieId IS NULL), false) WITH n8 ORDER BY n8.title IS NULL ASC, n8.title ASC, n8.movieId ASC LIMIT $p9 RETURN {`#cursor`: [n8.title IS NULL, n8.title, n8.movieId], `node`: {`#key`: n8.movieId, `title`: n8.title, `year`: n8.year}} }} AS this

// params
{
  "p0": false,
  "p1": "Heat",
  "p2": 6,
  "p3": false,
  "p4": "Heat",
  "p5": 6,
  "p6": 3,
  "p7": "9awucb",
  "p8": 4,
  "p9": 3
}
