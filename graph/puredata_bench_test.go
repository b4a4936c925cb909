package graph

import (
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/99designs/gqlgen/graphql/handler"
	"github.com/99designs/gqlgen/graphql/handler/transport"

	"filmgraph/cypher"
	"filmgraph/graph/model"
)

// BenchmarkPureDataRecommended is the Go side of the bench's recommendedMovies without
// the database: a film with six picks of three reasons each, served from a fixed record.
func BenchmarkPureDataRecommended(b *testing.B) {
	via := []map[string]any{
		{cypher.KeyType: "Genre", cypher.KeyID: "Animation", "name": "Animation"},
		{cypher.KeyType: "Person", cypher.KeyID: int64(7), "name": "John Lasseter"},
		{cypher.KeyType: "Movie", cypher.KeyID: int64(3), "title": "Cars"},
	}
	var edges []any
	for i := range 6 {
		var reasons []any
		for _, v := range via {
			reasons = append(reasons, map[string]any{"kind": "SAME_GENRE", "text": "Also in Animation", "via": v})
		}
		edges = append(edges, map[string]any{"node": map[string]any{"score": 0.5 + float64(i),
			"movie":   map[string]any{cypher.KeyID: int64(10 + i), "title": "Up", "year": int64(2009), "cover": map[string]any{"id": "1:cover", "url": "https://example.org/u.jpg"}},
			"reasons": reasons}})
	}
	movie := model.Record{cypher.KeyID: int64(1), "title": "Toy Story",
		"recommended": map[string]any{cypher.KeyOffset: int64(0), cypher.KeyFirst: int64(6), "edges": edges}}
	const query = `query recommendedMovies {
  movie(id: "TW92aWU6MQ") { id title recommended(first: 6) { edges { node { score movie { id title year cover { id url } }
    reasons { kind text via { __typename ... on Movie { id title } ... on Person { id name } ... on Genre { name } } } } } } } }`
	srv := handler.New(NewExecutableSchema(Config{Resolvers: projected{&Resolver{}, movie}}))
	srv.AddTransport(transport.POST{})
	srv.SetQueryCache(newDocumentCache())
	srv.Use(pureDataExtension{NewPureDataPlanCache(cachedPureDataPlans, cachedPureDataPlanBytes)})
	srv.SetErrorPresenter(presentError(slog.New(slog.NewTextHandler(io.Discard, nil))))
	body, _ := json.Marshal(map[string]any{"query": query})
	b.ReportAllocs()
	for b.Loop() {
		req := httptest.NewRequest(http.MethodPost, "/graphql", strings.NewReader(string(body)))
		req.Header.Set("Content-Type", "application/json")
		rec := httptest.NewRecorder()
		srv.ServeHTTP(rec, req)
		if strings.Contains(rec.Body.String(), `"errors"`) {
			b.Fatal(rec.Body.String())
		}
	}
}
