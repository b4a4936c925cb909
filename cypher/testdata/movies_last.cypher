RETURN {`#total`: COUNT { MATCH (n3:Movie)-[:IN_GENRE]->(:Genre {name: $p0}) }, `#first`: $p1, `#backward`: true, `#order`: $p2, `#outside`: false, `#keys`: null, `#pageEdges`: $p3, `edges`: reverse(
  COLLECT { MATCH (n5:Movie)-[:IN_GENRE]->(:Genre {name: $p0}) WITH n5 ORDER BY n5.year IS NULL DESC, n5.year ASC, n5.movieId DESC LIMIT $p4 RETURN {`#cursor`: [n5.year IS NULL, n5.year, n5.movieId], `node`: {`title`: n5.title, `year`: n5.year}} })} AS this

// params
{
  "p0": "Film-Noir",
  "p1": 3,
  "p2": "14vmp1p",
  "p3": "edges",
  "p4": 4
}
