package selection_test

import (
	"context"
	"fmt"
	"reflect"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/99designs/gqlgen/graphql"

	"filmgraph/auth"
	"filmgraph/cypher"
	"filmgraph/graph/selection"
	"filmgraph/internal/translatetest"
)

// fieldContext is the context of resolving the first top-level field of query with
// variables, as gqlgen sets it, with viewer signed in when not nil.
func fieldContext(t *testing.T, query string, variables map[string]any, viewer *auth.Viewer) context.Context {
	t.Helper()
	op, top, _ := build(t, loadSchema(t), query, variables)
	ctx := graphql.WithOperationContext(context.Background(), op)
	ctx = graphql.WithFieldContext(ctx, &graphql.FieldContext{Object: "Query", Field: top})
	if viewer != nil {
		ctx = auth.WithViewer(ctx, *viewer)
	}
	return ctx
}

// counted is cypher.Movie, counting its calls.
func counted(calls *atomic.Int64) func(cypher.Request, int64) (cypher.Statement, error) {
	return func(req cypher.Request, id int64) (cypher.Statement, error) {
		calls.Add(1)
		return cypher.Movie(req, id)
	}
}

// fresh is the statement translated without a cache, what every cached one must equal.
func fresh(t *testing.T, ctx context.Context, id int64) cypher.Statement {
	t.Helper()
	stmt, err := cypher.Movie(selection.Request(ctx), id)
	if err != nil {
		t.Fatal(err)
	}
	return stmt
}

func sameStatement(t *testing.T, what string, got, want cypher.Statement) {
	t.Helper()
	if got.Text != want.Text || !reflect.DeepEqual(got.Params, want.Params) {
		t.Errorf("%s: cached statement differs from a fresh translation\n got %s %v\nwant %s %v", what, got.Text, got.Params, want.Text, want.Params)
	}
}

const castQuery = `query($id: ID!, $n: Int, $withYear: Boolean!) {
  movie(id: $id) { title year @include(if: $withYear) cast(first: $n) { person { name } } viewerState { rating } }
}`

func TestTranslationsServeAnotherKeyAndKeepEveryOtherInput(t *testing.T) {
	cache := selection.NewTranslations(100, 16<<10)
	var calls atomic.Int64
	translate := counted(&calls)
	type request struct {
		id       int64
		n        any
		withYear bool
		viewer   *auth.Viewer
		misses   int64 // translations so far, this request's included
	}
	requests := []request{
		{id: 1, n: 5, withYear: true, misses: 1},
		{id: 2, n: 5, withYear: true, misses: 1},   // another film: the same statement
		{id: 3, n: 7, withYear: true, misses: 2},   // a nested argument's value: another
		{id: 3, n: nil, withYear: true, misses: 3}, // null: the argument's default
		{id: 4, n: 5, withYear: false, misses: 4},  // @include
		{id: 5, n: 5, withYear: true, viewer: &auth.Viewer{UserID: 1}, misses: 5},
		{id: 6, n: 5, withYear: true, viewer: &auth.Viewer{UserID: 2}, misses: 6},
		{id: 7, n: 5, withYear: true, viewer: &auth.Viewer{UserID: 2, Role: auth.RoleModerator}, misses: 7},
		{id: 8, n: 5, withYear: true, viewer: &auth.Viewer{UserID: 1}, misses: 7},
		{id: 9, n: 7, withYear: true, misses: 7},
	}
	for _, r := range requests {
		ctx := fieldContext(t, castQuery, map[string]any{"id": "x", "n": r.n, "withYear": r.withYear}, r.viewer)
		got, err := selection.Entity(ctx, cache, "Movie", translate, r.id)
		if err != nil {
			t.Fatal(err)
		}
		what := fmt.Sprintf("film %d, n %v, year %v, viewer %+v", r.id, r.n, r.withYear, r.viewer)
		sameStatement(t, what, got, fresh(t, ctx, r.id))
		if calls.Load() != r.misses {
			t.Errorf("%s: %d translations, want %d", what, calls.Load(), r.misses)
		}
	}

	// Another document, another operation, another kind: other entries.
	other := fieldContext(t, `query($id: ID!) { movie(id: $id) { title } }`, map[string]any{"id": "x"}, nil)
	if _, err := selection.Entity(other, cache, "Movie", translate, 1); err != nil || calls.Load() != 8 {
		t.Errorf("another document: %v, %d translations", err, calls.Load())
	}
	if _, err := selection.Entity(other, cache, "Other", translate, 1); err != nil || calls.Load() != 9 {
		t.Errorf("another kind: %v, %d translations", err, calls.Load())
	}
}

func TestTranslationsDoNotCacheFailures(t *testing.T) {
	cache := selection.NewTranslations(100, 16<<10)
	var calls atomic.Int64
	ctx := fieldContext(t, castQuery, map[string]any{"id": "x", "n": 0, "withYear": true}, nil)
	for range 2 {
		if _, err := selection.Entity(ctx, cache, "Movie", counted(&calls), 1); err == nil {
			t.Fatal("cast(first: 0) translated without an error")
		}
	}
	if calls.Load() != 2 || cache.Len() != 0 {
		t.Errorf("%d translations, %d cached; want 2 and none", calls.Load(), cache.Len())
	}
}

