package recommend

import (
	"context"
	"fmt"
	"io"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"filmgraph/lease"
)

// A film whose similarity edges are out of date carries a change marker, so the Refresher
// finds it through an index instead of comparing every rating with its film's edges:
//
//   - similarPendingSince: when the oldest change not yet reflected happened (indexed:
//     PendingIndexCypher); the rating mutations set it (store: rateMovie, clearRating);
//   - similarChanges: a counter every change raises, so that a change made while the
//     Refresher works keeps its marker;
//   - similarAlso: movieIds whose "rated soon after" edges a removed or replaced rating
//     changed (the member's films rated just before its old place, which the film left),
//     which nothing else would lead to;
//   - similarNew: set by the Refresher on a film it has not seen before (see
//     noticeNewFilmsCypher), whose ratings all count as new and whose content neighbours are
//     refreshed after it, so that it shows in their lists too.
//
// A mutation marks the film it changes with MarkChangedCypher, in its own transaction.
const (
	// MarkChangedCypher marks the film bound to m as changed (see above); a fragment of
	// the mutations' statements.
	MarkChangedCypher = `SET m.similarPendingSince = coalesce(m.similarPendingSince, datetime()), m.similarChanges = coalesce(m.similarChanges, 0) + 1`
	// PendingIndexCypher creates the index the Refresher reads the pending films by.
	PendingIndexCypher = `CREATE INDEX movie_similarPendingSince IF NOT EXISTS FOR (n:Movie) ON (n.similarPendingSince)`
)

// noticeNewFilmsCypher marks the films created since the last cycle, however they were
// created (a loader, plain Cypher): those with a movieId above the highest the refresher
// has seen, kept on the (:SimilarityRun) node as maxMovieId (set by a full refresh, then
// advanced here; a database without it starts from its highest movieId). The movieId
// uniqueness constraint's index makes both lookups seeks. At most $max films a cycle.
const noticeNewFilmsCypher = `MERGE (run:SimilarityRun)
WITH run, coalesce(run.maxMovieId, COLLECT { MATCH (m:Movie) WHERE m.movieId IS NOT NULL RETURN m.movieId AS id ORDER BY id DESC LIMIT 1 }[0], 0) AS seen
CALL (seen) {
  MATCH (m:Movie) WHERE m.movieId > seen
  WITH m ORDER BY m.movieId LIMIT $max
  ` + MarkChangedCypher + `, m.similarNew = true
  RETURN max(m.movieId) AS newest
}
SET run.maxMovieId = coalesce(newest, seen)
RETURN newest`

// pendingCypher returns the $max films changed longest ago, oldest first, each with
// the change counter it was read with, its new-film flag and the films whose "rated soon
// after" edges its change also touched: the ones each of its new raters (ratings given
// since the change, all for a new film; the $maxRaters latest) rated just before it, and
// those a removed or replaced rating left in similarAlso. Also the age in seconds of the oldest change
// (the first row's) and the database's clock.
const pendingCypher = `MATCH (m:Movie) WHERE m.similarPendingSince IS NOT NULL
WITH m ORDER BY m.similarPendingSince, m.movieId LIMIT $max
CALL (m) {
  OPTIONAL MATCH (m)<-[r:RATED]-(u:User) WHERE coalesce(m.similarNew, false) OR r.ratedAt >= m.similarPendingSince
  WITH u, r ORDER BY r.ratedAt DESC LIMIT $maxRaters
  CALL (m, u, r) {
    MATCH (u)-[p:RATED]->(a:Movie) WHERE p.ratedAt <= r.ratedAt AND a <> m
    WITH a, p ORDER BY p.ratedAt DESC, a.movieId DESC LIMIT $window
    RETURN collect(a.movieId) AS before
  }
  RETURN reduce(all = [], b IN collect(before) | all + b) AS before
}
RETURN m.movieId AS id, coalesce(m.similarChanges, 0) AS changes, coalesce(m.similarNew, false) AS new,
  before, coalesce(m.similarAlso, []) AS also, datetime() AS now,
  duration.inSeconds(m.similarPendingSince, datetime()).seconds + duration.inSeconds(m.similarPendingSince, datetime()).nanosecondsOfSecond / 1e9 AS age
ORDER BY m.similarPendingSince, m.movieId`

