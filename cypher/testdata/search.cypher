CALL {
  CALL db.index.fulltext.queryNodes('movieTitleSearch', $query, {limit: $first}) YIELD node, score
  RETURN node, score
  UNION ALL
  CALL db.index.fulltext.queryNodes('personNameSearch', $query, {limit: $first}) YIELD node, score
  RETURN node, score
}
WITH node, score
ORDER BY score DESC, coalesce(node.movieId, -1), coalesce(node.personId, -1)
LIMIT $first
RETURN {`score`: score, `item`: CASE WHEN node:Movie THEN {`#type`: 'Movie', `#key`: node.movieId, `title`: node.title, `year`: node.year} ELSE {`#type`: 'Person', `#key`: node.personId, `name`: node.name} END} AS this

// params
{
  "first": 5,
  "query": "+(romanik^2 romanik* romanik~1)"
}
