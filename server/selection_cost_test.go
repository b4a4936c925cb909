package server

import (
	"context"
	"encoding/json"
	"log/slog"
	"os"
	"slices"
	"testing"

	"github.com/99designs/gqlgen/client"

	"filmgraph/internal/apitest"
	"filmgraph/observe"
	"filmgraph/relay"
	"filmgraph/store"
)

// profiled serves query once through the real handler with every statement PROFILEd
// (as `go run . profile` does), posted in process with gqlgen's test client, and returns
// the response and what Neo4j reported.
func profiled(t *testing.T, query string, variables map[string]any) (gqlResponse, *store.Profile) {
	t.Helper()
	handler := (&server{log: observe.NewLogger(os.Stderr, false, slog.LevelWarn), db: testStore, cfg: testConfig, issuer: testIssuer}).routes()
	ctx, profile := store.WithProfile(context.Background())
	options := []client.Option{client.Path("/graphql"), func(r *client.Request) { r.HTTP = r.HTTP.WithContext(ctx) }}
	for name, value := range variables {
		options = append(options, client.Var(name, value))
	}
	resp, err := client.New(handler).RawPost(query, options...)
	if err != nil {
		t.Fatal(err)
	}
	if resp.Errors != nil {
		t.Fatalf("errors: %s", resp.Errors)
	}
	data, _ := json.Marshal(resp.Data)
	return gqlResponse{apitest.Response{Data: data}}, profile
}

// maxRecommendedDBHits bounds the movie page's recommendations without reasons: ranking the
// film's similarity edges and reading ten titles (issue 17; about 4,500 db hits when the
// reasons' evidence was computed whether selected or not).
const maxRecommendedDBHits = 600

// TestRecommendedWithoutReasonsComputesNoReasons: a movie page that shows recommended
// titles without their reasons gets the same films as one that asks for the reasons, and
// the database does not gather the reasons' evidence for it.
func TestRecommendedWithoutReasonsComputesNoReasons(t *testing.T) {
	const without = `query($id: ID!) { movie(id: $id) { recommended(first: 10) { edges { node { movie { title } } } } } }`
	const with = `query($id: ID!) { movie(id: $id) { recommended(first: 10) { edges { node { movie { title } reasons { kind text } } } } } }`
	type page struct {
		Movie struct {
			Recommended struct {
				Edges []struct {
					Node struct {
						Movie   struct{ Title string }
						Reasons []struct{ Kind, Text string }
					}
				}
			}
		}
	}
	titles := func(query string) ([]string, int, int64) {
		resp, profile := profiled(t, query, map[string]any{"id": relay.ID("Movie", "80969")})
		var p page
		if err := json.Unmarshal(resp.Data, &p); err != nil {
			t.Fatal(err)
		}
		var out []string
		reasons := 0
		for _, e := range p.Movie.Recommended.Edges {
			out = append(out, e.Node.Movie.Title)
			reasons += len(e.Node.Reasons)
		}
		return out, reasons, profile.DBHits
	}
	gotTitles, _, gotHits := titles(without)
	wantTitles, reasons, withHits := titles(with)
	if len(wantTitles) != 10 || reasons == 0 {
		t.Fatalf("the reference film has %d recommendations with %d reasons; the test needs 10 with reasons", len(wantTitles), reasons)
	}
	if !slices.Equal(gotTitles, wantTitles) {
		t.Errorf("without reasons: %q\nwith reasons: %q", gotTitles, wantTitles)
	}
	t.Logf("db hits: %d without reasons, %d with", gotHits, withHits)
	if gotHits > maxRecommendedDBHits {
		t.Errorf("recommendations without reasons cost %d db hits, want at most %d (with reasons: %d)", gotHits, maxRecommendedDBHits, withHits)
	}
}
