RETURN {`#total`: COUNT { MATCH (n5:Movie)-[:IN_GENRE]->(:Genre {name: $p0}) WHERE EXISTS { (n5)-[:IN_GENRE]->(w1_v1:Genre) WHERE w1_v1.name IN $w1_0 } }, `#first`: $p3, `#backward`: true, `#order`: $p4, `#outside`: false, `#keys`: 
  COLLECT { MATCH (n3:Movie)-[:IN_GENRE]->(:Genre {name: $p0}) WHERE EXISTS { (n3)-[:IN_GENRE]->(w1_v1:Genre) WHERE w1_v1.name IN $w1_0 } WITH n3 ORDER BY n3.year IS NULL DESC, n3.year ASC, n3.movieId DESC LIMIT $p2 RETURN [n3.year IS NULL, n3.year, n3.movieId] }, `edges`: reverse(
  COLLECT { MATCH (n7:Movie)-[:IN_GENRE]->(:Genre {name: $p0}) WHERE EXISTS { (n7)-[:IN_GENRE]->(w1_v1:Genre) WHERE w1_v1.name IN $w1_0 } WITH n7 ORDER BY n7.year IS NULL DESC, n7.year ASC, n7.movieId DESC LIMIT $p5 RETURN {`#cursor`: [n7.year IS NULL, n7.year, n7.movieId], `node`: {`#key`: n7.movieId, `title`: n7.title, `year`: n7.year}} })} AS this

// params
{
  "p0": "Film-Noir",
  "p2": 4,
  "p3": 3,
  "p4": "14vmp1p",
  "p5": 3,
  "w1_0": [
    "Film-Noir"
  ]
}
