package server

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"filmgraph/observe"
	"filmgraph/recommend"
	"filmgraph/relay"
)

// dueUnratedCypher counts, independently of package recommend, the films nobody rated that
// still wait for their content neighbours after a first start: not stamped since the run
// marker's start.
const dueUnratedCypher = `MATCH (run:SimilarityRun)
MATCH (m:Movie) WHERE m.ratingCount = 0 AND (m.similarAt IS NULL OR m.similarAt < run.startedAt)
RETURN count(m) AS n, min(m.movieId) AS first`

// TestServerAnswersWhileUnratedFilmsWait: after a first start that computed the rated
// films' neighbours only (the run marker says so), the server is ready and answers the
// reference film's page with its recommendations while thousands of films nobody rated
// still wait for their content neighbours; a Refresher cycle then gives the first of them
// their content picks (every film it shares a director, a top-billed actor, a tag or a
// series with, from independent Cypher), /readyz and /metrics say how many still wait, and
// a second Refresher (as after a restart) resumes after them instead of starting again.
func TestServerAnswersWhileUnratedFilmsWait(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	markSimilarityComplete(t)
	cypherRows(t, `MATCH (r:SimilarityRun) SET r.unratedPending = true, r.startedAt = datetime()`, nil)
	due := cypherRows(t, dueUnratedCypher, nil)[0]
	dueBefore := due["n"].(int64)
	if dueBefore < 1000 {
		t.Fatalf("%d films nobody rated wait for their neighbours; the seed has about 30,000", dueBefore)
	}
	// The film checked: among the first films waiting (the backfill goes by movieId), one
	// with a director of another film and at most TopK films linked through people, tags
	// or series, so that those sharing a director or a series with it (worth more than any
	// genre overlap alone) must all be among its picks.
	linked := `MATCH (m:Movie {movieId: $film})
CALL (m) {
  MATCH (m)<-[:DIRECTED]-(:Person)-[:DIRECTED]->(c:Movie) WHERE c <> m RETURN c
  UNION MATCH (m)<-[a:ACTED_IN]-(:Person)-[:ACTED_IN]->(c:Movie) WHERE a.order < 10 AND c <> m RETURN c
  UNION MATCH (m)-[:TAGGED|IN_SERIES]->()<-[:TAGGED|IN_SERIES]-(c:Movie) WHERE c <> m RETURN c
}
WITH m, collect(c.movieId) AS linked
RETURN linked, COLLECT { MATCH (m)<-[:DIRECTED]-(:Person)-[:DIRECTED]->(s:Movie) WHERE s <> m RETURN s.movieId AS id
    UNION MATCH (m)-[:IN_SERIES]->()<-[:IN_SERIES]-(s:Movie) WHERE s <> m RETURN s.movieId AS id } AS strong`
	candidates := cypherRows(t, `MATCH (run:SimilarityRun)
MATCH (m:Movie) WHERE m.ratingCount = 0 AND (m.similarAt IS NULL OR m.similarAt < run.startedAt)
WITH m ORDER BY m.movieId LIMIT 300
WITH collect(m) AS first
UNWIND range(0, size(first) - 1) AS i
WITH i, first[i] AS m WHERE EXISTS { (m)<-[:DIRECTED]-(:Person)-[:DIRECTED]->(c:Movie) WHERE c <> m }
RETURN m.movieId AS film, i AS rank ORDER BY i`, nil)
	var film, rank int64
	var want []any
	for _, c := range candidates {
		row := cypherRows(t, linked, map[string]any{"film": c["film"]})[0]
		if len(row["linked"].([]any)) <= recommend.TopK {
			film, rank, want = c["film"].(int64), c["rank"].(int64), row["strong"].([]any)
			break
		}
	}
	if film == 0 {
		t.Fatal("none of the first 300 films waiting has a director of another film and at most TopK linked films")
	}
	var backfilled []int64
	t.Cleanup(func() { // the edges and stamps of the films backfilled here go again
		cypherRows(t, `MATCH (m:Movie) WHERE m.movieId IN $films
			OPTIONAL MATCH (m)-[s:SIMILAR]->() DELETE s
			WITH DISTINCT m REMOVE m.similarAt`, map[string]any{"films": backfilled})
	})

	refresher := &recommend.Refresher{Driver: testStore.Driver(), Database: testStore.Database(), Interval: time.Hour,
		MaxFilms: recommend.RefreshFilmsPerCycle, Backfill: int(rank) + 1, ReportBackfill: observe.SetRecommendationsBackfill}
	srv := httptest.NewServer((&server{log: observe.NewLogger(io.Discard, true, slog.LevelError), db: testStore,
		cfg: testConfig, issuer: testIssuer, refresher: refresher}).routes())
	defer srv.Close()

	// Before any backfill: ready, and the reference page has its recommendations.
	if status, body := getBody(t, srv.URL+"/readyz"); status != http.StatusOK {
		t.Errorf("/readyz %d while films nobody rated wait: %s", status, body)
	}
	ref := contentPicks(t, srv.URL, referenceMovieLensID)
	if len(ref) == 0 {
		t.Error("the reference film has no recommendations while films nobody rated wait")
	}
	if picks := contentPicks(t, srv.URL, film); len(picks) != 0 {
		t.Fatalf("film %d has picks %v before its backfill", film, picks)
	}
	if n := cypherRows(t, dueUnratedCypher, nil)[0]["n"].(int64); n != dueBefore {
		t.Fatalf("%d films wait after serving the pages, %d before: something else backfilled", n, dueBefore)
	}

	// One cycle: the first rank+1 films waiting get their neighbours, the film among them.
	if _, err := refresher.Cycle(ctx); err != nil {
		t.Fatal(err)
	}
	dueAfter := cypherRows(t, dueUnratedCypher, nil)[0]
	for _, id := range cypherRows(t, `MATCH (run:SimilarityRun) MATCH (m:Movie) WHERE m.ratingCount = 0 AND m.similarAt >= run.startedAt
		RETURN collect(m.movieId) AS ids`, nil)[0]["ids"].([]any) {
		backfilled = append(backfilled, id.(int64))
	}
	if left := dueAfter["n"].(int64); left != dueBefore-rank-1 || refresher.BackfillLeft() != left {
		t.Errorf("after a cycle of %d films: %d wait (Refresher says %d), want %d", rank+1, left, refresher.BackfillLeft(), dueBefore-rank-1)
	}
	if int64(len(backfilled)) != rank+1 || !slices.Contains(backfilled, film) {
		t.Errorf("the cycle stamped %d films (%v), want the first %d waiting, film %d among them", len(backfilled), backfilled, rank+1, film)
	}
	picks := contentPicks(t, srv.URL, film)
	for _, id := range want {
		if !slices.Contains(picks, id.(int64)) {
			t.Errorf("film %d: picks %v lack %d, which shares a director or a series with it", film, picks, id)
		}
	}
	for _, pick := range picks {
		shares := cypherRows(t, `MATCH (m:Movie {movieId: $film}), (c:Movie {movieId: $pick})
			RETURN EXISTS { (m)<-[:DIRECTED|ACTED_IN]-(:Person)-[:DIRECTED|ACTED_IN]->(c) }
			    OR EXISTS { (m)-[:IN_GENRE|TAGGED|IN_SERIES]->()<-[:IN_GENRE|TAGGED|IN_SERIES]-(c) } AS shares`,
			map[string]any{"film": film, "pick": pick})[0]["shares"]
		if shares != true {
			t.Errorf("film %d: pick %d shares nothing with it", film, pick)
		}
	}
	status, body := getBody(t, srv.URL+"/readyz")
	if wantText := "computing the content neighbours of " + strconv.FormatInt(dueAfter["n"].(int64), 10) + " films nobody rated"; status != http.StatusOK || !strings.Contains(body, wantText) {
		t.Errorf("/readyz %d %s, want 200 saying %q", status, body, wantText)
	}
	if _, metrics := getBody(t, srv.URL+"/metrics"); !strings.Contains(metrics, "filmgraph_recommendations_backfill_films "+strconv.FormatInt(dueAfter["n"].(int64), 10)+"\n") {
		t.Errorf("/metrics lacks filmgraph_recommendations_backfill_films %d", dueAfter["n"])
	}

	// A restart: a new Refresher resumes with the next films waiting, by movieId.
	next, left, err := recommend.BackfillUnrated(ctx, testStore.Driver(), testStore.Database(), 3, nil)
	backfilled = append(backfilled, next...)
	if err != nil {
		t.Fatal(err)
	}
	if len(next) != 3 || next[0] <= slices.Max(backfilled[:len(backfilled)-3]) || left != dueAfter["n"].(int64)-3 {
		t.Errorf("after a restart: films %v (after %v), %d left; want the next 3 waiting and %d left",
			next, backfilled[:len(backfilled)-3], left, dueAfter["n"].(int64)-3)
	}
}

