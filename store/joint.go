package store

import (
	"cmp"
	"context"
	"slices"
	"strings"
	"sync"

	"filmgraph/apperr"
	"filmgraph/cypher"
)

// Joint runs the reads of a fixed number of parties, such as a query's root fields, which
// run concurrently and read one statement each, as one statement (cypher.Combine): one
// transaction in Neo4j and one round trip instead of one per party, which for small reads
// cost more than the reads themselves. A read waits until every party either waits for a
// read too or is done; the one that completes the set runs them all.
//
// Each party gets what its statement alone would have returned. A party reads alone when
// no other read waits with its own, and when the combined statement cannot be built or
// fails for a reason of one of its statements: a failure of one part must not fail the
// others. A timeout or an unreachable database is every party's answer, as it would have
// been apart.
type Joint struct {
	store   *Store
	mu      sync.Mutex
	running int // parties neither waiting for a read nor done
	waiting []*jointRead
}

// jointRead is one party's read, answered by the party that runs the joint reads.
type jointRead struct {
	order string // parties' reads are combined in this order: one text, one cached plan
	stmt  cypher.Statement
	done  chan struct{} // closed once rows and err, or alone, are set
	rows  []any
	err   error
	alone bool // the party runs stmt itself
}

// Joint returns a Joint for the given number of parties. Each must call Done when it has
// finished, and the count must be exact: a read waits for parties that never come until
// its context ends.
func (s *Store) Joint(parties int) *Joint {
	return &Joint{store: s, running: parties}
}

// ReadAll is Store.ReadAll for one party, run with the other parties' reads; order places
// its statement among them (a field's name).
func (j *Joint) ReadAll(ctx context.Context, order string, stmt cypher.Statement) ([]any, error) {
	read := &jointRead{order: order, stmt: stmt, done: make(chan struct{})}
	j.settle(ctx, read)
	select {
	case <-read.done:
	case <-ctx.Done():
		j.resume()
		return nil, classify(ctx, ctx, ctx.Err(), failed) // what the store answers an ended request
	}
	j.resume()
	if read.alone {
		return j.store.ReadAll(ctx, stmt)
	}
	return read.rows, read.err
}

// ReadOne is Store.ReadOne for one party, as ReadAll.
func (j *Joint) ReadOne(ctx context.Context, order string, stmt cypher.Statement) (map[string]any, error) {
	return first(j.ReadAll(ctx, order, stmt))
}

// ReadForViewer is Store.ReadForViewer for one party, as ReadAll.
func (j *Joint) ReadForViewer(ctx context.Context, order string, stmt cypher.Statement, viewerID int64) (map[string]any, error) {
	row, err := j.ReadOne(ctx, order, stmt)
	return j.store.viewersRow(ctx, viewerID, row, err)
}

// Done records that a party has finished.
func (j *Joint) Done(ctx context.Context) { j.settle(ctx, nil) }

// settle records that one running party now waits for read, or is done (read nil), and
// runs the waiting reads if no party still runs.
func (j *Joint) settle(ctx context.Context, read *jointRead) {
	j.mu.Lock()
	j.running--
	if read != nil {
		j.waiting = append(j.waiting, read)
	}
	var batch []*jointRead
	if j.running <= 0 {
		batch, j.waiting = j.waiting, nil
	}
	j.mu.Unlock()
	if len(batch) > 0 {
		j.run(ctx, batch)
	}
}

// resume records that a party that waited for its read runs again.
func (j *Joint) resume() {
	j.mu.Lock()
	j.running++
	j.mu.Unlock()
}

// run answers every read of batch.
func (j *Joint) run(ctx context.Context, batch []*jointRead) {
	defer func() {
		for _, read := range batch {
			close(read.done)
		}
	}()
	if len(batch) == 1 {
		batch[0].alone = true
		return
	}
	slices.SortStableFunc(batch, func(a, b *jointRead) int {
		return cmp.Or(strings.Compare(a.order, b.order), strings.Compare(a.stmt.Text, b.stmt.Text))
	})
	stmts := make([]cypher.Statement, len(batch))
	for i, read := range batch {
		stmts[i] = read.stmt
	}
	combined, err := cypher.Combine(stmts)
	var rows []any
	if err == nil {
		rows, err = j.store.ReadAll(ctx, combined)
	}
	var parts []any
	if err == nil && len(rows) == 1 {
		parts, _ = rows[0].([]any)
	}
	for i, read := range batch {
		switch code := apperr.CodeOf(err); {
		case err != nil && (code == apperr.Timeout || code == apperr.ServiceUnavailable):
			read.err = err
		case err != nil || len(parts) != len(batch):
			read.alone = true
		default:
			read.rows, _ = parts[i].([]any)
		}
	}
}
