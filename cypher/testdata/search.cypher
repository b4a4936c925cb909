CALL () {
  CALL db.index.fulltext.queryNodes('movieTitleSearch', $query, {limit: $limit}) YIELD node, score
  RETURN node, score
  UNION ALL
  CALL db.index.fulltext.queryNodes('personNameSearch', $query, {limit: $limit}) YIELD node, score
  RETURN node, score
}
WITH node, score
ORDER BY score DESC, coalesce(node.movieId, -1), coalesce(node.personId, -1)
LIMIT $limit
WITH collect({node: node, score: score}) AS hits1
RETURN {`#total`: size(hits1), `#offset`: $p0, `#first`: $p1, `edges`: 
  COLLECT { UNWIND hits1[$p0..$p0 + $p1] AS hit2 WITH hit2.node AS n3, hit2.score AS score4 ORDER BY score4 DESC, coalesce(n3.movieId, -1), coalesce(n3.personId, -1) RETURN {`score`: score4, `node`: CASE WHEN n3:Movie THEN {`#type`: 'Movie', `title`: n3.title, `year`: n3.year} ELSE {`#type`: 'Person', `name`: n3.name} END} }} AS this

// params
{
  "limit": 1000,
  "p0": 0,
  "p1": 5,
  "query": "+(romanik^2 romanik* romanik~1)"
}
