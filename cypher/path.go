package cypher

import (
	"strconv"

	"filmgraph/apperr"
)

// MaxPathHops caps Query.pathBetween: six degrees of separation.
const MaxPathHops = 6

// pathLengths holds the variable-length bound for each maxHops (two relationships per
// film: person -> film <- person). A bound cannot be a parameter, so it comes from this
// fixed table, never from the request.
var pathLengths = [MaxPathHops + 1]string{"", "*..2", "*..4", "*..6", "*..8", "*..10", "*..12"}

var personPathType = &objectType{name: "PersonPath"}
var personLinkType = &objectType{name: "PersonLink"}

func init() {
	// A PersonPath is read with the path in the node slot; a PersonLink with the path in
	// the node slot and the link's index in the rel slot.
	define(personPathType, map[string]fieldFunc{
		"length": func(_ *builder, s scope, _ Field) (string, error) {
			return "length(" + s.node + ") / 2", nil
		},
		"links": func(b *builder, s scope, f Field) (string, error) {
			i := b.variable("i")
			proj, err := b.project(personLinkType, scope{node: s.node, rel: i}, f.Selections)
			if err != nil {
				return "", err
			}
			return "[" + i + " IN range(0, length(" + s.node + ") / 2 - 1) | " + proj + "]", nil
		},
	})
	define(personLinkType, map[string]fieldFunc{
		"from":      pathNode(0, personType),
		"fromRoles": pathRoles(0),
		"movie":     pathNode(1, movieType),
		"to":        pathNode(2, personType),
		"toRoles":   pathRoles(2),
	})
}

// pathRoles lists how person 2*i+offset of the path worked on the link's film: 'ACTOR',
// 'DIRECTOR' or both, in that order, read from every credit between the two (the path
// itself goes through one of them only).
func pathRoles(offset int) fieldFunc {
	return func(b *builder, s scope, _ Field) (string, error) {
		p, m, r, roles := b.variable("n"), b.variable("m"), b.variable("r"), b.variable("roles")
		return fill("head([{p} IN [nodes({path})[2 * {i} + {offset}]] | head([{m} IN [nodes({path})[2 * {i} + 1]] | "+
			"head([{roles} IN [[({p})-[{r}:ACTED_IN|DIRECTED]->({m}) | type({r})]] | "+
			"[role IN ['ACTOR', 'DIRECTOR'] WHERE (role = 'ACTOR' AND 'ACTED_IN' IN {roles}) OR (role = 'DIRECTOR' AND 'DIRECTED' IN {roles})]])])])",
			"p", p, "m", m, "r", r, "roles", roles, "path", s.node, "i", s.rel, "offset", strconv.Itoa(offset)), nil
	}
}

// pathNode projects node 2*i+offset of the path, binding it with a one-element list.
func pathNode(offset int, t *objectType) fieldFunc {
	return func(b *builder, s scope, f Field) (string, error) {
		x := b.variable("n")
		proj, err := b.project(t, scope{node: x}, f.Selections)
		if err != nil {
			return "", err
		}
		return fill("head([{x} IN [nodes({path})[2 * {i} + {offset}]] | {node}])",
			"x", x, "path", s.node, "i", s.rel, "offset", strconv.Itoa(offset), "node", proj), nil
	}
}

// PathBetween returns the statement for req's field, Query.pathBetween: the
// shortest chain of shared films between two people, or no row when there is none within
// maxHops films.
func PathBetween(req Request, from, to, maxHops int64) (Statement, error) {
	if maxHops < 1 || maxHops > MaxPathHops {
		return Statement{}, apperr.New(apperr.BadUserInput, "`maxHops` must be between 1 and %d, got %d", MaxPathHops, maxHops)
	}
	if from == to {
		return Statement{}, apperr.New(apperr.BadUserInput, "`from` and `to` must be two different people")
	}
	b := newBuilder(req)
	proj, err := b.project(personPathType, scope{node: "path"}, req.Field.Selections)
	if err != nil {
		return Statement{}, err
	}
	return b.statement(fill("MATCH (a:Person {personId: {from}}), (z:Person {personId: {to}}) "+
		"MATCH path = shortestPath((a)-[:ACTED_IN|DIRECTED{length}]-(z)) RETURN {path} AS this",
		"from", b.param(from), "to", b.param(to), "length", pathLengths[maxHops], "path", proj)), nil
}
