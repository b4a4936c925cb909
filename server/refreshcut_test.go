package server

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"filmgraph/internal/neo4jtest"
	"filmgraph/recommend"
)

// edgesOfCypher reads, independently of package recommend, each film's similarity edges as
// one comparable text (neighbour and scores, rounded), and its staged edges and change
// marker.
const edgesOfCypher = `MATCH (m:Movie) WHERE m.movieId IN $films
RETURN m.movieId AS film, m.similarPendingSince IS NOT NULL AS pending,
  COLLECT { MATCH (m)-[s:SIMILAR]->(c:Movie)
    WITH c, s ORDER BY c.movieId
    RETURN c.movieId + ':' + coalesce(toString(round(s.followed, 4)), '-') + '/' + coalesce(toString(round(s.collaborative, 4)), '-') +
      '/' + coalesce(toString(round(s.content, 4)), '-') + CASE WHEN s.sentinel THEN '/old' ELSE '' END } AS edges,
  COUNT { (m)-[:SIMILAR_STAGED]->() } AS staged`

// filmsOtherTestsRead are the films whose recommendations other tests check (the
// recommended films, the franchises and their mates): a refresher test refreshes others.
func filmsOtherTestsRead() []int64 {
	films := slices.Clone(recommendedFilms)
	for _, f := range franchises {
		films = append(append(films, f.film), f.mates...)
	}
	return films
}

// filmEdges is a row of edgesOfCypher.
type filmEdges struct {
	edges   string
	pending bool
	staged  int64
}

