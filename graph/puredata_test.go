package graph

import (
	"encoding/json"
	"io"
	"log/slog"
	"math"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/99designs/gqlgen/graphql/handler"
	"github.com/99designs/gqlgen/graphql/handler/transport"

	"filmgraph/cypher"
	"filmgraph/graph/model"
)

// servePaths executes query against movie (a projection standing in for a translation's,
// see projected) with the pure-data path on and off, and returns both response bodies and
// how many objects the path wrote.
func servePaths(t *testing.T, movie model.Record, query string, variables map[string]any) (pure, gqlgen string, written int64) {
	t.Helper()
	srv := handler.New(NewExecutableSchema(Config{Resolvers: projected{&Resolver{}, movie}}))
	srv.AddTransport(transport.POST{})
	srv.Use(pureDataExtension{})
	srv.SetErrorPresenter(presentError(slog.New(slog.NewTextHandler(io.Discard, nil))))
	body, err := json.Marshal(map[string]any{"query": query, "variables": variables})
	if err != nil {
		t.Fatal(err)
	}
	post := func() string {
		req := httptest.NewRequest(http.MethodPost, "/graphql", strings.NewReader(string(body)))
		req.Header.Set("Content-Type", "application/json")
		rec := httptest.NewRecorder()
		srv.ServeHTTP(rec, req)
		return rec.Body.String()
	}
	before := PureDataWrites()
	pure = post()
	written = PureDataWrites() - before
	SetPureData(false)
	defer SetPureData(true)
	return pure, post(), written
}

// TestPureDataAnswersAsGqlgen: the pure-data path writes the bytes that gqlgen's field
// execution writes, for right projections (scalars, enums, floats, times, lists, aliases,
// fragments, __typename, @skip and @include) and for projections that lack a non-null
// value or hold one of a wrong type, whose error and null propagation gqlgen reports.
func TestPureDataAnswersAsGqlgen(t *testing.T) {
	person := func(key int64, name any) map[string]any {
		p := map[string]any{cypher.KeyID: key}
		if name != nil {
			p["name"] = name
		}
		return p
	}
	summary := map[string]any{"id": int64(1), "average": 3.5, "count": int64(3), "histogram": []any{int64(0), int64(2), int64(1)}}
	good := func() model.Record {
		return model.Record{
			cypher.KeyID: int64(1), "title": "Toy Story", "other": "Toy Story (1995)", "year": int64(1995),
			"cover":         map[string]any{"id": "1:cover", "url": "https://example.org/t.jpg", "width": int64(200)},
			"genres":        []any{map[string]any{cypher.KeyID: "Animation", "name": "Animation", "movieCount": int64(12)}},
			"directors":     []any{person(7, "John Lasseter")},
			"cast":          []any{map[string]any{"order": int64(0), "person": person(31, "Tom Hanks")}, map[string]any{"order": int64(1), "person": person(32, "Tim Allen")}},
			"top":           []any{map[string]any{"order": int64(0), "person": person(31, "Tom Hanks")}},
			"ratingSummary": summary,
			"tags":          []any{map[string]any{"name": "pixar", "count": int64(5)}},
		}
	}
	const page = `query($skip: Boolean!, $with: Boolean!) {
  movie(id: "TW92aWU6MQ") {
    __typename id title year
    other: title
    cover { id url width height caption }
    genres { __typename id name movieCount }
    directors { id ...named }
    cast(first: 5) { order person { id name } }
    top: cast(first: 1) { order person { name } }
    ratingSummary { id average count histogram skipped: count @skip(if: $skip) }
    ... on Movie { tags(first: 3) { name count @include(if: $with) } }
  }
}
fragment named on Person { name __typename }`
	vars := map[string]any{"skip": true, "with": false}

	pure, gqlgen, written := servePaths(t, good(), page, vars)
	if pure != gqlgen {
		t.Fatalf("a right projection:\npure data %s\ngqlgen    %s", pure, gqlgen)
	}
	if written == 0 || strings.Contains(pure, `"errors"`) {
		t.Fatalf("a right projection took gqlgen's path (%d objects written by the pure-data path): %s", written, pure)
	}
	t.Logf("%d objects written: %s", written, pure)
	if pure, gqlgen, _ = servePaths(t, good(), page, map[string]any{"skip": false, "with": true}); pure != gqlgen {
		t.Errorf("the other variables:\npure data %s\ngqlgen    %s", pure, gqlgen)
	}

	for name, change := range map[string]func(model.Record){
		"no title":                 func(r model.Record) { delete(r, "title") },
		"a title of 0":             func(r model.Record) { r["title"] = int64(0) },
		"an aliased title missing": func(r model.Record) { delete(r, "other") },
		"no count in the summary":  func(r model.Record) { r["ratingSummary"] = map[string]any{"id": int64(1)} },
		"no summary":               func(r model.Record) { delete(r, "ratingSummary") },
		"a cast member without name": func(r model.Record) {
			r["cast"] = []any{map[string]any{"order": int64(0), "person": person(31, "Tom Hanks")}, map[string]any{"order": int64(1), "person": person(32, nil)}}
		},
		"a null cast member": func(r model.Record) { r["cast"] = []any{nil} },
		"a person missing":   func(r model.Record) { r["top"] = []any{map[string]any{"order": int64(0)}} },
		"a genre without count": func(r model.Record) {
			r["genres"] = []any{map[string]any{cypher.KeyID: "Animation", "name": "Animation"}}
		},
		"no cover":            func(r model.Record) { delete(r, "cover") },
		"a cover without url": func(r model.Record) { r["cover"] = map[string]any{"id": "1:cover"} },
		"no lists at all":     func(r model.Record) { delete(r, "genres"); delete(r, "cast"); delete(r, "tags") },
		"an integral average": func(r model.Record) {
			r["ratingSummary"] = map[string]any{"id": int64(1), "average": int64(4), "count": int64(1)}
		},
		"a NaN average": func(r model.Record) {
			r["ratingSummary"] = map[string]any{"id": int64(1), "average": math.NaN(), "count": int64(1)}
		},
		"a huge average": func(r model.Record) {
			r["ratingSummary"] = map[string]any{"id": int64(1), "average": 1e21, "count": int64(1)}
		},
		"a histogram of strings": func(r model.Record) {
			summary := map[string]any{"id": int64(1), "count": int64(1), "histogram": []any{"x"}}
			r["ratingSummary"] = summary
		},
		"a year of the wrong type": func(r model.Record) { r["year"] = "1995" },
	} {
		r := good()
		change(r)
		for _, v := range []map[string]any{vars, {"skip": false, "with": true}} {
			if pure, gqlgen, _ := servePaths(t, r, page, v); pure != gqlgen {
				t.Errorf("%s (%v):\npure data %s\ngqlgen    %s", name, v, pure, gqlgen)
			}
		}
	}
}