// settleCypher clears the markers of the films a cycle refreshed, unless they changed
// again meanwhile (their counter moved): those keep a marker dated from the cycle's read,
// and only the similarAlso entries not yet handled.
const settleCypher = `UNWIND $done AS d
MATCH (m:Movie {movieId: d.id})
WITH m, d, coalesce(m.similarChanges, 0) = d.changes AS settled
SET m.similarPendingSince = CASE WHEN settled THEN null ELSE $readAt END,
  m.similarChanges = CASE WHEN settled THEN null ELSE m.similarChanges END,
  m.similarAlso = CASE WHEN settled OR size(coalesce(m.similarAlso, [])) <= d.also THEN null ELSE m.similarAlso[d.also..] END,
  m.similarNew = null`

// markNeighboursCypher marks the content neighbours of new films as changed, so that
// their next refresh can rank the new film among their own neighbours.
const markNeighboursCypher = `MATCH (n:Movie)-[s:SIMILAR]->(m:Movie) WHERE n.movieId IN $films AND s.content > 0
` + MarkChangedCypher

// markFilmsCypher marks the films listed as changed.
const markFilmsCypher = `MATCH (m:Movie) WHERE m.movieId IN $films
` + MarkChangedCypher

// clearMarkersCypher drops the markers of changes older than a full refresh's start,
// which that refresh took in.
const clearMarkersCypher = `MATCH (m:Movie) WHERE m.similarPendingSince < $startedAt
SET m.similarPendingSince = null, m.similarChanges = null, m.similarAlso = null, m.similarNew = null`

// RefreshFilmsPerCycle is the server's Refresher.MaxFilms, the bound of a cycle's work.
const RefreshFilmsPerCycle = 200

// maxNewRaters bounds the new raters of one film whose earlier films a cycle considers.
const maxNewRaters = 100

// Refresher recomputes the similarity of the films that changed (see the markers above),
// in the background, so that recommendations follow new and removed ratings and new films
// within a bounded delay without a full Refresh: every Interval it refreshes
// (RefreshFilms) at most MaxFilms films, the oldest change first. A change is seen at the
// next cycle; as long as fewer than MaxFilms films change per Interval, it shows in
// recommendations within about two intervals plus the time of a cycle (a new film's
// content neighbours one cycle later).
type Refresher struct {
	Driver   neo4j.DriverWithContext
	Database string
	Interval time.Duration
	MaxFilms int
	Log      io.Writer // one line per cycle that refreshed films; nil: silent
	// Report, when set, receives the age of the oldest pending change at each cycle
	// (the server exports it as a metric).
	Report func(oldest time.Duration)
	// Lease, when set, lets a cycle run only while this replica holds it, so that one
	// replica of a cluster refreshes (package lease): Hold takes or renews it and returns
	// the cycle's context, which ends before the lease would lapse; Write runs the cycle's
	// settling write behind the lease's fence (lease.Fence), so a replica that lost the
	// lease mid-cycle, e.g. stalled past its expiry, settles nothing.
	Lease interface {
		Hold(ctx context.Context) (cycle context.Context, done context.CancelFunc, held bool, err error)
		Write(ctx context.Context, token int64, stmt string, params map[string]any) error
	}
	// Backfill is the most films nobody rated whose content neighbours a cycle computes,
	// after the changed films, while RefreshRated left some waiting (BackfillUnrated);
	// 0: none (they wait for EnsureSimilar or a full refresh).
	Backfill int
	// ReportBackfill, when set, receives at each cycle with Backfill the number of films
	// still waiting (the server exports it as a metric).
	ReportBackfill func(left int64)

	// cycling lets one cycle run at a time (Run's and any direct Cycle call): two
	// refreshes of the same films at once would drop each other's staged edges (see
	// stagedType) and swap in lists missing a kind of neighbour.
	cycling sync.Mutex

	oldest       atomic.Int64 // age of the oldest pending change at the last cycle, in ms
	indexed      atomic.Bool  // PendingIndexCypher has run
	backfillLeft atomic.Int64 // films waiting for their content neighbours after the last cycle
}

// BackfillLeft is the number of films nobody rated still waiting for their content
// neighbours, as last seen by a cycle (0: none, or Backfill is 0, or another replica holds
// the lease).
func (r *Refresher) BackfillLeft() int64 { return r.backfillLeft.Load() }

