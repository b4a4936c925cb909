package server

import (
	"context"
	"log/slog"
	"slices"
	"strings"
	"testing"
	"time"

	"filmgraph/internal/neo4jtest"
	"filmgraph/internal/programtest"
	"filmgraph/observe"
	"filmgraph/recommend"
)

// TestFirstStartLinesOnlyOnAFirstStart: a start of the bundled Neo4j whose seed is loaded
// and whose similarity edges are complete logs neither "loading the bundled seed" nor
// "computing the similarity edges" (both say "first start only"), and computes nothing.
func TestFirstStartLinesOnlyOnAFirstStart(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	markSimilarityComplete(t)
	edgesBefore := similarEdges(t)

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
	if n := similarEdges(t); n != edgesBefore {
		t.Errorf("SIMILAR edges %d before, %d after: a later start recomputed them", edgesBefore, n)
	}
}

// markSimilarityComplete marks the test database's last full similarity refresh complete
// for the test, and puts back the marker it had when the test ends: the database holds the
// seed and the edges of the films the tests read, as after a full refresh.
func markSimilarityComplete(t *testing.T) {
	t.Helper()
	before := cypherRows(t, `MATCH (r:SimilarityRun) RETURN properties(r) AS p`, nil)
	t.Cleanup(func() {
		cypherRows(t, `MATCH (r:SimilarityRun) DELETE r`, nil)
		for _, row := range before {
			cypherRows(t, `CREATE (r:SimilarityRun) SET r = $p`, map[string]any{"p": row["p"]})
		}
	})
	cypherRows(t, `MERGE (r:SimilarityRun) SET r.complete = true, r.method = $method`, map[string]any{"method": recommend.Method})
}

func similarEdges(t *testing.T) int64 {
	t.Helper()
	return cypherRows(t, `MATCH ()-[s:SIMILAR]->() RETURN count(s) AS n`, nil)[0]["n"].(int64)
}

// TestSeedIfMissingFindsEverything runs compose's one-shot `filmgraph seed --if-missing`
// against a database that holds the seed and complete edges: it exits 0, loads nothing and
// computes nothing.
func TestSeedIfMissingFindsEverything(t *testing.T) {
	markSimilarityComplete(t)
	edgesBefore := similarEdges(t)
	_, stderr, status := programtest.Run(t, []string{"FILMGRAPH_ENV=production",
		"NEO4J_URI=" + neo4jtest.URI(), "NEO4J_USERNAME=" + neo4jtest.Username(),
		"NEO4J_PASSWORD=" + neo4jtest.Password(), "NEO4J_DATABASE=" + neo4jtest.Database(),
	}, "seed", "--if-missing")
	if status != 0 || strings.Contains(stderr, "loading the bundled seed") || strings.Contains(stderr, "computing the similarity edges") {
		t.Errorf("exit %d, log:\n%s", status, stderr)
	}
	if n := similarEdges(t); n != edgesBefore {
		t.Errorf("SIMILAR edges %d before, %d after", edgesBefore, n)
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
