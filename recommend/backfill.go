package recommend

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
)

// The first start of the bundled database serves once RefreshRated has computed the
// neighbours of the rated films; the content neighbours of the films nobody rated (about
// 30,000 of the 39,000, found only on Wikipedia) follow in the background, in bounded
// batches (BackfillUnrated, run by the Refresher's cycles). Until its batch comes, such a
// film has no recommendations: no rated film lists it either way, so no other page changes.
//
// What is left is found without any bookkeeping of its own: the run marker says a backfill
// is pending (unratedPending, set by RefreshRated), and a film is done once stamped
// (similarAt) at or after the run's start. A film rated meanwhile leaves the backlog (its
// ratingCount index entry moves) and is refreshed in full as a changed film. So a restart
// resumes where the backfill stood, and a refresh cut short (complete false) pauses it
// until a full refresh runs again.

// BackfillFilmsPerCycle is the server's Refresher.Backfill, the most films nobody rated a
// cycle computes the content neighbours of.
const BackfillFilmsPerCycle = 5000

// BackfillChunk is how many films one statement of a backfill takes, each chunk stamped
// when done, so that a cycle cut short (its lease's deadline, a stop) loses at most one.
// Not fewer: each statement pays a fixed cost (the genres' most rated films, a scan of
// the films) about that of a thousand such films.
const BackfillChunk = 1000

// unratedDueCypher returns the films still waiting for their content neighbours after
// RefreshRated (at most $max, by movieId) and how many wait in all; when none is left, it
// clears the run marker's unratedPending, so later cycles find nothing to do at once. The
// ratingCount index makes the films nobody rated a seek.
const unratedDueCypher = `MATCH (run:SimilarityRun) WHERE run.complete AND run.unratedPending
OPTIONAL MATCH (m:Movie) WHERE m.ratingCount = 0 AND NOT coalesce(m.similarAt >= run.startedAt, false)
WITH run, m ORDER BY m.movieId
WITH run, collect(m.movieId) AS due
CALL (run, due) {
  WITH run WHERE size(due) = 0
  SET run.unratedPending = false
}
RETURN size(due) AS left, due[..$max] AS films`

// BackfillUnrated computes the content neighbours of at most max films that RefreshRated
// left waiting, by movieId, in chunks of BackfillChunk (fewer when ctx's deadline would
// not leave time for the next chunk), and returns the movieIds of the films done and how
// many films still wait (after these; also on an error). Nothing waiting: nil, 0.
func BackfillUnrated(ctx context.Context, d neo4j.DriverWithContext, database string, max int, log io.Writer) (films []int64, left int64, err error) {
	return backfillUnrated(ctx, d, database, max, log, func(int64) {})
}

// backfillUnrated is BackfillUnrated, telling report how many films wait once it has read
// them and after each chunk.
func backfillUnrated(ctx context.Context, d neo4j.DriverWithContext, database string, max int, log io.Writer,
	report func(left int64)) (films []int64, left int64, err error) {
	res, err := neo4j.ExecuteQuery(ctx, d, unratedDueCypher, map[string]any{"max": max}, neo4j.EagerResultTransformer,
		neo4j.ExecuteQueryWithDatabase(database))
	if err != nil {
		return nil, 0, fmt.Errorf("recommend: films without ratings: %w", err)
	}
	if len(res.Records) == 0 { // no backfill pending, or a full refresh runs
		report(0)
		return nil, 0, nil
	}
	left, _, _ = neo4j.GetRecordValue[int64](res.Records[0], "left")
	report(left)
	due, _, _ := neo4j.GetRecordValue[[]any](res.Records[0], "films")
	for _, id := range due {
		films = append(films, id.(int64))
	}
	for start := 0; start < len(films); start += BackfillChunk {
		chunk := films[start:min(start+BackfillChunk, len(films))]
		began := time.Now()
		if err := refresh(ctx, d, database, chunk, contentOnly, nil); err != nil {
			return films[:start], left - int64(start), err
		}
		report(left - int64(start+len(chunk)))
		// Under a deadline (the Refresher's lease), start no chunk that would likely
		// overrun it: the next cycle goes on where this one stopped.
		if deadline, ok := ctx.Deadline(); ok && time.Until(deadline) < 2*time.Since(began) {
			films = films[:start+len(chunk)]
			break
		}
	}
	if log != nil && len(films) > 0 {
		fmt.Fprintf(log, "recommend: content neighbours of %d films without ratings computed, %d left\n", len(films), left-int64(len(films)))
	}
	return films, left - int64(len(films)), nil
}

// backfillAll runs BackfillUnrated until no film waits.
func backfillAll(ctx context.Context, d neo4j.DriverWithContext, database string, log io.Writer) error {
	for {
		films, _, err := BackfillUnrated(ctx, d, database, BackfillFilmsPerCycle, log)
		if err != nil || len(films) == 0 {
			return err
		}
	}
}
