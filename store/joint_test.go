package store_test

import (
	"context"
	"reflect"
	"sync"
	"testing"
	"time"

	"filmgraph/apperr"
	"filmgraph/store"
)

// jointRead is one party's statement and what it got.
type jointRead struct {
	text   string
	params map[string]any
	rows   []any
	err    error
}

// readJointly runs each read as a party of joint, concurrently, and waits for them all.
func readJointly(ctx context.Context, joint *store.Joint, reads []*jointRead) {
	var wg sync.WaitGroup
	for i, read := range reads {
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer joint.Done(ctx)
			read.rows, read.err = joint.ReadAll(ctx, string(rune('a'+i)), statement(read.text, read.params))
		}()
	}
	wg.Wait()
}

// TestJointRunsThePartiesReadsAsOneStatement: the parties' statements, whose parameters
// share names, run as one round trip, and each party gets the rows its statement returns
// alone, none included; a party that finishes without reading is not waited for.
func TestJointRunsThePartiesReadsAsOneStatement(t *testing.T) {
	p := startProxy(t)
	s := open(t, p.uri())
	ctx := context.Background()
	if _, err := s.ReadOne(ctx, statement(`RETURN 'joint-reads' AS this`, nil)); err != nil { // opens the pooled connection
		t.Fatal(err)
	}
	before := p.roundTrips("joint-reads")
	joint := s.Joint(4)
	joint.Done(ctx) // a field that reads nothing
	reads := []*jointRead{
		{text: `RETURN {who: 'joint-reads', n: $p0} AS this`, params: map[string]any{"p0": int64(1)}},
		{text: `UNWIND range(1, $p0) AS n RETURN {n: n, text: '$p0 stays'} AS this`, params: map[string]any{"p0": int64(3)}},
		{text: `UNWIND [] AS n RETURN {n: n} AS this`},
	}
	readJointly(ctx, joint, reads)
	want := [][]any{
		{map[string]any{"who": "joint-reads", "n": int64(1)}},
		{map[string]any{"n": int64(1), "text": "$p0 stays"}, map[string]any{"n": int64(2), "text": "$p0 stays"}, map[string]any{"n": int64(3), "text": "$p0 stays"}},
		{},
	}
	for i, read := range reads {
		if read.err != nil || !reflect.DeepEqual(read.rows, want[i]) {
			t.Errorf("party %d: %v, %v; want %v", i, read.rows, read.err, want[i])
		}
	}
	if n := p.roundTrips("joint-reads") - before; n != 1 {
		t.Errorf("3 joint reads took %d round trips, want 1", n)
	}
}

// TestJointPartThatFailsFailsAlone: when one party's statement fails in Neo4j, the others
// still get their rows, and the failing one its own error.
func TestJointPartThatFailsFailsAlone(t *testing.T) {
	s := open(t, "")
	ctx := context.Background()
	reads := []*jointRead{
		{text: `RETURN {n: $p0} AS this`, params: map[string]any{"p0": int64(7)}},
		{text: `RETURN {n: 1 / $p0} AS this`, params: map[string]any{"p0": int64(0)}},
	}
	readJointly(ctx, s.Joint(2), reads)
	if want := []any{map[string]any{"n": int64(7)}}; reads[0].err != nil || !reflect.DeepEqual(reads[0].rows, want) {
		t.Errorf("the sound party: %v, %v; want %v", reads[0].rows, reads[0].err, want)
	}
	wantCode(t, "the failing party", reads[1].err, apperr.Internal)
}

// TestJointReadEndsWithItsRequest: a party whose read waits for a party that never comes
// gets the request's TIMEOUT when its deadline passes, and the store reports no round trip
// for it (the request log's and the metrics' count).
func TestJointReadEndsWithItsRequest(t *testing.T) {
	s := open(t, "")
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	before := s.RoundTrips()
	_, err := s.Joint(2).ReadOne(ctx, "a", statement(`RETURN 1 AS this`, nil))
	wantCode(t, "a read left waiting", err, apperr.Timeout)
	if n := s.RoundTrips() - before; n != 0 {
		t.Errorf("the read left waiting counted %d round trips, want 0", n)
	}
}
