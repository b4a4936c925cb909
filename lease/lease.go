// Package lease lets one replica of a cluster at a time do work that must run once (the
// recommendations' refresher): a named lease stored in Neo4j, taken for a while and renewed
// by its holder, passing on to another replica once its holder stops renewing (dead,
// stopped, cut off).
//
// Each taking of the lease by a new holder (or by the same one after it lapsed) increases
// its fencing token. A guarded write runs after Fence, which lets it through only while
// the token it carries is still the lease's and unexpired, under the lease's lock: a
// holder that stalled past its expiry (a long pause, a slow network) cannot write over
// the work of the one that took over.
//
// Time is the database's (datetime()), so the replicas' clocks do not matter.
package lease

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"os"
	"sync/atomic"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
)

// Lease is one named lease, as seen by one holder.
type Lease struct {
	Driver   neo4j.DriverWithContext
	Database string
	// Name says what the lease guards, e.g. "recommend.refresher".
	Name string
	// Holder names this replica; unique per process (see HolderID).
	Holder string
	// TTL is how long a taking or renewal lasts.
	TTL time.Duration

	constrained atomic.Bool
	held        atomic.Int64 // the token of the last Acquire that held the lease; 0: none
}

// HolderID names this process: host, process id and a random part (a restarted process
// is a new holder).
func HolderID() string {
	host, _ := os.Hostname()
	return fmt.Sprintf("%s/%d/%s", host, os.Getpid(), rand.Text()[:8])
}

// ErrLost: the token no longer holds the lease (expired, or taken by another holder).
var ErrLost = errors.New("lease: the lease was lost")

// constraintCypher makes MERGE of one lease safe against a concurrent MERGE.
const constraintCypher = `CREATE CONSTRAINT lease_name IF NOT EXISTS FOR (l:Lease) REQUIRE l.name IS UNIQUE`

// acquireCypher takes the lease when it is free or lapsed (a new token), or renews it for
// its live holder (same token). Setting _lock first takes the node's write lock, so that
// what follows reads the last committed holder and expiry, never a stale one.
const acquireCypher = `MERGE (l:Lease {name: $name})
ON CREATE SET l.token = 0
SET l._lock = true
WITH l, coalesce(l.expiresAt > datetime(), false) AS live
WITH l, live AND l.holder = $holder AS mine, NOT live AS free
FOREACH (_ IN CASE WHEN free THEN [1] ELSE [] END | SET l.token = l.token + 1, l.holder = $holder)
FOREACH (_ IN CASE WHEN free OR mine THEN [1] ELSE [] END | SET l.expiresAt = datetime() + duration({milliseconds: $ttl}))
REMOVE l._lock
RETURN l.token AS token, free OR mine AS held`

// releaseCypher ends the lease now when token still holds it.
const releaseCypher = `MATCH (l:Lease {name: $name}) WHERE l.token = $token AND l.holder = $holder
SET l.expiresAt = datetime()`

// Fence starts a guarded write statement: it yields one row, with the lease locked until
// the transaction ends, only while $leaseToken holds the lease $leaseName; otherwise the
// rest of the statement runs on no row and writes nothing. Params gives the parameters.
const Fence = `MATCH (lease:Lease {name: $leaseName})
SET lease._lock = true
WITH lease, lease.token = $leaseToken AND lease.expiresAt > datetime() AS held
REMOVE lease._lock
WITH lease, held WHERE held
`

// Params returns the parameters of Fence for token, added to params (a new map).
func (l *Lease) Params(token int64, params map[string]any) map[string]any {
	out := map[string]any{"leaseName": l.Name, "leaseToken": token}
	for k, v := range params {
		out[k] = v
	}
	return out
}

// Acquire takes the lease when it is free or lapsed, or renews it when this holder has
// it. It returns the fencing token and whether this holder has the lease now (false:
// another holder's lease is live).
func (l *Lease) Acquire(ctx context.Context) (token int64, held bool, err error) {
	if !l.constrained.Load() {
		if _, err := neo4j.ExecuteQuery(ctx, l.Driver, constraintCypher, nil, neo4j.EagerResultTransformer,
			neo4j.ExecuteQueryWithDatabase(l.Database)); err != nil {
			return 0, false, fmt.Errorf("lease %s: %w", l.Name, err)
		}
		l.constrained.Store(true)
	}
	res, err := neo4j.ExecuteQuery(ctx, l.Driver, acquireCypher,
		map[string]any{"name": l.Name, "holder": l.Holder, "ttl": l.TTL.Milliseconds()},
		neo4j.EagerResultTransformer, neo4j.ExecuteQueryWithDatabase(l.Database))
	if err != nil {
		return 0, false, fmt.Errorf("lease %s: %w", l.Name, err)
	}
	token, _, _ = neo4j.GetRecordValue[int64](res.Records[0], "token")
	held, _, _ = neo4j.GetRecordValue[bool](res.Records[0], "held")
	if held {
		l.held.Store(token)
	} else {
		l.held.Store(0)
	}
	return token, held, nil
}

// Release gives the lease up at once when this holder's last Acquire held it and its token
// still does, so that another replica need not wait for it to lapse (a clean shutdown).
func (l *Lease) Release(ctx context.Context) error {
	token := l.held.Swap(0)
	if token == 0 {
		return nil
	}
	_, err := neo4j.ExecuteQuery(ctx, l.Driver, releaseCypher, map[string]any{"name": l.Name, "token": token, "holder": l.Holder},
		neo4j.EagerResultTransformer, neo4j.ExecuteQueryWithDatabase(l.Database))
	return err
}

// Write runs Fence followed by stmt in one write transaction, for token: it returns
// ErrLost, having written nothing, when token no longer holds the lease.
func (l *Lease) Write(ctx context.Context, token int64, stmt string, params map[string]any) error {
	res, err := neo4j.ExecuteQuery(ctx, l.Driver, Fence+stmt+"\nRETURN true AS done",
		l.Params(token, params), neo4j.EagerResultTransformer, neo4j.ExecuteQueryWithDatabase(l.Database))
	if err != nil {
		return fmt.Errorf("lease %s: %w", l.Name, err)
	}
	if len(res.Records) == 0 {
		return ErrLost
	}
	return nil
}

type tokenKey struct{}

// Token returns the fencing token of the lease held for ctx's work (see Hold).
func Token(ctx context.Context) (int64, bool) {
	t, ok := ctx.Value(tokenKey{}).(int64)
	return t, ok
}

// Hold takes or renews the lease before a piece of work. When this holder has it, it
// returns a context for the work that carries the token (Token) and ends shortly before
// the lease would lapse unless renewed, so that work overrunning its lease stops; when
// another holder has it, held is false.
func (l *Lease) Hold(ctx context.Context) (work context.Context, done context.CancelFunc, held bool, err error) {
	start := time.Now() // the lease lasts TTL from a moment after this
	token, held, err := l.Acquire(ctx)
	if err != nil || !held {
		return nil, nil, false, err
	}
	work, done = context.WithDeadline(context.WithValue(ctx, tokenKey{}, token), start.Add(l.TTL-l.TTL/10))
	return work, done, true, nil
}
