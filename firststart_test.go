package main

import (
	"context"
	"log/slog"
	"strings"
	"testing"
	"time"

	"filmgraph/observe"
	"filmgraph/recommend"
)

// TestFirstStartLinesOnlyOnAFirstStart: a start of the bundled Neo4j whose seed is loaded
// and whose similarity edges are complete logs neither "loading the bundled seed" nor
// "computing the similarity edges" (both say "first start only"), and computes nothing.
func TestFirstStartLinesOnlyOnAFirstStart(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	// The test database holds the seed and the edges of the films the tests read; mark its
	// last full refresh complete for this test, then put back the marker it had.
	before := cypherRows(t, `MATCH (r:SimilarityRun) RETURN properties(r) AS p`, nil)
	t.Cleanup(func() {
		cypherRows(t, `MATCH (r:SimilarityRun) DELETE r`, nil)
		for _, row := range before {
			cypherRows(t, `CREATE (r:SimilarityRun) SET r = $p`, map[string]any{"p": row["p"]})
		}
	})
	cypherRows(t, `MERGE (r:SimilarityRun) SET r.complete = true, r.method = $method`, map[string]any{"method": recommend.Method})
	edges := func() int64 {
		return cypherRows(t, `MATCH ()-[s:SIMILAR]->() RETURN count(s) AS n`, nil)[0]["n"].(int64)
	}
	edgesBefore := edges()

	logs := &syncBuffer{}
	log := observe.NewLogger(logs, true, slog.LevelDebug)
	cfg := testConfig
	cfg.bundled = true // as a start of the bundled Neo4j on its data directory
	if err := ensureSeeded(ctx, log, cfg, testStore); err != nil {
		t.Fatal(err)
	}
	if err := ensureSimilar(ctx, log, cfg, testStore); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(logs.String(), "first start only") {
		t.Errorf("a later start logs a first-start task:\n%s", logs)
	}
	if n := edges(); n != edgesBefore {
		t.Errorf("SIMILAR edges %d before, %d after: a later start recomputed them", edgesBefore, n)
	}
}