// TestPureDataLeavesInterfacesToGqlgen: an object with a field of an interface type (a
// recommendation's reasons' via) goes through gqlgen, and so do the objects above it,
// while their other children (the recommended film, the film's genres) are still written
// by the path, each once, and the answer is gqlgen's.
func TestPureDataLeavesInterfacesToGqlgen(t *testing.T) {
	node := func(title string, via map[string]any) map[string]any {
		return map[string]any{"node": map[string]any{"score": 0.5,
			"movie":   map[string]any{cypher.KeyID: int64(2), "title": title},
			"reasons": []any{map[string]any{"text": "Also " + title, "via": via}}}}
	}
	movie := model.Record{cypher.KeyID: int64(1), "title": "Toy Story",
		"genres": []any{map[string]any{cypher.KeyID: "Animation", "name": "Animation"}},
		"recommended": map[string]any{cypher.KeyOffset: int64(0), cypher.KeyFirst: int64(2), "edges": []any{
			node("Up", map[string]any{cypher.KeyType: "Genre", cypher.KeyID: "Animation", "name": "Animation"}),
			node("Cars", map[string]any{cypher.KeyType: "Person", cypher.KeyID: int64(7), "name": "John Lasseter"}),
		}}}
	const query = `{ movie(id: "TW92aWU6MQ") { title genres { name }
  recommended(first: 2) { edges { node { score movie { title } reasons { text via { __typename ... on Genre { name } ... on Person { id name } } } } } } } }`
	pure, gqlgen, written := servePaths(t, movie, query, nil)
	if pure != gqlgen || strings.Contains(pure, `"errors"`) {
		t.Fatalf("pure data %s\ngqlgen    %s", pure, gqlgen)
	}
	// The genre list's one genre, the two recommended films, the two vias (objects of
	// package model reached through the interface's marshaler).
	if written != 5 {
		t.Errorf("%d objects written by the pure-data path, want 5: %s", written, pure)
	}
}
