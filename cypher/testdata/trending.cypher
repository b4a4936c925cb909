CALL () { MATCH ()-[x:RATED]->() RETURN max(x.ratedAt) AS newest }
CALL (newest) {
  MATCH ()-[r:RATED]->(m) WHERE r.ratedAt > newest - duration({days: $p2})
  WITH m, count(*) AS ratings ORDER BY ratings DESC, m.movieId
  RETURN collect({movie: m, ratings: ratings}) AS ranked1
}
RETURN {`#total`: size(ranked1), `#offset`: $p0, `#first`: $p1, `windowStart`: newest - duration({days: $p2}), `windowEnd`: newest, `edges`: 
  COLLECT { UNWIND ranked1[$p0..$p0 + $p1] AS row2 WITH row2.movie AS n3, row2.ratings AS ratings4 ORDER BY ratings4 DESC, n3.movieId RETURN {`ratingCount`: ratings4, `node`: {`title`: n3.title, `ratingSummary`: {`count`: n3.ratingCount}}} }} AS this

// params
{
  "p0": 5,
  "p1": 5,
  "p2": 7
}
