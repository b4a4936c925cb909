package graph

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"testing"

	"github.com/99designs/gqlgen/client"
	"github.com/99designs/gqlgen/graphql/handler"
	"github.com/99designs/gqlgen/graphql/handler/transport"

	"filmgraph/cypher"
	"filmgraph/graph/model"
)

// projected answers Query.movie with a fixed record, standing in for a translation's
// projection, so that a wrong one can be served.
type projected struct {
	*Resolver
	movie model.Record
}

func (p projected) Query() QueryResolver { return projectedQuery{&queryResolver{p.Resolver}, p.movie} }

type projectedQuery struct {
	*queryResolver
	movie model.Record
}

func (q projectedQuery) Movie(context.Context, string) (*model.Movie, error) {
	return model.NewMovie(q.movie), nil
}

// serve executes query against movie through gqlgen's executor and the error presenter,
// posted in process with gqlgen's test client.
func serve(t *testing.T, movie model.Record, query string) (data map[string]any, codes []string) {
	t.Helper()
	srv := handler.New(NewExecutableSchema(Config{Resolvers: projected{&Resolver{}, movie}}))
	srv.AddTransport(transport.POST{})
	srv.SetErrorPresenter(presentError(slog.New(slog.NewTextHandler(io.Discard, nil))))
	resp, err := client.New(srv).RawPost(query)
	if err != nil {
		t.Fatal(err)
	}
	var errs []struct {
		Message    string
		Extensions map[string]any
	}
	if resp.Errors != nil {
		if err := json.Unmarshal(resp.Errors, &errs); err != nil {
			t.Fatalf("errors %s: %v", resp.Errors, err)
		}
	}
	for _, e := range errs {
		code, _ := e.Extensions["code"].(string)
		codes = append(codes, code)
		if e.Message != "internal error" {
			t.Errorf("message %q tells the client about the projection", e.Message)
		}
	}
	data, _ = resp.Data.(map[string]any)
	return data, codes
}

// TestMissingNonNullValuesAreErrors serves projections that lack a value the selection
// asks for: a non-null field reports an internal error (and the film, nullable, is null)
// instead of answering "" or 0, while a missing nullable value is null.
func TestMissingNonNullValuesAreErrors(t *testing.T) {
	const page = `{ movie(id: "TW92aWU6MQ") { title year ratingSummary { count } } }`
	summary := map[string]any{"count": int64(3)}
	good := model.Record{cypher.KeyID: int64(1), "title": "Toy Story", "ratingSummary": summary}
	data, codes := serve(t, good, page)
	if len(codes) != 0 || data["movie"].(map[string]any)["title"] != "Toy Story" || data["movie"].(map[string]any)["year"] != nil {
		t.Fatalf("a right projection: %v, errors %v", data, codes)
	}
	for name, wrong := range map[string]model.Record{
		"no title":        {cypher.KeyID: int64(1), "ratingSummary": summary},
		"a title of 0":    {cypher.KeyID: int64(1), "title": int64(0), "ratingSummary": summary},
		"no count":        {cypher.KeyID: int64(1), "title": "Toy Story", "ratingSummary": map[string]any{}},
		"an aliased name": {cypher.KeyID: int64(1), "name": "Toy Story", "ratingSummary": summary},
	} {
		data, codes := serve(t, wrong, page)
		if data["movie"] != nil || len(codes) != 1 || codes[0] != "INTERNAL_SERVER_ERROR" {
			t.Errorf("%s: data %v, errors %v; want a null film and INTERNAL_SERVER_ERROR", name, data, codes)
		}
	}
}

// TestConnectionWithoutTotal: the projection carries a connection's total only when the
// selection reads it; hasPreviousPage needs none, totalCount and hasNextPage do.
func TestConnectionWithoutTotal(t *testing.T) {
	reviews := map[string]any{cypher.KeyOffset: int64(2), cypher.KeyFirst: int64(5), "edges": []any{}}
	movie := model.Record{cypher.KeyID: int64(1), "reviews": reviews}
	data, codes := serve(t, movie, `{ movie(id: "x") { reviews(first: 5) { pageInfo { hasPreviousPage } } } }`)
	if len(codes) != 0 {
		t.Fatalf("hasPreviousPage without the total: %v", codes)
	}
	info := data["movie"].(map[string]any)["reviews"].(map[string]any)["pageInfo"].(map[string]any)
	if info["hasPreviousPage"] != true {
		t.Errorf("pageInfo %v, want hasPreviousPage (offset 2)", info)
	}
	for _, query := range []string{
		`{ movie(id: "x") { reviews(first: 5) { totalCount } } }`,
		`{ movie(id: "x") { reviews(first: 5) { pageInfo { hasPreviousPage hasNextPage } } } }`,
		`{ movie(id: "x") { reviews(first: 5) { pageInfo { endCursor } } } }`,
	} {
		if data, codes := serve(t, movie, query); data["movie"] != nil || len(codes) != 1 || codes[0] != "INTERNAL_SERVER_ERROR" {
			t.Errorf("%s without the total: data %v, errors %v", query, data, codes)
		}
	}
}