// contentPicks returns the movieIds of a film's CONTENT recommendations (up to TopK),
// read through the server at base.
func contentPicks(t *testing.T, base string, film int64) []int64 {
	t.Helper()
	body, _ := json.Marshal(map[string]any{"query": `query($id: ID!, $n: Int) { movie(id: $id) { title
		recommended(first: $n, strategy: CONTENT) { edges { node { movie { id } } } } } }`,
		"variables": map[string]any{"id": relay.ID("Movie", strconv.FormatInt(film, 10)), "n": recommend.TopK}})
	resp, err := http.Post(base+"/graphql", "application/json", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out struct {
		Data struct {
			Movie struct {
				Title       string
				Recommended struct {
					Edges []struct {
						Node struct{ Movie struct{ ID string } }
					}
				}
			}
		}
		Errors []any
	}
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil || resp.StatusCode != http.StatusOK || len(out.Errors) > 0 || out.Data.Movie.Title == "" {
		t.Fatalf("film %d: status %d, errors %v, %v", film, resp.StatusCode, out.Errors, err)
	}
	var ids []int64
	for _, e := range out.Data.Movie.Recommended.Edges {
		_, key, _ := relay.ParseID(e.Node.Movie.ID)
		id, _ := strconv.ParseInt(key, 10, 64)
		ids = append(ids, id)
	}
	return ids
}

// getBody GETs url and returns the status and body.
func getBody(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// TestBackfillWaitsForACompleteRefresh: the films nobody rated are backfilled only after a
// complete refresh that left them (unratedPending): not while a full refresh is cut short
// (it recomputes every film when it runs again), and not on a database whose last refresh
// computed every film (an older one, or `go run . similar`).
func TestBackfillWaitsForACompleteRefresh(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	markSimilarityComplete(t)
	for _, c := range []struct {
		name, set string
	}{
		{"cut short", `SET r.complete = false, r.unratedPending = true, r.startedAt = datetime()`},
		{"every film computed", `SET r.complete = true, r.unratedPending = false, r.startedAt = datetime()`},
		{"older database", `REMOVE r.unratedPending SET r.complete = true, r.startedAt = datetime()`},
	} {
		cypherRows(t, `MATCH (r:SimilarityRun) `+c.set, nil)
		if n := cypherRows(t, dueUnratedCypher, nil)[0]["n"].(int64); n == 0 {
			t.Fatalf("%s: no film nobody rated is unstamped, the case proves nothing", c.name)
		}
		films, left, err := recommend.BackfillUnrated(ctx, testStore.Driver(), testStore.Database(), 10, nil)
		if err != nil || len(films) != 0 || left != 0 {
			t.Errorf("%s: backfilled %v, %d left, %v; want nothing", c.name, films, left, err)
		}
	}
}
