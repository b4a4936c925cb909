package graph

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler/extension"
	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/validator"
)

func TestCostedFieldsFollowComplexity(t *testing.T) {
	costed := costedFields(Complexity())
	for field, want := range map[string]bool{"query.movies": true, "movie.cast": true, "person.actedin": true,
		"query.movie": false, "movie.title": false, "query.person": false} {
		if got, known := costed[field]; !known || got != want {
			t.Errorf("%s: costed %v (known %v), want %v", field, got, known, want)
		}
	}
}

// TestCachedComplexityIsGqlgens runs the example operations and operations whose variables
// change their estimate through one complexityLimit, in an order where most are cache hits,
// and compares every estimate, error and stat with gqlgen's own extension's.
func TestCachedComplexityIsGqlgens(t *testing.T) {
	es := NewExecutableSchema(Config{Complexity: Complexity()})
	type request struct {
		query string
		vars  map[string]any
	}
	var requests []request
	examples, _ := filepath.Glob("../docs/queries/*.graphql")
	for _, path := range examples {
		query, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		requests = append(requests, request{string(query), nil})
	}
	paged := `query($id: ID!, $n: Int, $m: Int) {
  movie(id: $id) { title cast(first: $n) { person { name actedIn(first: $m) { totalCount } } } }
  movies(first: $m) { totalCount }
}`
	spread := `query($n: Int) { node(id: "TW92aWU6MQ") { ... on Movie { ...Cast } } }
fragment Cast on Movie { cast(first: $n) { order } reviews(first: $n) { totalCount } }`
	for _, n := range []any{1, 20, nil, 100, 20} {
		for _, m := range []any{5, 50} {
			requests = append(requests,
				request{paged, map[string]any{"id": movieID(n), "n": n, "m": m}},
				request{spread, map[string]any{"n": n}})
		}
	}

	cached := newComplexityLimit(3000, Complexity())
	gqlgens := extension.FixedComplexityLimit(3000)
	for _, ext := range []graphql.HandlerExtension{cached, gqlgens} {
		if err := ext.(interface {
			Validate(graphql.ExecutableSchema) error
		}).Validate(es); err != nil {
			t.Fatal(err)
		}
	}
	rejected := 0
	for round := range 2 {
		for i, r := range requests {
			doc, errs := gqlparser.LoadQuery(es.Schema(), r.query)
			if errs != nil {
				t.Fatalf("request %d: %v", i, errs)
			}
			vars, err := validator.VariableValues(es.Schema(), doc.Operations[0], r.vars)
			if err != nil {
				t.Fatalf("request %d: %v", i, err)
			}
			estimate := func(ext graphql.OperationContextMutator) (string, extension.ComplexityStats) {
				opCtx := &graphql.OperationContext{RawQuery: r.query, Doc: doc, Variables: vars}
				ctx := graphql.WithOperationContext(context.Background(), opCtx)
				if err := ext.MutateOperationContext(ctx, opCtx); err != nil {
					return err.Message + " " + fmt.Sprint(err.Extensions["code"]), *extension.GetComplexityStats(ctx)
				}
				return "", *extension.GetComplexityStats(ctx)
			}
			gotErr, got := estimate(cached)
			wantErr, want := estimate(gqlgens)
			if gotErr != "" {
				rejected++
			}
			if got != want || gotErr != wantErr {
				t.Errorf("round %d, request %d %v: %+v %s, gqlgen says %+v %s", round, i, r.vars, got, gotErr, want, wantErr)
			}
			if round == 0 && i == 0 && want.Complexity == 0 {
				t.Fatal("an estimate of 0 proves nothing")
			}
		}
	}
	if rejected == 0 || rejected == 2*len(requests) {
		t.Errorf("%d of %d estimates over the limit: both sides of it should be tried", rejected, 2*len(requests))
	}
}

func movieID(n any) string {
	if n == nil {
		return "TW92aWU6MQ"
	}
	return fmt.Sprint("TW92aWU6", n)
}
