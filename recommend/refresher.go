package recommend

import (
	"context"
	"fmt"
	"io"
	"sync/atomic"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
)

// pendingCypher finds the films whose SIMILAR edges are older than a rating that changes
// them: the film rated (its fans, raters and their sequences changed) and the films the
// same user rated just before it (their "rated soon after" neighbours changed). A film
// never refreshed on its own counts from the last full refresh. It returns the $max films
// with the oldest change first, and the age in seconds of the oldest change of all.
const pendingCypher = `OPTIONAL MATCH (run:SimilarityRun)
MATCH (u:User)-[r:RATED]->(b:Movie) WHERE r.ratedAt > coalesce(b.similarAt, run.startedAt)
CALL (u, r) {
  MATCH (u)-[p:RATED]->(a:Movie) WHERE p.ratedAt <= r.ratedAt
  WITH a ORDER BY p.ratedAt DESC, a.movieId DESC LIMIT $window
  RETURN a
}
WITH a, min(r.ratedAt) AS since
ORDER BY since, a.movieId
WITH collect(a.movieId) AS films, min(since) AS oldest
RETURN films[..$max] AS films, CASE WHEN oldest IS NULL THEN 0.0
  ELSE duration.inSeconds(oldest, datetime()).seconds + duration.inSeconds(oldest, datetime()).nanosecondsOfSecond / 1e9 END AS age`

// RefreshFilmsPerCycle is the server's Refresher.MaxFilms, the bound of a cycle's work.
const RefreshFilmsPerCycle = 200

// Refresher recomputes the similarity of the films whose ratings changed, in the
// background, so that recommendations follow new ratings within a bounded delay
// without a full Refresh: every Interval it refreshes (RefreshFilms) at most MaxFilms
// films, the oldest change first. A change is seen at the next cycle; as long as fewer
// than MaxFilms films change per Interval, a rating shows in recommendations within
// about two intervals plus the time of a cycle. A removed rating is not seen (its film is
// refreshed at its next rating or the next full refresh), nor a new film without ratings.
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
	// the cycle's context, which ends before the lease would lapse.
	Lease interface {
		Hold(ctx context.Context) (cycle context.Context, done context.CancelFunc, held bool, err error)
	}

	oldest atomic.Int64 // age of the oldest pending change at the last cycle, in ms
}

// OldestPending is the age of the oldest change not yet reflected in the similarity
// edges, as seen by the last cycle (0: none pending).
func (r *Refresher) OldestPending() time.Duration {
	return time.Duration(r.oldest.Load()) * time.Millisecond
}

// Run refreshes every Interval until ctx ends. An error of one cycle is logged and the
// next cycle tries again.
func (r *Refresher) Run(ctx context.Context) {
	t := time.NewTicker(r.Interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		cycle, done := ctx, context.CancelFunc(func() {})
		if r.Lease != nil {
			var held bool
			var err error
			if cycle, done, held, err = r.Lease.Hold(ctx); !held {
				if err != nil && ctx.Err() == nil && r.Log != nil {
					fmt.Fprintf(r.Log, "recommend: refresher: %v\n", err)
				}
				continue // another replica refreshes
			}
		}
		if _, err := r.Cycle(cycle); err != nil && ctx.Err() == nil && r.Log != nil {
			fmt.Fprintf(r.Log, "recommend: refresher: %v\n", err)
		}
		done()
	}
}

// Cycle runs one cycle: it finds the pending films and refreshes at most MaxFilms of them,
// returning their movieIds.
func (r *Refresher) Cycle(ctx context.Context) ([]int64, error) {
	res, err := neo4j.ExecuteQuery(ctx, r.Driver, pendingCypher, map[string]any{"max": r.MaxFilms, "window": followedWindow + 1},
		neo4j.EagerResultTransformer, neo4j.ExecuteQueryWithDatabase(r.Database), neo4j.ExecuteQueryWithReadersRouting())
	if err != nil {
		return nil, fmt.Errorf("pending films: %w", err)
	}
	raw, _, _ := neo4j.GetRecordValue[[]any](res.Records[0], "films")
	age, _, _ := neo4j.GetRecordValue[float64](res.Records[0], "age")
	r.oldest.Store(int64(age * 1000))
	if r.Report != nil {
		r.Report(r.OldestPending())
	}
	films := make([]int64, 0, len(raw))
	for _, id := range raw {
		if id, ok := id.(int64); ok {
			films = append(films, id)
		}
	}
	if len(films) == 0 {
		return nil, nil
	}
	start := time.Now()
	if err := RefreshFilms(ctx, r.Driver, r.Database, films, nil); err != nil {
		return nil, err
	}
	if r.Log != nil {
		fmt.Fprintf(r.Log, "recommend: refreshed %d films with new ratings in %s (oldest change %s old)\n",
			len(films), time.Since(start).Round(time.Millisecond), r.OldestPending().Round(time.Second))
	}
	return films, nil
}
