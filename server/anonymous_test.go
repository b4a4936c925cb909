package server

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/vektah/gqlparser/v2/ast"

	"filmgraph/graph"
	"filmgraph/relay"
)

// anonymousMutations are the mutations an anonymous request may call.
var anonymousMutations = []string{"signUp", "logIn"}

// sampleIDs are well-formed ids for the ID arguments of mutations, by argument name: the
// request must be refused for being anonymous, not for a malformed id.
var sampleIDs = map[string]string{
	"movieId":      relay.ID("Movie", "80969"),
	"listId":       relay.ID("UserList", "1"),
	"reviewId":     relay.ID("Review", "1"),
	"commentId":    relay.ID("Comment", "1"),
	"submissionId": relay.ID("SynopsisSubmission", "1"),
}

// sampleArgument returns a valid value of a's type: ids from sampleIDs, small in-range
// numbers, short texts, the first enum value, input objects with their required fields.
func sampleArgument(t *testing.T, schema *ast.Schema, field string, a *ast.ArgumentDefinition) any {
	t.Helper()
	return sampleValue(t, schema, field+"."+a.Name, a.Name, a.Type)
}

func sampleValue(t *testing.T, schema *ast.Schema, where, name string, typ *ast.Type) any {
	t.Helper()
	if typ.Elem != nil {
		return []any{sampleValue(t, schema, where, name, typ.Elem)}
	}
	switch def := schema.Types[typ.Name()]; {
	case typ.Name() == "ID":
		id, ok := sampleIDs[name]
		if !ok {
			t.Fatalf("%s: no sample id for an ID argument named %q: add one to sampleIDs", where, name)
		}
		return id
	case typ.Name() == "String":
		return "a valid sample text"
	case typ.Name() == "Int":
		return 1
	case typ.Name() == "Float":
		return 1.0
	case typ.Name() == "Boolean":
		return true
	case def != nil && def.Kind == ast.Enum:
		return def.EnumValues[0].Name
	case def != nil && def.Kind == ast.InputObject:
		obj := map[string]any{}
		for _, f := range def.Fields {
			if f.Type.NonNull && f.DefaultValue == nil {
				obj[f.Name] = sampleValue(t, schema, where+"."+f.Name, f.Name, f.Type)
			}
		}
		return obj
	default:
		t.Fatalf("%s: no sample value for type %s", where, typ)
		return nil
	}
}

// TestEveryMutationRefusesAnonymousRequests sends every mutation of the schema, with valid
// arguments and no token, and expects UNAUTHENTICATED without a database statement, except
// for the mutations that log in.
func TestEveryMutationRefusesAnonymousRequests(t *testing.T) {
	schema := graph.NewExecutableSchema(graph.Config{}).Schema()
	for _, name := range anonymousMutations {
		if schema.Mutation.Fields.ForName(name) == nil {
			t.Errorf("anonymousMutations names %s, which the schema does not have", name)
		}
	}
	checked := 0
	for _, f := range schema.Mutation.Fields {
		if strings.HasPrefix(f.Name, "__") || slices.Contains(anonymousMutations, f.Name) {
			continue
		}
		checked++
		t.Run(f.Name, func(t *testing.T) {
			var params, args []string
			vars := map[string]any{}
			for _, a := range f.Arguments {
				params = append(params, fmt.Sprintf("$%s: %s", a.Name, a.Type))
				args = append(args, fmt.Sprintf("%s: $%s", a.Name, a.Name))
				vars[a.Name] = sampleArgument(t, schema, f.Name, a)
			}
			selection := ""
			if k := schema.Types[f.Type.Name()].Kind; k == ast.Object || k == ast.Interface || k == ast.Union {
				selection = " { __typename }"
			}
			op := fmt.Sprintf("mutation(%s) { %s(%s)%s }", strings.Join(params, ", "), f.Name, strings.Join(args, ", "), selection)
			if len(params) == 0 {
				op = fmt.Sprintf("mutation { %s%s }", f.Name, selection)
			}
			status, resp, trips := postAs(t, "", op, vars)
			if status != http.StatusOK || len(resp.Errors) != 1 || resp.codes()[0] != "UNAUTHENTICATED" {
				t.Fatalf("%s\nstatus %d, errors %+v, want one UNAUTHENTICATED", op, status, resp.Errors)
			}
			if trips != 0 {
				t.Errorf("%d database statements for an anonymous request, want none", trips)
			}
		})
	}
	t.Logf("%d mutations refused to an anonymous request", checked)
}
