MATCH (this:Movie {movieId: $p0}) RETURN {`recommended`: head([ranked5 IN [
  COLLECT { MATCH (this)-[sim2:SIMILAR]->(c1:Movie) WITH c1, sim2.followers AS followers4, $p6 * coalesce(sim2.followed, 0.0) + $p1 * coalesce(sim2.collaborative, 0.0) + $p2 * coalesce(sim2.content, 0.0) AS score3 WHERE score3 > 0 ORDER BY score3 DESC, c1.movieId LIMIT $p3 RETURN {movie: c1, score: score3, seed: this, collab: $p4, content: $p5, followed: $p7, followers: followers4} }] | {`#offset`: $p8, `#first`: $p9, `edges`: 
  COLLECT { UNWIND range($p8, size(ranked5) - 1) AS i6 WITH ranked5[i6] AS row7, i6 ORDER BY i6 LIMIT $p9 WITH row7, row7.movie AS n8, row7.seed AS row7seed RETURN {`node`: {`movie`: {`title`: n8.title}}} }}])} AS this

// params
{
  "p0": 80969,
  "p1": 0.2,
  "p2": 0.6,
  "p3": 100,
  "p4": true,
  "p5": true,
  "p6": 0.2,
  "p7": true,
  "p8": 0,
  "p9": 10
}
