package cypher

import (
	"context"
	"fmt"

	"github.com/99designs/gqlgen/graphql"

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
		"length": func(_ *builder, s scope, _ graphql.CollectedField) (string, error) {
			return "length(" + s.node + ") / 2", nil
		},
		"links": func(b *builder, s scope, f graphql.CollectedField) (string, error) {
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
	return func(b *builder, s scope, _ graphql.CollectedField) (string, error) {
		p, m, r, roles := b.variable("n"), b.variable("m"), b.variable("r"), b.variable("roles")
		return fmt.Sprintf("head([%[1]s IN [nodes(%[5]s)[2 * %[6]s + %[7]d]] | head([%[2]s IN [nodes(%[5]s)[2 * %[6]s + 1]] | "+
			"head([%[4]s IN [[(%[1]s)-[%[3]s:ACTED_IN|DIRECTED]->(%[2]s) | type(%[3]s)]] | "+
			"[role IN ['ACTOR', 'DIRECTOR'] WHERE (role = 'ACTOR' AND 'ACTED_IN' IN %[4]s) OR (role = 'DIRECTOR' AND 'DIRECTED' IN %[4]s)]])])])",
			p, m, r, roles, s.node, s.rel, offset), nil
	}
}

// pathNode projects node 2*i+offset of the path, binding it with a one-element list.
func pathNode(offset int, t *objectType) fieldFunc {
	return func(b *builder, s scope, f graphql.CollectedField) (string, error) {
		x := b.variable("n")
		proj, err := b.project(t, scope{node: x}, f.Selections)
		if err != nil {
			return "", err
		}
		return fmt.Sprintf("head([%s IN [nodes(%s)[2 * %s + %d]] | %s])", x, s.node, s.rel, offset, proj), nil
	}
}

// PathBetween returns the statement for the current field, Query.pathBetween: the
// shortest chain of shared films between two people, or no row when there is none within
// maxHops films.
func PathBetween(ctx context.Context, from, to, maxHops int64) (Statement, error) {
	if maxHops < 1 || maxHops > MaxPathHops {
		return Statement{}, apperr.New(apperr.BadUserInput, "`maxHops` must be between 1 and %d, got %d", MaxPathHops, maxHops)
	}
	if from == to {
		return Statement{}, apperr.New(apperr.BadUserInput, "`from` and `to` must be two different people")
	}
	b := newBuilder(ctx)
	proj, err := b.project(personPathType, scope{node: "path"}, graphql.GetFieldContext(ctx).Field.Selections)
	if err != nil {
		return Statement{}, err
	}
	return b.statement(fmt.Sprintf("MATCH (a:Person {personId: %s}), (z:Person {personId: %s}) "+
		"MATCH path = shortestPath((a)-[:ACTED_IN|DIRECTED%s]-(z)) RETURN %s AS this",
		b.param(from), b.param(to), pathLengths[maxHops], proj)), nil
}