// TestRefresherCutShortKeepsEveryFilmsEdges: a Refresher cycle over films that have edges,
// cut short before each of its statements (its context cancelled, as a stop or a lost
// lease does, or a statement failing, as a lost database does) and once in the middle of
// a statement, leaves every film with its old edges or with its new ones (read with
// independent Cypher), never with fewer; the films stay pending, and the next cycle
// gives them their new edges and leaves no staged edge behind.
func TestRefresherCutShortKeepsEveryFilmsEdges(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	forgetOtherChanges(t)
	// Films no other test reads the neighbours of: rated by a few members, more than two
	// transactions of the swap's (50 films each).
	avoid := filmsOtherTestsRead()
	var films []int64
	for _, row := range cypherRows(t, `MATCH (m:Movie) WHERE m.ratingCount >= 3 AND m.ratingCount <= 6 AND NOT m.movieId IN $avoid
		AND EXISTS { (m)-[:IN_GENRE]->() } AND NOT EXISTS { (m)-[:SIMILAR]->() } AND NOT EXISTS { (m)<-[:RATED]-(:User {userId: $user}) }
		RETURN m.movieId AS id ORDER BY m.movieId LIMIT 120`, map[string]any{"avoid": avoid, "user": picksUser}) {
		films = append(films, row["id"].(int64))
	}
	if len(films) < 101 {
		t.Fatalf("%d films to refresh: want more than two transactions of the swap", len(films))
	}
	t.Cleanup(func() { // back to no edges, as before the test
		cypherRows(t, `MATCH (m:Movie) WHERE m.movieId IN $films
			OPTIONAL MATCH (m)-[s:SIMILAR|SIMILAR_STAGED]->() DELETE s
			WITH DISTINCT m SET m.similarPendingSince = null, m.similarChanges = null`, map[string]any{"films": films})
	})
	// Old edges everybody can tell apart: each film linked to three popular films.
	setOld := func() {
		t.Helper()
		cypherRows(t, `MATCH (m:Movie) WHERE m.movieId IN $films
			OPTIONAL MATCH (m)-[s:SIMILAR]->() DELETE s
			WITH DISTINCT m
			MATCH (c:Movie) WHERE c.movieId IN [356, 318, 296]
			CREATE (m)-[:SIMILAR {content: 0.5, sentinel: true}]->(c)`, map[string]any{"films": films})
		cypherRows(t, `MATCH (m:Movie) WHERE m.movieId IN $films `+recommend.MarkChangedCypher, map[string]any{"films": films})
	}
	read := func() map[int64]filmEdges {
		t.Helper()
		out := map[int64]filmEdges{}
		for _, row := range cypherRows(t, edgesOfCypher, map[string]any{"films": films}) {
			var edges []string
			for _, e := range row["edges"].([]any) {
				edges = append(edges, e.(string))
			}
			out[row["film"].(int64)] = filmEdges{edges: strings.Join(edges, " "), pending: row["pending"].(bool), staged: row["staged"].(int64)}
		}
		return out
	}
	setOld()
	old := read()[films[0]].edges
	if !strings.HasSuffix(old, "/old") || strings.Count(old, "/old") != 3 {
		t.Fatalf("old edges %q: want the three sentinels", old)
	}
	r := &recommend.Refresher{Driver: neo4jtest.Driver(t), Database: neo4jtest.Database(), Interval: time.Hour, MaxFilms: recommend.RefreshFilmsPerCycle}

	// A whole cycle: the new edges, and the statements a cycle runs (where it can be cut).
	var steps []string
	done, err := r.Cycle(recommend.WithStepHook(ctx, func(step string) error { steps = append(steps, step); return nil }))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range films {
		if !slices.Contains(done, f) {
			t.Fatalf("the cycle refreshed %v, not film %d", done, f)
		}
	}
	want := read()
	changed := 0
	for _, f := range films {
		if w := want[f]; w.edges == "" || strings.Contains(w.edges, "/old") || w.pending || w.staged != 0 {
			t.Errorf("film %d after a whole cycle: %+v; want new edges only, not pending, nothing staged", f, w)
		} else if w.edges != old {
			changed++
		}
	}
	if swaps := strings.Count(strings.Join(steps, ","), "swap"); swaps < 3 {
		t.Fatalf("the cycle ran %v: want its films swapped in 3 transactions or more", steps)
	}
	t.Logf("a cycle of %d films runs %v", len(films), steps)

	// check reads every film's edges after a cycle cut short (one that finished after all:
	// finished), counting those that kept their old edges and those that have new ones.
	check := func(cut string, finished bool) (kept, renewed int) {
		t.Helper()
		got := read()
		for _, f := range films {
			switch g := got[f]; {
			case g.edges == old:
				kept++
			case g.edges == want[f].edges:
				renewed++
			default:
				t.Errorf("%s: film %d has edges %q; want its old ones %q or its new ones %q", cut, f, g.edges, old, want[f].edges)
			}
			if !finished && !got[f].pending {
				t.Errorf("%s: film %d is no longer pending, but the cycle did not finish", cut, f)
			}
		}
		return kept, renewed
	}
	errCut := errors.New("cut short by the test")
	for i := range steps {
		for _, how := range []string{"context cancelled", "statement failed"} {
			cut := fmt.Sprintf("%s before statement %d (%s)", how, i, steps[i])
			setOld()
			cycleCtx, stop := context.WithCancel(ctx)
			calls := 0
			_, err := r.Cycle(recommend.WithStepHook(cycleCtx, func(step string) error {
				if calls++; calls <= i {
					return nil
				}
				if how == "context cancelled" {
					stop()
					return nil // the statement runs with a cancelled context
				}
				return errCut
			}))
			stop()
			if err == nil {
				t.Errorf("%s: the cycle succeeded", cut)
			}
			kept, renewed := check(cut, false)
			swapsBefore := strings.Count(strings.Join(steps[:i], ","), "swap")
			if swapsBefore == 0 && renewed != 0 || swapsBefore == 1 && (kept == 0 || renewed == 0) {
				t.Errorf("%s: %d films kept their edges, %d have new ones", cut, kept, renewed)
			}
		}
	}

	// Cut in the middle of a statement: the context ends while the collaborative step runs.
	setOld()
	cycleCtx, stop := context.WithCancel(ctx)
	_, err = r.Cycle(recommend.WithStepHook(cycleCtx, func(step string) error {
		if step == "collaborative" {
			time.AfterFunc(50*time.Millisecond, stop)
		}
		return nil
	}))
	stop()
	kept, renewed := check("cancelled during the collaborative step", err == nil)
	if err == nil && kept != 0 {
		t.Errorf("the cycle cancelled during its collaborative step finished, but %d films kept their old edges", kept)
	}
	t.Logf("cancelled during the collaborative step: %v; %d films kept their edges, %d have new ones", err, kept, renewed)

	// The next cycle finishes the work: new edges, nothing pending or staged.
	if _, err := r.Cycle(ctx); err != nil {
		t.Fatal(err)
	}
	after := read()
	for _, f := range films {
		if after[f] != want[f] {
			t.Errorf("film %d after the next whole cycle: %+v, want %+v", f, after[f], want[f])
		}
	}
	if left := cypherRows(t, `MATCH (m:Movie)-[s:SIMILAR_STAGED]->() WHERE m.movieId IN $films RETURN count(s) AS n`,
		map[string]any{"films": films})[0]["n"].(int64); left != 0 {
		t.Errorf("%d staged edges left after a whole cycle", left)
	}
	if changed == 0 {
		t.Error("no film's new edges differ from its old ones: the test would prove nothing")
	}
}

