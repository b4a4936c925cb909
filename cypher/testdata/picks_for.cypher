MATCH (me1:User {userId: $p0})
CALL (me1) {
  WITH me1, 
  COLLECT { MATCH (me1)-[:RATED|COLLECTED|HID]->(x21:Movie) RETURN x21 } AS seen22
  MATCH (me1)-[r7:RATED]->(s8:Movie)
  WITH seen22, s8, r7 ORDER BY r7.ratedAt DESC, s8.movieId DESC LIMIT $p2
  WITH seen22, collect({s: s8, rated: r7.score}) AS seeds23
  UNWIND range(0, size(seeds23) - 1) AS i24
  WITH seen22, seeds23[i24].s AS s8, seeds23[i24].rated AS rated25, $p3 ^ i24 AS x21
  MATCH (s8)-[sim9:SIMILAR]->(c10:Movie)
  WHERE NOT c10 IN seen22
  WITH s8, rated25, c10, sim9.followers AS n18, x21 * ($p4 * coalesce(sim9.followed, 0.0) + CASE WHEN rated25 >= $p1
    THEN $p5 * coalesce(sim9.collaborative, 0.0) + $p6 * coalesce(sim9.content, 0.0) ELSE 0.0 END) AS part11
  WHERE part11 > 0
  ORDER BY part11 DESC, s8.movieId
  WITH c10, sum(part11) AS score12, collect({s: s8, rated: rated25, followers: n18})[0] AS seed13
  ORDER BY score12 DESC, c10.movieId LIMIT $p10
  RETURN collect({movie: c10, score: score12, seed: seed13.s, rated: seed13.rated,
    collab: $p7 AND seed13.rated >= $p1, content: $p8 AND seed13.rated >= $p1, followed: $p9, followers: seed13.followers}) AS picks14
}
CALL (me1, picks14) {
  WITH me1 WHERE size(picks14) = 0
  CALL (me1) {
    OPTIONAL MATCH (me1)-[:RATED|COLLECTED]->(:Movie)-[:IN_GENRE]->(g16:Genre)
    WITH g16, count(g16) AS n18 ORDER BY n18 DESC, g16.name
    RETURN collect(g16) AS genres17
  }
  MATCH (c10:Movie)<-[r7:RATED]-(:User)
  WHERE NOT EXISTS { (me1)-[:RATED|COLLECTED|HID]->(c10) }
  WITH c10, genres17, count(r7) AS n18, avg(r7.score) AS avg19 WHERE n18 >= $p11
  WITH c10, n18, avg19, head([g16 IN genres17 WHERE EXISTS { (c10)-[:IN_GENRE]->(g16) }]) AS via20
  ORDER BY via20 IS NULL, avg19 DESC, n18 DESC, c10.movieId LIMIT $p10
  RETURN collect({movie: c10, score: avg19 / 10.0, seed: null, collab: false, content: false,
    fixed: [{kind: 'POPULAR', via: via20, text: 'Rated ' + toString(round(avg19, 1)) + ' on average by ' + toString(n18) + ' people' +
      CASE WHEN via20 IS NULL THEN '' ELSE ', in ' + via20.name + ', a genre you watch' END}]}) AS cold15
}
WITH me1, picks14 + cold15 AS ranked2
UNWIND range(0, size(ranked2) - 1) AS i3
WITH ranked2[i3] AS row4, i3 ORDER BY i3 LIMIT $p12
WITH row4, i3, row4.movie AS n5, row4.seed AS row4seed
WITH *, 
  COLLECT { MATCH (row4seed)<-[a27:RATED]-(u29:User) WHERE row4.collab AND a27.score >= $p13 RETURN u29 } AS fans33
WITH *, coalesce(row4.fixed, [])
+ [k26 IN [row4.rated] WHERE k26 IS NOT NULL |
  {kind: 'YOU_RATED', via: row4seed, text: 'Because you rated ' + row4seed.title + ' ' + toString(k26) + '/10'}]
+ [k26 IN [COUNT { (n5)<-[r28:RATED]-(u29:User) WHERE r28.score >= $p13 AND u29 IN fans33 }] WHERE k26 >= $p14 AND row4.collab |
  {kind: 'COLLABORATIVE', via: row4seed, text: 'Rated 8+ by ' + toString(k26) + ' people who loved ' + row4seed.title}]
+ [k26 IN [row4.followers] WHERE k26 >= $p14 AND row4.followed |
  {kind: 'FOLLOWED', via: row4seed, text: toString(k26) + ' people rated it within their next 10 films after ' + row4seed.title}]
+ 
  COLLECT { MATCH (row4seed)<-[:DIRECTED]-(p30:Person)-[:DIRECTED]->(n5) WHERE row4.content WITH p30 ORDER BY p30.name, p30.personId
  RETURN {kind: 'DIRECTOR', via: p30, text: 'Also directed by ' + p30.name} }
+ 
  COLLECT { MATCH (row4seed)<-[a27:ACTED_IN]-(p30:Person)-[r28:ACTED_IN]->(n5) WHERE row4.content WITH p30, a27, r28 ORDER BY a27.order + r28.order, p30.personId LIMIT 3
  RETURN {kind: 'CAST', via: p30, text: 'Also stars ' + p30.name} }
+ 
  COLLECT { MATCH (row4seed)-[:TAGGED]->(t31:Tag)<-[:TAGGED]-(n5) WHERE row4.content WITH t31 ORDER BY t31.name LIMIT 2
  RETURN {kind: 'TAG', via: t31, text: 'Also tagged "' + t31.name + '"'} }
+ 
  COLLECT { MATCH (row4seed)-[:IN_GENRE]->(g32:Genre)<-[:IN_GENRE]-(n5) WHERE row4.content WITH g32 ORDER BY COUNT { (g32)<-[:IN_GENRE]-() }, g32.name LIMIT 1
  RETURN {kind: 'GENRE', via: g32, text: 'Also in ' + g32.name} } AS row4reasons
RETURN {movieId: n5.movieId, score: row4.score, reasons: [reason6 IN row4reasons[..3] | {kind: reason6.kind, text: reason6.text,
  viaType: head([l IN labels(reason6.via) WHERE l IN ['Movie', 'Person', 'Genre', 'Tag']]),
  viaKey: coalesce(reason6.via.movieId, reason6.via.personId, reason6.via.name)}]} AS this
ORDER BY i3

// params
{
  "p0": 1,
  "p1": 6,
  "p10": 100,
  "p11": 20,
  "p12": 6,
  "p13": 8,
  "p14": 5,
  "p2": 10,
  "p3": 0.8,
  "p4": 1,
  "p5": 0.1,
  "p6": 0.3,
  "p7": true,
  "p8": true,
  "p9": true
}