// OldestPending is the age of the oldest change not yet reflected in the similarity
// edges, as seen by the last cycle (0: none pending).
func (r *Refresher) OldestPending() time.Duration {
	return time.Duration(r.oldest.Load()) * time.Millisecond
}

// FirstCycleDelay is how soon after Run starts its first cycle begins (at most Interval):
// long enough for a starting server to serve its first requests, short enough that a
// first start's backfill and the changes made while no server ran are taken in at once.
// A cycle cut short costs nothing but its work (see stagedType), so a process that runs
// briefly (a replica started and stopped, a test's server) may start one.
const FirstCycleDelay = 5 * time.Second

// Run refreshes FirstCycleDelay after it starts, then every Interval, until ctx ends. An
// error of one cycle is logged and the next cycle tries again.
func (r *Refresher) Run(ctx context.Context) {
	select {
	case <-ctx.Done():
		return
	case <-time.After(min(FirstCycleDelay, r.Interval)):
	}
	t := time.NewTicker(r.Interval)
	defer t.Stop()
	for {
		r.runCycle(ctx)
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// runCycle runs one cycle of Run, under the lease when there is one.
func (r *Refresher) runCycle(ctx context.Context) {
	cycle, done := ctx, context.CancelFunc(func() {})
	if r.Lease != nil {
		var held bool
		var err error
		if cycle, done, held, err = r.Lease.Hold(ctx); !held {
			if err != nil && ctx.Err() == nil && r.Log != nil {
				fmt.Fprintf(r.Log, "recommend: refresher: %v\n", err)
			}
			return // another replica refreshes
		}
	}
	defer done()
	if _, err := r.Cycle(cycle); err != nil && ctx.Err() == nil && r.Log != nil {
		fmt.Fprintf(r.Log, "recommend: refresher: %v\n", err)
	}
}

// settle clears the marks of the films refreshed (settleCypher). Under a lease it is
// fenced by the cycle's token: the similarity edges a stale holder recomputed are correct
// for the data it read, but its marks must not clear changes another holder now owns.
func (r *Refresher) settle(ctx context.Context, params map[string]any) error {
	if done, _ := params["done"].([]map[string]any); len(done) == 0 {
		return nil
	}
	if token, fenced := lease.Token(ctx); fenced && r.Lease != nil {
		return r.Lease.Write(ctx, token, settleCypher, params)
	}
	_, err := neo4j.ExecuteQuery(ctx, r.Driver, settleCypher, params,
		neo4j.EagerResultTransformer, neo4j.ExecuteQueryWithDatabase(r.Database))
	return err
}

// pendingFilm is a row of pendingCypher.
type pendingFilm struct {
	id, changes int64
	new         bool
	touched     []int64 // the film itself, then the films whose "rated soon after" edges it changed
	also        int64   // how many similarAlso entries were read
}

// Cycle runs one cycle: it notices new films, reads the pending ones and refreshes at most
// MaxFilms films, returning their movieIds; then it computes the content neighbours of at
// most Backfill films nobody rated that RefreshRated left waiting. A call waits for a
// cycle already running on r to end.
func (r *Refresher) Cycle(ctx context.Context) ([]int64, error) {
	r.cycling.Lock()
	defer r.cycling.Unlock()
	films, err := r.refreshChanged(ctx)
	if err != nil || r.Backfill <= 0 {
		return films, err
	}
	done, left, err := backfillUnrated(ctx, r.Driver, r.Database, r.Backfill, r.Log, func(left int64) {
		r.backfillLeft.Store(left)
		if r.ReportBackfill != nil {
			r.ReportBackfill(left)
		}
	})
	if err != nil && len(done) > 0 {
		err = fmt.Errorf("films without ratings (%d done this cycle, %d left): %w", len(done), left, err)
	}
	return films, err
}

// refreshChanged refreshes the changed films of a cycle (see Cycle).
func (r *Refresher) refreshChanged(ctx context.Context) ([]int64, error) {
	if !r.indexed.Load() {
		if err := runImplicit(ctx, r.Driver, r.Database, PendingIndexCypher, nil); err != nil {
			return nil, fmt.Errorf("pending index: %w", err)
		}
		r.indexed.Store(true)
	}
	if _, err := neo4j.ExecuteQuery(ctx, r.Driver, noticeNewFilmsCypher, map[string]any{"max": r.MaxFilms},
		neo4j.EagerResultTransformer, neo4j.ExecuteQueryWithDatabase(r.Database)); err != nil {
		return nil, fmt.Errorf("new films: %w", err)
	}
	res, err := neo4j.ExecuteQuery(ctx, r.Driver, pendingCypher,
		map[string]any{"max": r.MaxFilms, "window": followedWindow, "maxRaters": maxNewRaters},
		neo4j.EagerResultTransformer, neo4j.ExecuteQueryWithDatabase(r.Database))
	if err != nil {
		return nil, fmt.Errorf("pending films: %w", err)
	}
	r.oldest.Store(0)
	if len(res.Records) > 0 {
		age, _, _ := neo4j.GetRecordValue[float64](res.Records[0], "age")
		r.oldest.Store(int64(age * 1000))
	}
	if r.Report != nil {
		r.Report(r.OldestPending())
	}
	if len(res.Records) == 0 {
		return nil, nil
	}
	readAt, _ := res.Records[0].AsMap()["now"].(time.Time)
	var pending []pendingFilm
	for _, rec := range res.Records {
		m := rec.AsMap()
		p := pendingFilm{id: m["id"].(int64), changes: m["changes"].(int64), new: m["new"].(bool)}
		p.touched = append(p.touched, p.id)
		for _, list := range []string{"before", "also"} {
			for _, id := range m[list].([]any) {
				if id, ok := id.(int64); ok {
					p.touched = append(p.touched, id)
				}
			}
		}
		p.also = int64(len(m["also"].([]any)))
		pending = append(pending, p)
	}
	films, done, over := r.take(pending)
	start := time.Now()
	if err := RefreshFilms(ctx, r.Driver, r.Database, films, nil); err != nil {
		return nil, err
	}
	if err := r.mark(ctx, markFilmsCypher, over); err != nil {
		return nil, fmt.Errorf("films left over: %w", err)
	}
	var settle []map[string]any
	var newFilms []int64
	for _, p := range done {
		settle = append(settle, map[string]any{"id": p.id, "changes": p.changes, "also": p.also})
		if p.new {
			newFilms = append(newFilms, p.id)
		}
	}
	if err := r.settle(ctx, map[string]any{"done": settle, "readAt": readAt}); err != nil {
		return nil, fmt.Errorf("settle: %w", err)
	}
	if err := r.mark(ctx, markNeighboursCypher, newFilms); err != nil {
		return nil, fmt.Errorf("new films' neighbours: %w", err)
	}
	if r.Log != nil {
		fmt.Fprintf(r.Log, "recommend: refreshed %d films (%d changed, %d new) in %s (oldest change %s old)\n",
			len(films), len(done), len(newFilms), time.Since(start).Round(time.Millisecond), r.OldestPending().Round(time.Second))
	}
	return films, nil
}

// mark runs stmt, which marks films as changed, for the films given (none: nothing).
func (r *Refresher) mark(ctx context.Context, stmt string, films []int64) error {
	if len(films) == 0 {
		return nil
	}
	_, err := neo4j.ExecuteQuery(ctx, r.Driver, stmt, map[string]any{"films": films},
		neo4j.EagerResultTransformer, neo4j.ExecuteQueryWithDatabase(r.Database))
	return err
}

// take chooses, oldest change first, the pending films whose touched films all fit in
// MaxFilms, and returns the films to refresh, the pending films they settle and, when the
// first alone touches more than MaxFilms, the films left over (to be marked as changed,
// so a later cycle refreshes them).
func (r *Refresher) take(pending []pendingFilm) (films []int64, done []pendingFilm, over []int64) {
	seen := map[int64]bool{}
	for _, p := range pending {
		var add []int64
		for _, id := range p.touched {
			if !seen[id] && !slices.Contains(add, id) {
				add = append(add, id)
			}
		}
		if len(done) > 0 && len(films)+len(add) > r.MaxFilms {
			break
		}
		if len(add) > r.MaxFilms {
			add, over = add[:r.MaxFilms], add[r.MaxFilms:]
		}
		for _, id := range add {
			seen[id] = true
		}
		films = append(films, add...)
		done = append(done, p)
	}
	return films, done, over
}
