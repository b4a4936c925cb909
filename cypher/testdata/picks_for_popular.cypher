MATCH (me1:User {userId: $p0})
CALL (me1) {
  MATCH (c10:Movie) WHERE NOT EXISTS { (me1)-[:RATED|COLLECTED|HID]->(c10) }
  WITH c10, COUNT { (c10)<-[:RATED]-(:User) } AS n18
  ORDER BY n18 DESC, c10.movieId LIMIT $p10
  RETURN collect({movie: c10, score: toFloat(n18), seed: null, collab: false, content: false, followed: false,
    fixed: [{kind: 'POPULAR', via: null, text: 'Rated by ' + toString(n18) + ' people'}]}) AS picks14
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
  "p4": 0,
  "p5": 0,
  "p6": 0,
  "p7": false,
  "p8": false,
  "p9": false
}
