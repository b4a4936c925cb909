MATCH (me1:User {userId: $p0})
CALL (me1) {
  WITH me1, 
  COLLECT { MATCH (me1)-[:RATED|COLLECTED|HID]->(x17:Movie) RETURN x17 } AS seen18
  MATCH (me1)-[r3:RATED]->(s4:Movie)
  WITH seen18, s4, r3 ORDER BY r3.ratedAt DESC, s4.movieId DESC LIMIT $p2
  WITH seen18, collect({s: s4, rated: r3.score}) AS seeds19
  UNWIND range(0, size(seeds19) - 1) AS i20
  WITH seen18, seeds19[i20].s AS s4, seeds19[i20].rated AS rated21, $p3 ^ i20 AS x17
  MATCH (s4)-[sim5:SIMILAR]->(c6:Movie)
  WHERE NOT c6 IN seen18
  WITH s4, rated21, c6, sim5.followers AS n14, x17 * ($p4 * coalesce(sim5.followed, 0.0) + CASE WHEN rated21 >= $p1
    THEN $p5 * coalesce(sim5.collaborative, 0.0) + $p6 * coalesce(sim5.content, 0.0) ELSE 0.0 END) AS part7
  WHERE part7 > 0
  ORDER BY part7 DESC, s4.movieId
  WITH c6, sum(part7) AS score8, collect({s: s4, rated: rated21, followers: n14})[0] AS seed9
  ORDER BY score8 DESC, c6.movieId LIMIT $p10
  RETURN collect({movie: c6, score: score8, seed: seed9.s, rated: seed9.rated,
    collab: $p7 AND seed9.rated >= $p1, content: $p8 AND seed9.rated >= $p1, followed: $p9, followers: seed9.followers}) AS picks10
}
CALL (me1, picks10) {
  WITH me1 WHERE size(picks10) = 0
  CALL (me1) {
    OPTIONAL MATCH (me1)-[:RATED|COLLECTED]->(:Movie)-[:IN_GENRE]->(g12:Genre)
    WITH g12, count(g12) AS n14 ORDER BY n14 DESC, g12.name
    RETURN collect(g12) AS genres13
  }
  MATCH (c6:Movie)<-[r3:RATED]-(:User)
  WHERE NOT EXISTS { (me1)-[:RATED|COLLECTED|HID]->(c6) }
  WITH c6, genres13, count(r3) AS n14, avg(r3.score) AS avg15 WHERE n14 >= $p11
  WITH c6, n14, avg15, head([g12 IN genres13 WHERE EXISTS { (c6)-[:IN_GENRE]->(g12) }]) AS via16
  ORDER BY via16 IS NULL, avg15 DESC, n14 DESC, c6.movieId LIMIT $p10
  RETURN collect({movie: c6, score: avg15 / 10.0, seed: null, collab: false, content: false,
    fixed: [{kind: 'POPULAR', via: via16, text: 'Rated ' + toString(round(avg15, 1)) + ' on average by ' + toString(n14) + ' people' +
      CASE WHEN via16 IS NULL THEN '' ELSE ', in ' + via16.name + ', a genre you watch' END}]}) AS cold11
}
WITH me1, picks10 + cold11 AS ranked2
RETURN {`#offset`: $p12, `#first`: $p13, `edges`: 
  COLLECT { UNWIND range($p12, size(ranked2) - 1) AS i22 WITH ranked2[i22] AS row23, i22 ORDER BY i22 LIMIT $p13 WITH row23, row23.movie AS n24, row23.seed AS row23seed RETURN {`node`: {`movie`: {`title`: n24.title}}} }} AS this

// params
{
  "p0": 1,
  "p1": 6,
  "p10": 100,
  "p11": 20,
  "p12": 0,
  "p13": 5,
  "p2": 10,
  "p3": 0.8,
  "p4": 1,
  "p5": 0.1,
  "p6": 0.3,
  "p7": true,
  "p8": true,
  "p9": true
}
