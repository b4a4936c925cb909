RETURN {`#total`: COUNT { MATCH (n3:Movie) WHERE EXISTS { (n3)-[:IN_GENRE]->(w1_v1:Genre) WHERE w1_v1.name IN $w1_0 } }, `#first`: $p1, `#backward`: true, `#order`: $p2, `#outside`: false, `#keys`: 
  COLLECT { MATCH (n5:Movie) WHERE EXISTS { (n5)-[:IN_GENRE]->(w1_v1:Genre) WHERE w1_v1.name IN $w1_0 } WITH n5 ORDER BY n5.year IS NULL DESC, n5.year ASC, n5.movieId DESC LIMIT $p3 RETURN [n5.year IS NULL, n5.year, n5.movieId] }, `edges`: reverse(
  COLLECT { MATCH (n7:Movie) WHERE EXISTS { (n7)-[:IN_GENRE]->(w1_v1:Genre) WHERE w1_v1.name IN $w1_0 } WITH n7 ORDER BY n7.year IS NULL DESC, n7.year ASC, n7.movieId DESC LIMIT $p4 RETURN {`#cursor`: [n7.year IS NULL, n7.year, n7.movieId], `node`: {`#key`: n7.movieId, `title`: n7.title, `year`: n7.year}} })} AS this

// params
{
  "p1": 3,
  "p2": "w3puc7",
  "p3": 4,
  "p4": 3,
  "w1_0": [
    "Film-Noir"
  ]
}
