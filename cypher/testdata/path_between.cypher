MATCH (a:Person {personId: $p0}), (z:Person {personId: $p1}) MATCH path = shortestPath((a)-[:ACTED_IN|DIRECTED*..6]-(z)) RETURN {`length`: length(path) / 2, `links`: [i1 IN range(0, length(path) / 2 - 1) | {`from`: head([n2 IN [nodes(path)[2 * i1 + 0]] | {`name`: n2.name}]), `movie`: head([n3 IN [nodes(path)[2 * i1 + 1]] | {`title`: n3.title}]), `to`: head([n4 IN [nodes(path)[2 * i1 + 2]] | {`name`: n4.name}])}]} AS this

// params
{
  "p0": 9142,
  "p1": 2363
}
