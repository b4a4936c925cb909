package main

import (
	"context"
	"log/slog"
	"slices"
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

// stepRecorder records the progress reports of a similarity refresh
// (recommend.ProgressReporter) and its log lines.
type stepRecorder struct {
	lines       int
	done, total []int64
}

func (r *stepRecorder) Write(b []byte) (int, error) {
	r.lines += strings.Count(string(b), "\n")
	return len(b), nil
}
func (r *stepRecorder) Report(done, total int64) {
	r.done, r.total = append(r.done, done), append(r.total, total)
}

// TestSimilarityRefreshReportsProgress: a refresh reports after each step (one per log
// line), with a fixed total, rising to it; the reference film keeps its recommendations.
func TestSimilarityRefreshReportsProgress(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	r := &stepRecorder{}
	if err := recommend.RefreshFilms(ctx, testStore.Driver(), testStore.Database(), []int64{referenceMovieLensID}, r); err != nil {
		t.Fatal(err)
	}
	n := len(r.done)
	if n == 0 || n != r.lines || r.done[n-1] != r.total[0] || r.total[0] != r.total[n-1] || !slices.IsSorted(r.done) {
		t.Errorf("%d log lines; reports %v of %v", r.lines, r.done, r.total)
	}
	if rows := cypherRows(t, `MATCH (:Movie {movieId: $id})-[s:SIMILAR]->() RETURN count(s) AS n`,
		map[string]any{"id": referenceMovieLensID}); rows[0]["n"].(int64) == 0 {
		t.Error("the reference film has no SIMILAR edges after its refresh")
	}
}
