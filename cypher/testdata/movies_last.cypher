RETURN {`#total`: COUNT { MATCH (n3:Movie)-[:IN_GENRE]->(:Genre {name: $p0}) WHERE EXISTS { (n3)-[:IN_GENRE]->(w1_v1:Genre) WHERE w1_v1.name IN $w1_0 } }, `#first`: $p2, `#backward`: true, `#order`: $p3, `#outside`: false, `#keys`: null, `#pageEdges`: $p4, `edges`: reverse(
  COLLECT { MATCH (n5:Movie)-[:IN_GENRE]->(:Genre {name: $p0}) WHERE EXISTS { (n5)-[:IN_GENRE]->(w1_v1:Genre) WHERE w1_v1.name IN $w1_0 } WITH n5 ORDER BY n5.year IS NULL DESC, n5.year ASC, n5.movieId DESC LIMIT $p5 RETURN {`#cursor`: [n5.year IS NULL, n5.year, n5.movieId], `node`: {`#key`: n5.movieId, `title`: n5.title, `year`: n5.year}} })} AS this

// params
{
  "p0": "Film-Noir",
  "p2": 3,
  "p3": "14vmp1p",
  "p4": "edges",
  "p5": 4,
  "w1_0": [
    "Film-Noir"
  ]
}
