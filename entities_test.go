package main

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/99designs/gqlgen/graphql"
	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/validator"

	"filmgraph/cypher"
	"filmgraph/graph"
	"filmgraph/internal/neo4jtest"
)

// Tests of the catalogue's entities and feeds: external ids, tags, site-wide feeds, search
// as a connection. Expected values come from plain Cypher written without package cypher.

// statementFor translates the first top-level field of query (no variables) with translate,
// as gqlgen would call it, so a test can EXPLAIN the statement the API runs.
func statementFor(t *testing.T, query string, translate func(ctx context.Context) (cypher.Statement, error)) cypher.Statement {
	t.Helper()
	schema := graph.NewExecutableSchema(graph.Config{}).Schema()
	doc, errs := gqlparser.LoadQuery(schema, query)
	if errs != nil {
		t.Fatalf("invalid query: %v", errs)
	}
	op := doc.Operations[0]
	vars, err := validator.VariableValues(schema, op, nil)
	if err != nil {
		t.Fatal(err)
	}
	opCtx := &graphql.OperationContext{RawQuery: query, Doc: doc, Operation: op, Variables: vars}
	ctx := graphql.WithOperationContext(context.Background(), opCtx)
	field := graphql.CollectFields(opCtx, op.SelectionSet, []string{"Query"})[0]
	ctx = graphql.WithFieldContext(ctx, &graphql.FieldContext{Field: field, Args: field.ArgumentMap(vars)})
	stmt, err := translate(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return stmt
}

// planOperators returns the operators of stmt's plan, e.g. "NodeIndexSeek". It runs the
// statement with PROFILE (a read): the driver's EXPLAIN plan (v5.28) repeats the last child
// for every child of an operator (Plan.Children takes the address of its loop variable),
// while the profiled plan's children are right.
func planOperators(t *testing.T, stmt cypher.Statement) []string {
	t.Helper()
	result, err := neo4j.ExecuteQuery(context.Background(), neo4jtest.Driver(t), "PROFILE "+stmt.Text, stmt.Params,
		neo4j.EagerResultTransformer, neo4j.ExecuteQueryWithDatabase(neo4jtest.Database()), neo4j.ExecuteQueryWithReadersRouting())
	if err != nil {
		t.Fatal(err)
	}
	var ops []string
	var walk func(p neo4j.ProfiledPlan)
	walk = func(p neo4j.ProfiledPlan) {
		ops = append(ops, strings.Split(p.Operator(), "@")[0])
		for _, c := range p.Children() {
			walk(c)
		}
	}
	walk(result.Summary.Profile())
	return ops
}

// assertIndexSeek fails unless the plan of stmt seeks an index (and scans no label).
func assertIndexSeek(t *testing.T, stmt cypher.Statement) {
	t.Helper()
	ops := planOperators(t, stmt)
	joined := strings.Join(ops, " ")
	if !strings.Contains(joined, "IndexSeek") || strings.Contains(joined, "NodeByLabelScan") || strings.Contains(joined, "AllNodesScan") {
		t.Errorf("plan does not seek an index: %v", ops)
	}
}

func TestMovieByExternalID(t *testing.T) {
	// Every 500th film by MovieLens id, and the films that share a TMDB id.
	films := cypherRows(t, `MATCH (m:Movie) WHERE m.movieId % 500 = 1 OR COUNT { MATCH (o:Movie) WHERE o.tmdbId = m.tmdbId } > 1
		RETURN m.movieId AS movieId, m.imdbId AS imdb, m.tmdbId AS tmdb,
		       COLLECT { MATCH (o:Movie) WHERE o.tmdbId = m.tmdbId RETURN o.movieId ORDER BY o.movieId LIMIT 1 }[0] AS tmdbFirst`, nil)
	if len(films) < 15 {
		t.Fatalf("only %d films to check", len(films))
	}
	shared := 0
	const query = `query($s: ExternalIdSource!, $id: String!) { movieByExternalId(source: $s, id: $id) { id movieLensId imdbId tmdbId title } }`
	for _, f := range films {
		imdb, tmdb, want := f["imdb"].(string), f["tmdb"], f["movieId"].(int64)
		for _, lookup := range []struct {
			source, id string
			want       int64
		}{
			{"MOVIELENS", fmt.Sprint(want), want},
			{"IMDB", "tt" + imdb, want},
			{"IMDB", imdb, want},
		} {
			d := mustDo(t, "", query, map[string]any{"s": lookup.source, "id": lookup.id}, 1)
			if at(d, "movieByExternalId.movieLensId") != float64(lookup.want) || at(d, "movieByExternalId.imdbId") != "tt"+imdb ||
				at(d, "movieByExternalId.id") != movieID(int(want)) {
				t.Errorf("%s %s: %v, want film %d", lookup.source, lookup.id, d, lookup.want)
			}
		}
		if tmdb == nil {
			continue
		}
		first := f["tmdbFirst"].(int64)
		if first != want {
			shared++
		}
		d := mustDo(t, "", query, map[string]any{"s": "TMDB", "id": tmdb}, 1)
		if at(d, "movieByExternalId.movieLensId") != float64(first) || fmt.Sprint(at(d, "movieByExternalId.tmdbId")) != tmdb {
			t.Errorf("TMDB %s: %v, want film %d", tmdb, d, first)
		}
	}
	if shared == 0 {
		t.Error("no film shares a TMDB id with a film of a lower MovieLens id: the tie rule went unchecked")
	}
	// The reference film, by what its IMDb page says.
	d := mustDo(t, "", query, map[string]any{"s": "IMDB", "id": "tt1334260"}, 1)
	if at(d, "movieByExternalId.title") != "Never Let Me Go" {
		t.Errorf("tt1334260: %v", d)
	}
	for _, unknown := range []map[string]any{{"s": "IMDB", "id": "tt9999999"}, {"s": "TMDB", "id": "999999999"}, {"s": "MOVIELENS", "id": "999999999"}} {
		if d := mustDo(t, "", query, unknown, 1); at(d, "movieByExternalId") != nil {
			t.Errorf("unknown %v: %v", unknown, d)
		}
	}
	for _, bad := range []map[string]any{{"s": "IMDB", "id": "nm0000158"}, {"s": "TMDB", "id": "tt862"}, {"s": "MOVIELENS", "id": "-3"}, {"s": "MOVIELENS", "id": ""}} {
		wantError(t, "", query, bad, "BAD_USER_INPUT")
	}
	wantError(t, "", query, map[string]any{"s": "WIKIDATA", "id": "1"}, "GRAPHQL_VALIDATION_FAILED")
}

func TestMovieByExternalIDSeeksAnIndex(t *testing.T) {
	for _, source := range []string{"IMDB", "TMDB", "MOVIELENS"} {
		stmt := statementFor(t, `{ movieByExternalId(source: `+source+`, id: "862") { title genres { name } } }`, func(ctx context.Context) (cypher.Statement, error) {
			return cypher.MovieByExternalID(ctx, source, "862")
		})
		assertIndexSeek(t, stmt)
	}
}
