package limits

import (
	"context"
	"testing"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"
)

const testSchema = `
type Query { movie(id: ID!): Movie, movies: [Movie!]! }
type Movie { title: String!, cast: [Credit!]! }
type Credit { person: Person! }
type Person { name: String!, movies: [Movie!]! }
`

func TestOperationMeasures(t *testing.T) {
	schema := gqlparser.MustLoadSchema(&ast.Source{Input: testSchema})
	cases := []struct {
		name, query    string
		depth, aliases int
		introspects    bool
	}{
		{"flat", `{ movies { title } }`, 2, 0, false},
		{"nested", `{ movie(id: 1) { cast { person { movies { title } } } } }`, 5, 0, false},
		{"aliases", `{ a: movie(id: 1) { t: title } b: movie(id: 2) { title } }`, 2, 3, false},
		{"fragment spread twice counts twice", `{ a: movie(id: 1) { ...F } b: movie(id: 2) { ...F } } fragment F on Movie { x: title y: title cast { person { name } } }`, 4, 6, false},
		{"inline fragment adds no level", `{ movies { ... on Movie { cast { person { name } } } } }`, 4, 0, false},
		{"typename", `{ __typename }`, 1, 0, false},
		{"introspection", `{ __schema { types { name } } }`, 3, 0, true},
		{"introspection of a type", `{ movies { title } t: __type(name: "Movie") { name } }`, 2, 1, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			doc, err := gqlparser.LoadQuery(schema, tc.query)
			if err != nil {
				t.Fatal(err)
			}
			m := (&measurer{fragments: map[string]*measure{}}).selectionSet(doc.Operations[0].SelectionSet)
			if m.depth != tc.depth || m.aliases != tc.aliases || m.introspects != tc.introspects {
				t.Errorf("got %+v, want depth %d, aliases %d, introspects %v", m, tc.depth, tc.aliases, tc.introspects)
			}
		})
	}
}

func TestOperationRejects(t *testing.T) {
	schema := gqlparser.MustLoadSchema(&ast.Source{Input: testSchema})
	deep := `{ movie(id: 1) { cast { person { movies { title } } } } }` // depth 5
	cases := []struct {
		name  string
		limit Operation
		query string
		code  string
	}{
		{"within every limit", Operation{MaxDepth: 5, MaxAliases: 1, Introspection: true}, deep, ""},
		{"too deep", Operation{MaxDepth: 4}, deep, "DEPTH_LIMIT_EXCEEDED"},
		{"too many aliases", Operation{MaxAliases: 1}, `{ a: movies { title } b: movies { title } }`, "ALIAS_LIMIT_EXCEEDED"},
		{"introspection off", Operation{}, `{ __schema { queryType { name } } }`, "INTROSPECTION_DISABLED"},
		{"typename is not introspection", Operation{}, `{ __typename }`, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			doc, err := gqlparser.LoadQuery(schema, tc.query)
			if err != nil {
				t.Fatal(err)
			}
			oc := &graphql.OperationContext{Doc: doc, Operation: doc.Operations[0]}
			gqlErr := tc.limit.MutateOperationContext(context.Background(), oc)
			code := ""
			if gqlErr != nil {
				code, _ = gqlErr.Extensions["code"].(string)
			}
			if code != tc.code {
				t.Errorf("got %v (code %q), want code %q", gqlErr, code, tc.code)
			}
			if oc.DisableIntrospection == tc.limit.Introspection {
				t.Errorf("DisableIntrospection = %v with Introspection = %v", oc.DisableIntrospection, tc.limit.Introspection)
			}
		})
	}
}