// A client sending ever new documents cannot grow the cache past its entries, nor an entry
// past its bytes; every answer is still right.
func TestTranslationsAreBounded(t *testing.T) {
	cache := selection.NewTranslations(3, 16<<10)
	var calls atomic.Int64
	for i := range 20 {
		query := fmt.Sprintf(`query($id: ID!) { movie(id: $id) { alias%d: title } }`, i)
		ctx := fieldContext(t, query, map[string]any{"id": "x"}, nil)
		got, err := selection.Entity(ctx, cache, "Movie", counted(&calls), int64(i))
		if err != nil {
			t.Fatal(err)
		}
		sameStatement(t, query, got, fresh(t, ctx, int64(i)))
		if cache.Len() > 3 {
			t.Fatalf("%d entries, the bound is 3", cache.Len())
		}
	}

	small := selection.NewTranslations(100, 200) // smaller than the cast statement
	ctx := fieldContext(t, castQuery, map[string]any{"id": "x", "n": 5, "withYear": true}, nil)
	calls.Store(0)
	for id := range int64(3) {
		got, err := selection.Entity(ctx, small, "Movie", counted(&calls), id)
		if err != nil {
			t.Fatal(err)
		}
		sameStatement(t, "over the entry bytes", got, fresh(t, ctx, id))
	}
	if small.Len() != 0 || calls.Load() != 3 {
		t.Errorf("a statement over the entry bytes: %d cached, %d translations; want none and 3", small.Len(), calls.Load())
	}
}

// Concurrent requests for many films and page sizes each get their own statement (run with
// -race).
func TestTranslationsUnderConcurrency(t *testing.T) {
	cache := selection.NewTranslations(4, 16<<10)
	var calls atomic.Int64
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for i := range 30 {
				n, id := 1+(g+i)%6, int64(g*100+i)
				ctx := fieldContext(t, castQuery, map[string]any{"id": "x", "n": n, "withYear": i%2 == 0}, nil)
				got, err := selection.Entity(ctx, cache, "Movie", counted(&calls), id)
				if err != nil {
					t.Error(err)
					return
				}
				sameStatement(t, fmt.Sprintf("film %d, n %d", id, n), got, fresh(t, ctx, id))
			}
		})
	}
	wg.Wait()
}

// A read translated from its own arguments (Whole) needs their values to hit.
func TestWholeTranslationsNeedTheSameArguments(t *testing.T) {
	cache := selection.NewTranslations(100, 16<<10)
	var calls atomic.Int64
	translate := func(req cypher.Request) (cypher.Statement, error) {
		calls.Add(1)
		return cypher.Movies(req, translatetest.Args[cypher.MoviesArgs](t, req.Field))
	}
	const query = `query($n: Int, $genre: String!) {
  movies(first: $n, where: {genres: {any: [$genre]}}) { edges { node { title } } }
}`
	for i, c := range []struct {
		n      int
		genre  string
		misses int64
	}{{5, "Drama", 1}, {5, "Drama", 1}, {6, "Drama", 2}, {5, "Comedy", 3}, {6, "Drama", 3}} {
		ctx := fieldContext(t, query, map[string]any{"n": c.n, "genre": c.genre}, nil)
		got, err := selection.Whole(ctx, cache, "top", translate)
		if err != nil {
			t.Fatal(err)
		}
		want, err := cypher.Movies(selection.Request(ctx), translatetest.Args[cypher.MoviesArgs](t, selection.Request(ctx).Field))
		if err != nil {
			t.Fatal(err)
		}
		sameStatement(t, fmt.Sprintf("request %d", i), got, want)
		if calls.Load() != c.misses {
			t.Errorf("request %d: %d translations, want %d", i, calls.Load(), c.misses)
		}
	}
}

// The cache keys a statement by the viewer's UserID and Role: a field added to auth.Viewer
// must be added to the key (Translations.key) too, or one viewer's statement could serve
// another.
func TestTheTranslationKeyCoversTheViewer(t *testing.T) {
	viewer := reflect.TypeOf(auth.Viewer{})
	var fields []string
	for i := range viewer.NumField() {
		fields = append(fields, viewer.Field(i).Name)
	}
	if fmt.Sprint(fields) != "[UserID Role]" {
		t.Errorf("auth.Viewer has fields %v; the translation key covers UserID and Role only", fields)
	}
}

// A document is hashed once per operation, however many of its top-level fields look their
// statement up: hashing it per field let a large document of many aliased fields cost its
// size times theirs.
func TestTheDocumentIsHashedOncePerOperation(t *testing.T) {
	const aliases = 30
	query := "query($id: ID!) {"
	for i := range aliases {
		query += fmt.Sprintf(" m%d: movie(id: $id) { title }", i)
	}
	query += "}"
	op, _ := translatetest.Operation(t, loadSchema(t), query, map[string]any{"id": "1"})
	hashes := selection.CountDocumentHashes(t.Cleanup)
	if err := (selection.DocumentDigest{}).MutateOperationContext(context.Background(), op); err != nil {
		t.Fatal(err)
	}
	cache := selection.NewTranslations(100, 16<<10)
	var calls atomic.Int64
	ctx := graphql.WithOperationContext(context.Background(), op)
	fields := graphql.CollectFields(op, op.Operation.SelectionSet, nil)
	if len(fields) != aliases {
		t.Fatalf("%d top-level fields, want %d", len(fields), aliases)
	}
	for _, field := range fields {
		fieldCtx := graphql.WithFieldContext(ctx, &graphql.FieldContext{Object: "Query", Field: field})
		if _, err := selection.Entity(fieldCtx, cache, "Movie", counted(&calls), 1); err != nil {
			t.Fatal(err)
		}
	}
	if calls.Load() != aliases {
		t.Errorf("%d translations, want %d (one per response name)", calls.Load(), aliases)
	}
	if *hashes != 1 {
		t.Errorf("the document was hashed %d times for %d fields, want once", *hashes, aliases)
	}
}
