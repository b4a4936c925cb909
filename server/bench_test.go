package server

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"filmgraph/bench/harness"
	"filmgraph/observe"
	"filmgraph/relay"
)

// TestBenchmarkHarnessSmoke runs the benchmark harness (go run ./bench) for a moment at
// concurrency 1 on the test database: it must complete without request errors and write
// its table. It asserts nothing about speed.
func TestBenchmarkHarnessSmoke(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	rep, err := harness.Run(ctx, harness.Target{
		GraphQL: (&server{log: observe.NewLogger(os.Stderr, false, slog.LevelWarn), db: testStore, cfg: testConfig, issuer: testIssuer}).routes(),
		Store:   testStore,
		Issuer:  testIssuer,
	}, harness.Options{
		QueriesDir: "../docs/queries", Duration: 300 * time.Millisecond, Warmup: 50 * time.Millisecond,
		Concurrency: []int{1}, SkipWrites: true, // other tests read the ratings
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rep.Results {
		if r.Requests == 0 || r.Errors > 0 {
			t.Errorf("%s %s: %d requests, %d errors", r.Operation, r.Side, r.Requests, r.Errors)
		}
		if r.Side == harness.SideBaseline && r.RoundTrips != 1 {
			t.Errorf("%s baseline: %.2f round trips per operation, want 1", r.Operation, r.RoundTrips)
		}
	}
	var md bytes.Buffer
	rep.Markdown(&md)
	for _, op := range harness.Operations() {
		if !op.Write && !strings.Contains(md.String(), "| "+op.Name+" | 1 |") {
			t.Errorf("no row for %s in the table:\n%s", op.Name, md.String())
		}
	}
}

// BenchmarkExampleOperations serves the example operations (docs/queries) through the
// HTTP handler, without a network, against the test database, one request at a time.
// Besides ns/op (which includes Neo4j's time) it reports the Go process's own CPU per
// operation (cpu-µs/op), which is what resolvers, Cypher building and result mapping
// cost: compare runs with benchstat, e.g.
//
//	go test -run '^$' -bench ExampleOperations -benchmem -count 6 . > new.txt
func BenchmarkExampleOperations(b *testing.B) {
	handler := (&server{log: observe.NewLogger(os.Stderr, false, slog.LevelWarn), db: testStore, cfg: testConfig, issuer: testIssuer}).routes()
	// genresOnly is browseByGenre's first root field alone, to measure its cost apart.
	const genresOnly = "query genresOnly { genres(first: 50) { edges { node { name movieCount } } } }"
	for _, name := range []string{"moviePage", "personPage", "browseByGenre", "search", "recommendedMovies", "genresOnly"} {
		query := []byte(genresOnly)
		if name != "genresOnly" {
			var err error
			if query, err = os.ReadFile(filepath.Join("..", "docs", "queries", name+".graphql")); err != nil {
				b.Fatal(err)
			}
		}
		body, _ := json.Marshal(map[string]any{"query": string(query)})
		serve := func(b *testing.B) {
			req := httptest.NewRequest(http.MethodPost, "/graphql", bytes.NewReader(body))
			req.Header.Set("Content-Type", "application/json")
			rec := httptest.NewRecorder()
			handler.ServeHTTP(rec, req)
			if rec.Code != http.StatusOK || bytes.Contains(rec.Body.Bytes(), []byte(`"errors"`)) {
				b.Fatalf("status %d: %s", rec.Code, rec.Body.String())
			}
		}
		b.Run(name, func(b *testing.B) {
			for range 20 { // plans compiled and cached, pages in memory: not measured
				serve(b)
			}
			b.ReportAllocs()
			cpu := harness.ProcessCPU()
			for b.Loop() {
				serve(b)
			}
			b.ReportMetric(float64((harness.ProcessCPU()-cpu).Microseconds())/float64(b.N), "cpu-µs/op")
		})
	}
}

// TestBenchBaselinesComputeWhatTheAPIAnswers: the hand-written baselines of the two
// recommendation rows return the same films in the same order, with the same reasons, as
// filmgraph's own answer (the GraphQL operation the row runs), so a bench ratio compares
// equal work. A few films for the film page, MovieLens user 1 for the personal picks.
func TestBenchBaselinesComputeWhatTheAPIAnswers(t *testing.T) {
	ops := map[string]harness.Operation{}
	for _, op := range harness.Operations() {
		ops[op.Name] = op
	}
	// picked lists a baseline's or the API's picks as "movieId: reason text | ...".
	type pick = string
	baseline := func(op harness.Operation, override map[string]any) []pick {
		t.Helper()
		params := map[string]any{}
		for k, v := range op.Params {
			params[k] = v
		}
		for k, v := range override {
			params[k] = v
		}
		data := cypherRows(t, op.Baseline, params)[0]["data"]
		if m, ok := data.(map[string]any); ok {
			data = m["recommended"]
		}
		var out []pick
		for _, row := range data.([]any) {
			row := row.(map[string]any)
			p := strconv.FormatInt(row["movie"].(map[string]any)["movieId"].(int64), 10) + ":"
			for _, r := range row["reasons"].([]any) {
				p += " " + r.(map[string]any)["text"].(string) + " |"
			}
			out = append(out, p)
		}
		return out
	}
	api := func(edges any) []pick {
		var out []pick
		for _, e := range edges.([]any) {
			_, key, _ := relay.ParseID(at(e, "node.movie.id").(string))
			p := key + ":"
			for _, r := range at(e, "node.reasons").([]any) {
				p += " " + r.(map[string]any)["text"].(string) + " |"
			}
			out = append(out, p)
		}
		return out
	}
	same := func(name string, got, want []pick) {
		t.Helper()
		if len(want) == 0 {
			t.Errorf("%s: the API recommends nothing: the comparison would prove nothing", name)
		}
		if strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Errorf("%s: baseline\n  %s\nAPI\n  %s", name, strings.Join(got, "\n  "), strings.Join(want, "\n  "))
		}
	}

	query, err := os.ReadFile(filepath.Join("..", "docs", "queries", "recommendedMovies.graphql"))
	if err != nil {
		t.Fatal(err)
	}
	for _, film := range []int64{referenceMovieLensID, 1, 356, 2571, 5952} {
		data := mustDo(t, "", string(query), map[string]any{"id": movieID(int(film))}, 1)
		same(fmt.Sprintf("recommendedMovies %d", film), baseline(ops["recommendedMovies"], map[string]any{"id": film}),
			api(at(data, "movie.recommended.edges")))
	}

	op := ops["personalRecommendations"]
	token, _, err := testIssuer.Issue(*op.Viewer)
	if err != nil {
		t.Fatal(err)
	}
	data := mustDo(t, token, op.Query, nil, 1)
	same("personalRecommendations", baseline(op, nil), api(at(data, "recommendationsForMe.edges")))
}
