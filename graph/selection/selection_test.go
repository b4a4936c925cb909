package selection_test

import (
	"fmt"
	"reflect"
	"testing"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"

	"filmgraph/cypher"
	"filmgraph/graph"
	"filmgraph/graph/selection"
	"filmgraph/internal/translatetest"
)

// loadSchema is the served schema, federation's additions included.
func loadSchema(t *testing.T) *ast.Schema {
	t.Helper()
	return graph.NewExecutableSchema(graph.Config{}).Schema()
}

// build validates query with variables and returns its operation and first top-level
// field as gqlgen collects them, and the field as selection.Of builds it.
func build(t *testing.T, schema *ast.Schema, query string, variables map[string]any) (*graphql.OperationContext, graphql.CollectedField, cypher.Field) {
	t.Helper()
	opCtx, top := translatetest.Operation(t, schema, query, variables)
	return opCtx, top, selection.Of(opCtx, top)
}

// satisfies lists, for each object type a value of typeName can have, the names it
// satisfies (its own and its interfaces'), as gqlgen's generated code passes them.
func satisfies(schema *ast.Schema, typeName string) [][]string {
	def := schema.Types[typeName]
	if def == nil || def.Kind == ast.Scalar || def.Kind == ast.Enum {
		return nil
	}
	var out [][]string
	for _, object := range schema.GetPossibleTypes(def) {
		out = append(out, append([]string{object.Name}, object.Interfaces...))
	}
	return out
}

// sameAsGqlgen checks, for every concrete type at every level, that Collect over the built
// selection gives the fields gqlgen's CollectFields gives over the document: same
// response names, names, types and decoded arguments, in the same order.
func sameAsGqlgen(t *testing.T, schema *ast.Schema, op *graphql.OperationContext, path, typeName string, ours []cypher.Field, theirs ast.SelectionSet) {
	t.Helper()
	for _, types := range satisfies(schema, typeName) {
		got := cypher.Collect(ours, types)
		want := graphql.CollectFields(op, theirs, types)
		if len(got) != len(want) {
			t.Errorf("%s as %s: %d fields, gqlgen collects %d", path, types[0], len(got), len(want))
			continue
		}
		for i, w := range want {
			g := got[i]
			wantArgs := w.ArgumentMap(op.Variables)
			sameArgs := len(g.Args) == 0 && len(wantArgs) == 0 || reflect.DeepEqual(g.Args, wantArgs)
			if g.Alias != w.Alias || g.Name != w.Name || g.Type != w.Definition.Type.Name() || !sameArgs || len(g.On) != 0 {
				t.Errorf("%s as %s, field %d: got %s: %s (%s) %v on %v, gqlgen %s: %s (%s) %v", path, types[0], i,
					g.Alias, g.Name, g.Type, g.Args, g.On, w.Alias, w.Name, w.Definition.Type.Name(), wantArgs)
				continue
			}
			sameAsGqlgen(t, schema, op, path+"."+g.Alias, g.Type, g.Selections, w.Selections)
		}
	}
}

