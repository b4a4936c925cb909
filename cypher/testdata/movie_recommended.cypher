MATCH (this:Movie {movieId: $p0}) RETURN {`#key`: this.movieId, `title`: this.title, `recommended`: head([ranked4 IN [
  COLLECT { MATCH (this)-[sim2:SIMILAR]->(c1:Movie) WITH c1, $p6 * coalesce(sim2.followed, 0.0) + $p1 * coalesce(sim2.collaborative, 0.0) + $p2 * coalesce(sim2.content, 0.0) AS score3 WHERE score3 > 0 ORDER BY score3 DESC, c1.movieId LIMIT $p3 RETURN {movie: c1, score: score3, seed: this, collab: $p4, content: $p5, followed: $p7, followers: sim2.followers} }] | {`#total`: size(ranked4), `#offset`: $p8, `#first`: $p9, `edges`: 
  COLLECT { UNWIND range($p8, size(ranked4) - 1) AS i5 WITH ranked4[i5] AS row6, i5 ORDER BY i5 LIMIT $p9 WITH row6, row6.movie AS n7, row6.seed AS row6seed WITH *, 
  COLLECT { MATCH (row6seed)<-[a11:RATED]-(u13:User) WHERE row6.collab AND a11.score >= $p10 RETURN u13 } AS fans17
WITH *, coalesce(row6.fixed, [])
+ [k10 IN [row6.rated] WHERE k10 IS NOT NULL |
  {kind: 'YOU_RATED', via: row6seed, text: 'Because you rated ' + row6seed.title + ' ' + toString(k10) + '/10'}]
+ [k10 IN [COUNT { (n7)<-[r12:RATED]-(u13:User) WHERE r12.score >= $p10 AND u13 IN fans17 }] WHERE k10 >= $p11 AND row6.collab |
  {kind: 'COLLABORATIVE', via: row6seed, text: 'Rated 8+ by ' + toString(k10) + ' people who loved ' + row6seed.title}]
+ [k10 IN [row6.followers] WHERE k10 >= $p11 AND row6.followed |
  {kind: 'FOLLOWED', via: row6seed, text: toString(k10) + ' people rated it within their next 10 films after ' + row6seed.title}]
+ 
  COLLECT { MATCH (row6seed)<-[:DIRECTED]-(p14:Person)-[:DIRECTED]->(n7) WHERE row6.content WITH p14 ORDER BY p14.name, p14.personId
  RETURN {kind: 'DIRECTOR', via: p14, text: 'Also directed by ' + p14.name} }
+ 
  COLLECT { MATCH (row6seed)<-[a11:ACTED_IN]-(p14:Person)-[r12:ACTED_IN]->(n7) WHERE row6.content WITH p14, a11, r12 ORDER BY a11.order + r12.order, p14.personId LIMIT 3
  RETURN {kind: 'CAST', via: p14, text: 'Also stars ' + p14.name} }
+ 
  COLLECT { MATCH (row6seed)-[:TAGGED]->(t15:Tag)<-[:TAGGED]-(n7) WHERE row6.content WITH t15 ORDER BY t15.name LIMIT 2
  RETURN {kind: 'TAG', via: t15, text: 'Also tagged "' + t15.name + '"'} }
+ 
  COLLECT { MATCH (row6seed)-[:IN_GENRE]->(g16:Genre)<-[:IN_GENRE]-(n7) WHERE row6.content WITH g16 ORDER BY COUNT { (g16)<-[:IN_GENRE]-() }, g16.name LIMIT 1
  RETURN {kind: 'GENRE', via: g16, text: 'Also in ' + g16.name} } AS row6reasons RETURN {`node`: {`score`: row6.score, `movie`: {`#key`: n7.movieId, `title`: n7.title}, `reasons`: [reason8 IN row6reasons[..3] | {`kind`: reason8.kind, `text`: reason8.text, `via`: head([via9 IN [reason8.via] WHERE via9 IS NOT NULL | CASE WHEN via9:Movie THEN {`#type`: 'Movie', `#key`: via9.movieId, `title`: via9.title} WHEN via9:Person THEN {`#type`: 'Person', `#key`: via9.personId, `name`: via9.name} WHEN via9:Genre THEN {`#type`: 'Genre', `#key`: via9.name, `name`: via9.name} WHEN via9:Tag THEN {`#type`: 'Tag', `#key`: via9.name, `name`: via9.name} END])}]}} }}])} AS this

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
