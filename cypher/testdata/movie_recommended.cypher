MATCH (this:Movie {movieId: $p0}) RETURN {`title`: this.title, `recommended`: head([ranked5 IN [
  COLLECT { MATCH (this)-[sim2:SIMILAR]->(c1:Movie) WITH c1, sim2.followers AS followers4, $p6 * coalesce(sim2.followed, 0.0) + $p1 * coalesce(sim2.collaborative, 0.0) + $p2 * coalesce(sim2.content, 0.0) AS score3 WHERE score3 > 0 ORDER BY score3 DESC, c1.movieId LIMIT $p3 RETURN {movie: c1, score: score3, seed: this, collab: $p4, content: $p5, followed: $p7, followers: followers4} }] | {`#total`: size(ranked5), `#offset`: $p8, `#first`: $p9, `edges`: 
  COLLECT { UNWIND range($p8, size(ranked5) - 1) AS i6 WITH ranked5[i6] AS row7, i6 ORDER BY i6 LIMIT $p9 WITH row7, row7.movie AS n8, row7.seed AS row7seed WITH *, 
  COLLECT { MATCH (row7seed)<-[a12:RATED]-(u14:User) WHERE row7.collab AND a12.score >= $p10 RETURN u14 } AS fans18
WITH *, coalesce(row7.fixed, [])
+ [k11 IN [row7.rated] WHERE k11 IS NOT NULL |
  {kind: 'YOU_RATED', via: row7seed, text: 'Because you rated ' + row7seed.title + ' ' + toString(k11) + '/10'}]
+ [k11 IN [COUNT { (n8)<-[r13:RATED]-(u14:User) WHERE r13.score >= $p10 AND u14 IN fans18 }] WHERE k11 >= $p11 AND row7.collab |
  {kind: 'COLLABORATIVE', via: row7seed, text: 'Rated 8+ by ' + toString(k11) + ' people who loved ' + row7seed.title}]
+ [k11 IN [row7.followers] WHERE k11 >= $p11 AND row7.followed |
  {kind: 'FOLLOWED', via: row7seed, text: toString(k11) + ' people rated it within their next 10 films after ' + row7seed.title}]
+ 
  COLLECT { MATCH (row7seed)<-[:DIRECTED]-(p15:Person)-[:DIRECTED]->(n8) WHERE row7.content WITH p15 ORDER BY p15.name, p15.personId
  RETURN {kind: 'DIRECTOR', via: p15, text: 'Also directed by ' + p15.name} }
+ 
  COLLECT { MATCH (row7seed)<-[a12:ACTED_IN]-(p15:Person)-[r13:ACTED_IN]->(n8) WHERE row7.content WITH p15, a12, r13 ORDER BY a12.order + r13.order, p15.personId LIMIT 3
  RETURN {kind: 'CAST', via: p15, text: 'Also stars ' + p15.name} }
+ 
  COLLECT { MATCH (row7seed)-[:TAGGED]->(t16:Tag)<-[:TAGGED]-(n8) WHERE row7.content WITH t16 ORDER BY t16.name LIMIT 2
  RETURN {kind: 'TAG', via: t16, text: 'Also tagged "' + t16.name + '"'} }
+ 
  COLLECT { MATCH (row7seed)-[:IN_GENRE]->(g17:Genre)<-[:IN_GENRE]-(n8) WHERE row7.content WITH g17 ORDER BY COUNT { (g17)<-[:IN_GENRE]-() }, g17.name LIMIT 1
  RETURN {kind: 'GENRE', via: g17, text: 'Also in ' + g17.name} } AS row7reasons RETURN {`node`: {`score`: row7.score, `movie`: {`title`: n8.title}, `reasons`: [reason9 IN row7reasons[..3] | {`kind`: reason9.kind, `text`: reason9.text, `via`: head([via10 IN [reason9.via] WHERE via10 IS NOT NULL | CASE WHEN via10:Movie THEN {`#type`: 'Movie', `title`: via10.title} WHEN via10:Person THEN {`#type`: 'Person', `name`: via10.name} WHEN via10:Genre THEN {`#type`: 'Genre', `name`: via10.name} WHEN via10:Tag THEN {`#type`: 'Tag', `name`: via10.name} END])}]}} }}])} AS this

// params
{
  "p0": 80969,
  "p1": 0.2,
  "p10": 8,
  "p11": 5,
  "p2": 0.6,
  "p3": 100,
  "p4": true,
  "p5": true,
  "p6": 0.2,
  "p7": true,
  "p8": 0,
  "p9": 3
}
