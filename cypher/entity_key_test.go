package cypher_test

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/validator"

	"filmgraph/auth"
	"filmgraph/cypher"
	"filmgraph/graph/selection"
)

// TestEntityKeyIsOneParameter checks the contract graph/selection's translation cache relies
// on: the statements of Movie, Person, Genre and User, for every golden query and for the example
// operations, are the same text with the same parameters whatever the key, which is in
// cypher.EntityKeyParam and nowhere else.
func TestEntityKeyIsOneParameter(t *testing.T) {
	schema := loadSchema(t)
	paths, _ := filepath.Glob("testdata/*.graphql")
	examples, _ := filepath.Glob("../docs/queries/*.graphql")
	translations := map[string]func(cypher.Request, int) (cypher.Statement, error){
		"movie":  func(req cypher.Request, k int) (cypher.Statement, error) { return cypher.Movie(req, int64(k)) },
		"person": func(req cypher.Request, k int) (cypher.Statement, error) { return cypher.Person(req, int64(k)) },
		"genre": func(req cypher.Request, k int) (cypher.Statement, error) {
			return cypher.Genre(req, []string{"", "Drama", "Sci-Fi"}[k])
		},
		"user": func(req cypher.Request, k int) (cypher.Statement, error) {
			return cypher.User(req, []string{"", "alice", "bob"}[k])
		},
	}
	keyOf := map[string][]any{"movie": {nil, int64(1), int64(2)}, "person": {nil, int64(1), int64(2)}, "genre": {nil, "Drama", "Sci-Fi"}, "user": {nil, "alice", "bob"}}
	checked := 0
	for _, path := range append(paths, examples...) {
		query, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		doc, errs := gqlparser.LoadQuery(schema, string(query))
		if errs != nil {
			continue // the example operations hold more than one kind; all of them parse
		}
		for _, op := range doc.Operations {
			vars, err := validator.VariableValues(schema, op, nil) // the defaults, as gqlgen applies them
			if err != nil {
				t.Fatal(err)
			}
			opCtx := &graphql.OperationContext{RawQuery: string(query), Doc: doc, Operation: op, Variables: vars}
			for _, field := range graphql.CollectFields(opCtx, op.SelectionSet, []string{"Query"}) {
				translate := translations[field.Name]
				if translate == nil {
					continue
				}
				for _, viewer := range []*auth.Viewer{nil, {UserID: 7}} {
					req := cypher.Request{Field: selection.Of(opCtx, field), Viewer: viewer}
					one, err1 := translate(req, 1)
					two, err2 := translate(req, 2)
					if err1 != nil || err2 != nil {
						t.Fatalf("%s: %v %v", path, err1, err2)
					}
					if one.Text != two.Text {
						t.Errorf("%s %s: the text depends on the key", path, field.Name)
					}
					for i, stmt := range []cypher.Statement{one, two} {
						if got := stmt.Params[cypher.EntityKeyParam]; got != keyOf[field.Name][i+1] {
							t.Errorf("%s %s: %s = %v, want the key %v", path, field.Name, cypher.EntityKeyParam, got, keyOf[field.Name][i+1])
						}
					}
					delete(one.Params, cypher.EntityKeyParam)
					delete(two.Params, cypher.EntityKeyParam)
					if !reflect.DeepEqual(one.Params, two.Params) {
						t.Errorf("%s %s: other parameters depend on the key: %v %v", path, field.Name, one.Params, two.Params)
					}
					checked++
				}
			}
		}
	}
	if checked < 10 {
		t.Errorf("only %d entity reads checked", checked)
	}
	t.Logf("%d entity reads checked", checked)
}
