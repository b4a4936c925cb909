package graph

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"testing"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
)

// TestObjectJSONWritesWhatGqlgenWrites: the objects the generated executor returns
// (objectJSON) are written byte for byte as gqlgen's own graphql.FieldSet writes them,
// repeated response names included, below and above the number of fields scanned for them.
func TestObjectJSONWritesWhatGqlgenWrites(t *testing.T) {
	for _, n := range []int{0, 1, 3, scanFields, scanFields + 9} {
		var fields []graphql.CollectedField
		for i := range n {
			alias := fmt.Sprintf("f%d", i)
			if i%4 == 3 {
				alias = fmt.Sprintf("f%d", i/2) // a response name seen before
			}
			fields = append(fields, graphql.CollectedField{Field: &ast.Field{Alias: alias, Name: "name"}})
		}
		out := graphql.NewFieldSet(fields)
		for i := range fields {
			out.Values[i] = graphql.MarshalString(fmt.Sprintf("value \"%d\"", i))
		}
		if n > 1 {
			out.Values[1] = graphql.Null
		}
		var want, got bytes.Buffer
		out.MarshalGQL(&want)
		objectJSON(fields, out).MarshalGQL(&got)
		if got.String() != want.String() {
			t.Errorf("%d fields:\n got %s\nwant %s", n, got.String(), want.String())
		}
	}
}

// TestMarshalListKeepsOrderAndRecoversPanics: the elements come out in order, each with
// its own index in its path, and a panic in one element is that element's error and null.
func TestMarshalListKeepsOrderAndRecoversPanics(t *testing.T) {
	ctx := graphql.WithResponseContext(context.Background(), graphql.DefaultErrorPresenter, graphql.DefaultRecover)
	ctx = graphql.WithFieldContext(ctx, &graphql.FieldContext{Field: graphql.CollectedField{Field: &ast.Field{Alias: "list"}}})
	var paths []string
	got := marshalList(ctx, 4, 0, false, func(ctx context.Context, i int) graphql.Marshaler {
		paths = append(paths, graphql.GetPath(ctx).String())
		if i == 2 {
			panic("element 2")
		}
		return graphql.MarshalInt(i)
	})
	var buf bytes.Buffer
	got.MarshalGQL(&buf)
	if buf.String() != "[0,1,null,3]" {
		t.Errorf("list = %s, want [0,1,null,3]", buf.String())
	}
	if fmt.Sprint(paths) != "[list[0] list[1] list[2] list[3]]" {
		t.Errorf("paths = %v", paths)
	}
	errs := graphql.GetErrors(ctx)
	if len(errs) != 1 || errs[0].Path.String() != "list[2]" {
		t.Errorf("errors = %v, want one at list[2]", errs)
	}
}

// TestResolveFieldAnswersAsGqlgen: resolveField, which the generated executor calls for
// every field, gives what gqlgen's graphql.ResolveField gives for the same field: the
// marshalled value, null with the error at the field's path for a failing resolver,
// null with an invalid-null error for a missing non-null value, null and an error for a
// panic.
func TestResolveFieldAnswersAsGqlgen(t *testing.T) {
	resolvers := map[string]func(context.Context) (any, error){
		"value":   func(context.Context) (any, error) { return "a \"title\"", nil },
		"error":   func(context.Context) (any, error) { return nil, fmt.Errorf("no title") },
		"missing": func(context.Context) (any, error) { return nil, nil },
		"panic":   func(context.Context) (any, error) { panic("broken") },
		"wrong":   func(context.Context) (any, error) { return 42, nil },
	}
	type resolve func(context.Context, *graphql.OperationContext, graphql.CollectedField,
		func(context.Context, graphql.CollectedField) (*graphql.FieldContext, error),
		func(context.Context) (any, error),
		func(context.Context, graphql.Resolver) graphql.Resolver,
		func(context.Context, ast.SelectionSet, string) graphql.Marshaler,
		bool, bool) graphql.Marshaler
	answer := func(resolve resolve, resolver func(context.Context) (any, error), nonNull bool) string {
		oc := &graphql.OperationContext{
			RecoverFunc:        func(_ context.Context, err any) error { return fmt.Errorf("internal system error: %v", err) },
			ResolverMiddleware: func(ctx context.Context, next graphql.Resolver) (any, error) { return next(ctx) },
		}
		ctx := graphql.WithResponseContext(graphql.WithOperationContext(context.Background(), oc),
			graphql.DefaultErrorPresenter, oc.RecoverFunc)
		field := graphql.CollectedField{Field: &ast.Field{Alias: "t", Name: "title"}}
		m := resolve(ctx, oc, field,
			func(_ context.Context, f graphql.CollectedField) (*graphql.FieldContext, error) {
				return graphql.NewScalarFieldContext("Movie", f, true, false, "String")
			},
			resolver, nil,
			func(_ context.Context, _ ast.SelectionSet, v string) graphql.Marshaler {
				return graphql.MarshalString(v)
			},
			true, nonNull)
		var buf bytes.Buffer
		m.MarshalGQL(&buf)
		errs, _ := json.Marshal(graphql.GetErrors(ctx))
		return fmt.Sprintf("%s null=%v required=%v errors=%s", buf.String(), m == graphql.Null, m == graphql.RequiredNull, errs)
	}
	for name, resolver := range resolvers {
		for _, nonNull := range []bool{false, true} {
			got := answer(resolveField[string], resolver, nonNull)
			want := answer(graphql.ResolveField[string], resolver, nonNull)
			if got != want {
				t.Errorf("%s (non-null %v):\n got %s\nwant %s", name, nonNull, got, want)
			}
		}
	}
}
