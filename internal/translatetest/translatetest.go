// Package translatetest plays gqlgen's part in tests of translations: it validates a
// query against a schema, builds the request of its first top-level field as the resolver
// boundary does (graph/selection), and decodes that field's arguments into the typed
// struct its resolver passes to package cypher.
package translatetest

import (
	"encoding/json"
	"testing"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/validator"

	"filmgraph/cypher"
	"filmgraph/graph/selection"
)

// Statement translates the first top-level field of query (no variables) with translate,
// given the field's arguments as A (see Args), and fails t on any error.
func Statement[A any](t testing.TB, schema *ast.Schema, query string, translate func(cypher.Request, A) (cypher.Statement, error)) cypher.Statement {
	t.Helper()
	return StatementWithVars(t, schema, query, nil, translate)
}

// StatementWithVars is Statement with the operation's variables.
func StatementWithVars[A any](t testing.TB, schema *ast.Schema, query string, variables map[string]any, translate func(cypher.Request, A) (cypher.Statement, error)) cypher.Statement {
	t.Helper()
	op, field := Operation(t, schema, query, variables)
	req := cypher.Request{Field: selection.Of(op, field)}
	stmt, err := translate(req, Args[A](t, req.Field))
	if err != nil {
		t.Fatal(err)
	}
	return stmt
}

// Request validates query (no variables; their defaults applied) and returns the request
// of its first top-level field (of a query or a mutation), anonymous.
func Request(t testing.TB, schema *ast.Schema, query string) cypher.Request {
	t.Helper()
	return Requests(t, schema, query)()
}

// Requests validates query once and returns a function that builds the request of its
// first top-level field, to be called as often as a benchmark likes.
func Requests(t testing.TB, schema *ast.Schema, query string) func() cypher.Request {
	t.Helper()
	op, field := Operation(t, schema, query, nil)
	return func() cypher.Request { return cypher.Request{Field: selection.Of(op, field)} }
}

// Operation validates query with variables (their defaults applied, as gqlgen applies
// them before resolving) and returns the operation and its first top-level field (of a
// query or a mutation) as gqlgen collects them.
func Operation(t testing.TB, schema *ast.Schema, query string, variables map[string]any) (*graphql.OperationContext, graphql.CollectedField) {
	t.Helper()
	doc, errs := gqlparser.LoadQuery(schema, query)
	if errs != nil {
		t.Fatalf("invalid query: %v", errs)
	}
	op := doc.Operations[0]
	vars, err := validator.VariableValues(schema, op, variables)
	if err != nil {
		t.Fatalf("variables: %v", err)
	}
	opCtx := &graphql.OperationContext{RawQuery: query, Doc: doc, Operation: op, Variables: vars}
	rootType := "Query"
	if op.Operation == ast.Mutation {
		rootType = "Mutation"
	}
	return opCtx, graphql.CollectFields(opCtx, op.SelectionSet, []string{rootType})[0]
}

// Args decodes the arguments of f (schema defaults applied) into A by their schema names,
// as gqlgen decodes them for the field's resolver: a single value where the schema takes
// a list becomes a one-element list, and `[]` stays an empty list (not null).
func Args[A any](t testing.TB, f cypher.Field) A {
	t.Helper()
	var out A
	coerced := make(map[string]any, len(f.Args))
	for name, v := range f.Args {
		switch list := v.(type) {
		case nil:
		case []any:
			if list == nil {
				v = []any{}
			}
		default:
			if listArguments[name] {
				v = []any{v}
			}
		}
		coerced[name] = v
	}
	encoded, err := json.Marshal(coerced)
	if err == nil {
		err = json.Unmarshal(encoded, &out)
	}
	if err != nil {
		t.Fatalf("arguments %v of %s do not decode into %T: %v", f.Args, f.Name, out, err)
	}
	return out
}

// listArguments are the top-level arguments whose schema type is a list.
var listArguments = map[string]bool{"orderBy": true, "types": true, "ids": true}
