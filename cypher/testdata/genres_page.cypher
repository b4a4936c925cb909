RETURN {`#first`: $p0, `#backward`: false, `#order`: $p1, `#outside`: false, `#keys`: null, `edges`: 
  COLLECT { MATCH (n2:Genre) WITH n2 ORDER BY n2.name ASC LIMIT $p2 RETURN {`node`: {`name`: n2.name, `movieCount`: COUNT { (n2)<-[:IN_GENRE]-() }}} }} AS this

// params
{
  "p0": 50,
  "p1": "s9bufs",
  "p2": 50
}