func TestSelectionsCollectAsGqlgenDoes(t *testing.T) {
	schema := loadSchema(t)
	cases := map[string]struct {
		query     string
		variables map[string]any
	}{
		"aliases with arguments": {query: `{ movie(id: "x") {
			first: cast(first: 2) { order } all: cast { person { name } } title t: title } }`},
		"a field repeated merges its selections": {query: `{ movie(id: "x") {
			directors { name } directors { id } ... on Movie { directors { name personId: id } } } }`},
		"named fragments, nested": {query: `query { movie(id: "x") { ...page } }
			fragment page on Movie { title ...people recommended(first: 3) { ...recs } }
			fragment people on Movie { directors { ...person } cast(first: 1) { person { ...person } } }
			fragment person on Person { id name }
			fragment recs on RecommendationConnection { totalCount edges { node { movie { title } } } }`},
		"a fragment spread again": {query: `query { movie(id: "x") { ...people ... on Movie { ...people } directors { ...person ...person } ...people @skip(if: true) } }
			fragment people on Movie { directors { ...person } cast(first: 2) { person { ...person } } }
			fragment person on Person { id name }`},
		"type conditions on a union": {query: `{ movie(id: "x") { recommended { edges { node { reasons { kind via {
			__typename
			... on Movie { id title }
			... on Person { id name }
			... on Genre { name movieCount }
			... on Tag { name }
			... on Node { id }
			... { __typename }
		} } } } } } }`},
		"type conditions on an interface": {query: `query { nodes(ids: ["a", "b"]) {
			id ... on Movie { title x: title } ... on Person { name x: name } ...genre } }
			fragment genre on Genre { name }`},
		"skip and include with variables": {
			query: `query($yes: Boolean!, $no: Boolean!) { movie(id: "x") {
				title @skip(if: $yes) year @include(if: $no) plot @include(if: $yes) synopsis @skip(if: $no)
				... on Movie @skip(if: $yes) { genres { name } }
				...more @include(if: $yes)
				cast @include(if: true) { order @skip(if: true) person { name } } } }
				fragment more on Movie { directors { name } }`,
			variables: map[string]any{"yes": true, "no": false},
		},
		"arguments from variables and defaults": {
			query: `query($first: Int, $strategy: RecommendationStrategy = CONTENT) { movie(id: "x") {
				recommended(first: $first, strategy: $strategy) { totalCount } cast { order } tags(first: 2) { name } } }`,
			variables: map[string]any{"first": 7},
		},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			op, top, field := build(t, schema, c.query, c.variables)
			if field.Alias != top.Alias || field.Name != top.Name || field.Type != top.Definition.Type.Name() {
				t.Errorf("top-level field %s: %s (%s), want %s: %s", field.Alias, field.Name, field.Type, top.Alias, top.Name)
			}
			sameAsGqlgen(t, schema, op, field.Alias, field.Type, field.Selections, top.Selections)
		})
	}
}

// The expected values below are written out from the query, not taken from gqlgen.
func TestSelectionOfAMoviePage(t *testing.T) {
	schema := loadSchema(t)
	_, _, field := build(t, schema, `query($skipYear: Boolean!, $n: Int) { film: movie(id: "TW92aWU6MQ") {
		title year @skip(if: $skipYear)
		cast(first: $n) { person { name } }
		recommended(first: 3) { edges { node { reasons { via { ... on Person { name } ... on Genre { n: name } } } } } }
	} }`, map[string]any{"skipYear": true, "n": 4})
	if field.Alias != "film" || field.Name != "movie" || field.Type != "Movie" || field.Args["id"] != "TW92aWU6MQ" {
		t.Errorf("top-level field: %+v", field)
	}
	fields := cypher.Collect(field.Selections, []string{"Movie", "Node"})
	var names []string
	for _, f := range fields {
		names = append(names, f.Alias)
	}
	if !reflect.DeepEqual(names, []string{"title", "cast", "recommended"}) {
		t.Fatalf("fields %v, want title, cast and recommended (year is skipped)", names)
	}
	if fmt.Sprint(fields[1].Args["first"]) != "4" {
		t.Errorf("cast's first: %#v, want the variable's 4", fields[1].Args["first"])
	}
	if got := fields[2].Args; got["first"] != int64(3) || got["strategy"] != "HYBRID" || got["after"] != nil {
		t.Errorf("recommended's arguments %v, want first 3 and the schema's default strategy", got)
	}
	via := fields[2].Selections[0].Selections[0].Selections[0].Selections[0]
	if via.Name != "via" || via.Type != "RecommendationVia" {
		t.Fatalf("via: %+v", via)
	}
	for typeName, want := range map[string][]string{"Person": {"name"}, "Genre": {"n"}, "Movie": nil, "Tag": nil} {
		var got []string
		for _, f := range cypher.Collect(via.Selections, []string{typeName}) {
			got = append(got, f.Alias)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("via as %s selects %v, want %v", typeName, got, want)
		}
	}
}
