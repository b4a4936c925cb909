package main

import (
	"bytes"
	"context"
	"log/slog"
	"os"
	"strings"
	"testing"
	"time"

	"filmgraph/bench/harness"
	"filmgraph/observe"
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
		QueriesDir: "docs/queries", Duration: 300 * time.Millisecond, Warmup: 50 * time.Millisecond,
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
		if op.TODO == "" && !op.Write && !strings.Contains(md.String(), "| "+op.Name+" | 1 |") {
			t.Errorf("no row for %s in the table:\n%s", op.Name, md.String())
		}
	}
}
