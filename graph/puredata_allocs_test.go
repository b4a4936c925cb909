package graph

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/99designs/gqlgen/graphql/handler"
	"github.com/99designs/gqlgen/graphql/handler/transport"

	"filmgraph/cypher"
	"filmgraph/graph/model"
)

// TestPureDataAllocatesNothingPerEdge: the pure-data path writes a page of edges, each a
// node holding a film with String leaves, without an allocation per edge: what a request
// allocates does not grow with the page. gqlgen's marshaler of a String allocates a
// closure per value (pureString does not), and a node that a model method not inlined
// returns by pointer goes to the heap (Record.record is not inlined so that those are).
// Ids, cursors, floats, nullable ints and lists still allocate, as their model makes them.
func TestPureDataAllocatesNothingPerEdge(t *testing.T) {
	serve := func(edges int) func() {
		var list []any
		for i := range edges {
			list = append(list, map[string]any{"node": map[string]any{"score": 0.5,
				"movie": map[string]any{cypher.KeyID: int64(1000 + i), "title": "Up", "t": "Up \"quoted\""}}})
		}
		movie := model.Record{cypher.KeyID: int64(1), "title": "Toy Story",
			"recommended": map[string]any{cypher.KeyOffset: int64(0), cypher.KeyFirst: int64(edges), "edges": list}}
		srv := handler.New(NewExecutableSchema(Config{Resolvers: projected{&Resolver{}, movie}}))
		srv.AddTransport(transport.POST{})
		srv.SetQueryCache(newDocumentCache())
		srv.Use(pureDataExtension{NewPureDataPlanCache(10, 1<<20)})
		body, _ := json.Marshal(map[string]any{"query": `{ movie(id: "TW92aWU6MQ") { title recommended(first: 50) {
  edges { node { movie { title t: title } } } } } }`})
		return func() {
			req := httptest.NewRequest(http.MethodPost, "/graphql", strings.NewReader(string(body)))
			req.Header.Set("Content-Type", "application/json")
			rec := httptest.NewRecorder()
			srv.ServeHTTP(rec, req)
			if !strings.Contains(rec.Body.String(), `"t":"Up \"quoted\""`) || strings.Contains(rec.Body.String(), `"errors"`) {
				t.Fatal(rec.Body.String())
			}
		}
	}
	before := PureDataWrites()
	few, many := testing.AllocsPerRun(50, serve(2)), testing.AllocsPerRun(50, serve(42))
	if PureDataWrites() == before {
		t.Fatal("the pure-data path wrote nothing")
	}
	t.Logf("%.0f allocations for 2 edges, %.0f for 42", few, many)
	if perEdge := (many - few) / 40; perEdge > 0.5 {
		t.Errorf("%.2f allocations per edge (%.0f for 2 edges, %.0f for 42)", perEdge, few, many)
	}
}
