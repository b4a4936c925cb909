package graph

import (
	"context"
	"slices"
	"strings"
	"sync"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"

	"filmgraph/apperr"
	"filmgraph/cypher"
	"filmgraph/store"
)

// One statement per query: gqlgen resolves a query's root fields concurrently, each
// translated to one statement. Run apart, every statement pays Neo4j a transaction and the
// driver a session, a round trip and its goroutines, which on the browse page's two root
// fields cost more than the work itself. So the root fields' reads wait for each other: once
// every root field of the operation is either waiting for its read or finished, the reads
// waiting run as one statement (cypher.Combine) and each field takes its part of the row.
//
// A field reads alone when no other field's read waits with it, and when the combined
// statement cannot be built or fails for a reason of its own statement (a failure of one
// part must not fail the other fields): then each waiting field runs its statement itself.
// A timeout or an unreachable database is every field's answer, as it would have been apart.

// combineRootReads is the handler extension that counts each query's root fields and
// marks when each one finishes.
type combineRootReads struct{ store *store.Store }

var _ interface {
	graphql.HandlerExtension
	graphql.ResponseInterceptor
	graphql.RootFieldInterceptor
} = combineRootReads{}

func (combineRootReads) ExtensionName() string                   { return "filmgraph/combineRootReads" }
func (combineRootReads) Validate(graphql.ExecutableSchema) error { return nil }

type rootReadsKey struct{}

// InterceptResponse gives a query with more than one root field its rootReads. The count
// is of the fields the generated _Query resolves through the root field middleware: all it
// collects, with the same call, but __typename.
func (e combineRootReads) InterceptResponse(ctx context.Context, next graphql.ResponseHandler) *graphql.Response {
	oc := graphql.GetOperationContext(ctx)
	if oc == nil || oc.Operation == nil || oc.Operation.Operation != ast.Query || e.store == nil {
		return next(ctx)
	}
	fields := 0
	for _, field := range graphql.CollectFields(oc, oc.Operation.SelectionSet, []string{"Query"}) {
		if field.Name != "__typename" {
			fields++
		}
	}
	if fields < 2 {
		return next(ctx)
	}
	return next(context.WithValue(ctx, rootReadsKey{}, &rootReads{store: e.store, running: fields}))
}

// InterceptRootField marks the field finished when its whole subtree is resolved.
func (combineRootReads) InterceptRootField(ctx context.Context, next graphql.RootResolver) graphql.Marshaler {
	reads, _ := ctx.Value(rootReadsKey{}).(*rootReads)
	if reads == nil {
		return next(ctx)
	}
	defer reads.settle(ctx, nil)
	return next(ctx)
}

// rootReads are the reads of one query's root fields.
type rootReads struct {
	store   *store.Store
	mu      sync.Mutex
	running int // root fields neither waiting for a read nor finished
	waiting []*rootRead
}

// rootRead is one field's read, answered by the field that runs the reads.
type rootRead struct {
	field string // the root field's response name, which orders the combined statement
	stmt  cypher.Statement
	done  chan struct{} // closed once rec and err, or alone, are set
	rec   map[string]any
	err   error
	alone bool // the field runs stmt itself
}

// readOne runs stmt as s.ReadOne does, together with the other root fields' reads when
// called by a root field of a query that has rootReads.
func readOne(ctx context.Context, s *store.Store, stmt cypher.Statement) (map[string]any, error) {
	reads, _ := ctx.Value(rootReadsKey{}).(*rootReads)
	fc := graphql.GetFieldContext(ctx)
	if reads == nil || reads.store != s || fc == nil || fc.Object != "Query" {
		return s.ReadOne(ctx, stmt)
	}
	read := &rootRead{field: fc.Field.Alias, stmt: stmt, done: make(chan struct{})}
	reads.settle(ctx, read)
	select {
	case <-read.done:
	case <-ctx.Done():
		reads.resume()
		return s.ReadOne(ctx, stmt) // which answers an ended request at once, with its error
	}
	reads.resume()
	if read.alone {
		return s.ReadOne(ctx, stmt)
	}
	return read.rec, read.err
}

// settle records that one running field now waits for read, or has finished (read nil),
// and runs the waiting reads if no field is still running.
func (r *rootReads) settle(ctx context.Context, read *rootRead) {
	r.mu.Lock()
	r.running--
	if read != nil {
		r.waiting = append(r.waiting, read)
	}
	var batch []*rootRead
	if r.running <= 0 {
		batch, r.waiting = r.waiting, nil
	}
	r.mu.Unlock()
	if len(batch) > 0 {
		r.run(ctx, batch)
	}
}

// resume records that a field that waited for its read runs again.
func (r *rootReads) resume() {
	r.mu.Lock()
	r.running++
	r.mu.Unlock()
}

// run answers every read of batch.
func (r *rootReads) run(ctx context.Context, batch []*rootRead) {
	defer func() {
		for _, read := range batch {
			close(read.done)
		}
	}()
	// In the order of the fields, not of their arrival: one text, one cached plan.
	slices.SortStableFunc(batch, func(a, b *rootRead) int { return strings.Compare(a.field, b.field) })
	stmts := make([]cypher.Statement, len(batch))
	for i, read := range batch {
		stmts[i] = read.stmt
	}
	combined, err := cypher.Combine(stmts)
	if len(batch) == 1 || err != nil {
		runAlone(batch)
		return
	}
	rows, err := r.store.ReadAll(ctx, combined)
	if err != nil && !everyFieldsFailure(err) {
		runAlone(batch)
		return
	}
	var parts []any
	if len(rows) == 1 {
		parts, _ = rows[0].([]any)
	}
	for i, read := range batch {
		switch {
		case err != nil:
			read.err = err
		case len(parts) != len(batch):
			read.err = apperr.New(apperr.Internal, "internal error")
		default:
			if rows, _ := parts[i].([]any); len(rows) > 0 {
				read.rec, _ = rows[0].(map[string]any)
			}
		}
	}
}

func runAlone(batch []*rootRead) {
	for _, read := range batch {
		read.alone = true
	}
}

// everyFieldsFailure reports whether err, the combined statement's, would have been each
// field's own: the request's time ran out or the database is out of reach.
func everyFieldsFailure(err error) bool {
	code := apperr.CodeOf(err)
	return code == apperr.Timeout || code == apperr.ServiceUnavailable
}