// TestRefresherFirstCycleSoonAfterStart: a Refresher's first cycle begins within
// FirstCycleDelay of its start, not an Interval later, so that a first start's backfill and
// the changes made while no server ran are taken in at once.
func TestRefresherFirstCycleSoonAfterStart(t *testing.T) {
	forgetOtherChanges(t)
	cycled := make(chan time.Duration, 1)
	// MaxFilms 0: the cycle reads what is pending and refreshes nothing.
	r := &recommend.Refresher{Driver: testStore.Driver(), Database: testStore.Database(), Interval: time.Hour,
		Report: func(time.Duration) {
			select {
			case cycled <- 0:
			default:
			}
		}}
	started := time.Now()
	runInBackground(t, r)
	select {
	case <-cycled:
		t.Logf("first cycle %s after the start (FirstCycleDelay %s)", time.Since(started).Round(time.Millisecond), recommend.FirstCycleDelay)
	case <-time.After(recommend.FirstCycleDelay + time.Minute):
		t.Fatalf("no cycle within %s of the start (interval %s)", recommend.FirstCycleDelay+time.Minute, r.Interval)
	}
}

// TestCyclesOfOneRefresherRunOneAtATime: a cycle called while another runs waits for it.
// Two refreshes of the same films at once would each drop the other's staged edges and
// swap in lists missing a kind of neighbour (a test that ran a Refresher's cycles beside
// its Run left Never Let Me Go without its collaborative neighbours).
func TestCyclesOfOneRefresherRunOneAtATime(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	forgetOtherChanges(t)
	// A film no other test reads the neighbours of, with edges (so the cycle stages).
	avoid := filmsOtherTestsRead()
	rows := cypherRows(t, `MATCH (m:Movie) WHERE m.ratingCount > 0 AND NOT m.movieId IN $avoid AND EXISTS { (m)-[:SIMILAR]->() }
		RETURN m.movieId AS id ORDER BY m.movieId DESC LIMIT 1`, map[string]any{"avoid": avoid})
	if len(rows) == 0 {
		t.Fatal("no rated film with similarity edges to refresh")
	}
	film := rows[0]["id"].(int64)
	cypherRows(t, `MATCH (m:Movie {movieId: $film}) `+recommend.MarkChangedCypher, map[string]any{"film": film})
	r := &recommend.Refresher{Driver: neo4jtest.Driver(t), Database: neo4jtest.Database(), Interval: time.Hour, MaxFilms: recommend.RefreshFilmsPerCycle}

	paused, resume := make(chan struct{}), make(chan struct{})
	first := make(chan error, 1)
	go func() {
		_, err := r.Cycle(recommend.WithStepHook(ctx, func(step string) error {
			if step == "content" {
				close(paused)
				<-resume
			}
			return nil
		}))
		first <- err
	}()
	select {
	case <-paused:
	case <-ctx.Done():
		t.Fatal("the first cycle never reached its content step")
	}
	var secondSteps []string
	second := make(chan error, 1)
	go func() {
		_, err := r.Cycle(recommend.WithStepHook(ctx, func(step string) error { secondSteps = append(secondSteps, step); return nil }))
		second <- err
	}()
	select {
	case err := <-second:
		t.Errorf("a second cycle ended (%v, steps %v) while the first was under way", err, secondSteps)
	case <-time.After(2 * time.Second):
	}
	close(resume)
	if err := <-first; err != nil {
		t.Fatal(err)
	}
	if err := <-second; err != nil {
		t.Fatal(err)
	}
	// The first cycle took the change in; the second, after it, found nothing to refresh.
	if len(secondSteps) != 0 {
		t.Errorf("the second cycle ran %v: it refreshed films the first had refreshed", secondSteps)
	}
	if pending := cypherRows(t, `MATCH (m:Movie {movieId: $film}) RETURN m.similarPendingSince IS NOT NULL AS p`,
		map[string]any{"film": film})[0]["p"].(bool); pending {
		t.Errorf("film %d still pending after both cycles", film)
	}
}
