RETURN {`#first`: $p0, `#backward`: false, `#order`: $p1, `#outside`: false, `#keys`: null, `edges`: 
  COLLECT { MATCH (n2:Genre) WITH n2 ORDER BY n2.name ASC LIMIT $p2 RETURN {`#cursor`: [n2.name], `node`: {`#key`: n2.name, `name`: n2.name, `parent`: head(
  COLLECT { MATCH (n2)-[r3:SUBGENRE_OF]->(n4) WITH n4, r3 ORDER BY n4.name LIMIT 1 RETURN {`name`: n4.name} }), `subgenres`: 
  COLLECT { MATCH (n2)<-[r5:SUBGENRE_OF]-(n6) WITH n6, r5 ORDER BY n6.name RETURN {`#key`: n6.name} }}} }} AS this

// params
{
  "p0": 3,
  "p1": "s9bufs",
  "p2": 3
}
