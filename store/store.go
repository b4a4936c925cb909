// Package store runs Cypher statements against Neo4j. It is the only package that talks to
// the driver at request time, so it is where round trips are counted and where driver
// errors become client-safe error codes.
package store

import (
	"context"
	"fmt"
	"math/rand/v2"
	"sync/atomic"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/trace"

	"filmgraph/cypher"
	"filmgraph/observe"
)

// Config says which Neo4j to use and how. Database "" means the server's default database.
type Config struct {
	URI      string
	Username string
	Password string
	Database string
	// RequestTimeout is how long a request may take (FILMGRAPH_REQUEST_TIMEOUT). A wait for
	// a pooled connection may last that long, so that it ends as the request's TIMEOUT and
	// never as a connection failure before it; a statement run without a deadline is
	// retried for at most that long. 0 means DefaultRequestTimeout.
	RequestTimeout time.Duration
	// MaxConnections caps the driver's connection pool (NEO4J_MAX_CONNECTIONS); 0 means
	// DefaultMaxConnections.
	MaxConnections int
}

const (
	// DefaultRequestTimeout is Config.RequestTimeout's default, FILMGRAPH_REQUEST_TIMEOUT's.
	DefaultRequestTimeout = 10 * time.Second
	// DefaultMaxConnections is Config.MaxConnections's default: the driver's own, a quarter
	// of the Bolt threads a Neo4j 5 server runs by default (400), so that four replicas fit.
	DefaultMaxConnections = 100
	// IdleCheck is how long a pooled connection may have been idle and still be used without
	// a liveness check (a RESET round trip) first.
	IdleCheck = time.Second
)

// Store runs statements, each as one auto-commit transaction, and counts every round trip.
type Store struct {
	driver     neo4j.DriverWithContext
	database   string
	budget     time.Duration // retries of a statement without a deadline, Config.RequestTimeout
	roundTrips atomic.Int64
	health     health // whether Neo4j is down (health.go)
}

// Open connects to Neo4j and checks, within timeout, that it answers with these
// credentials. Neo4j URIs of every scheme work, including neo4j:// routing to a cluster.
func Open(ctx context.Context, cfg Config, timeout time.Duration) (*Store, error) {
	if cfg.RequestTimeout <= 0 {
		cfg.RequestTimeout = DefaultRequestTimeout
	}
	if cfg.MaxConnections <= 0 {
		cfg.MaxConnections = DefaultMaxConnections
	}
	driver, err := newDriver(cfg, func(c *neo4j.Config) {
		// A request waits for a pooled connection as long as it may run at all: a full
		// pool is load, and ends as the request's TIMEOUT, never as a connection failure.
		c.MaxConnectionPoolSize = cfg.MaxConnections
		c.ConnectionAcquisitionTimeout = cfg.RequestTimeout
		// A write cannot be rerun after it was sent (it may have committed), so a pooled
		// connection that may have died while idle (a restarted Neo4j, a dropped socket) is
		// tested before use. Under load connections come back within milliseconds and are
		// not tested; a restart takes far longer than IdleCheck.
		c.ConnectionLivenessCheckTimeout = IdleCheck
	})
	if err != nil {
		return nil, err
	}
	verifyCtx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	if err := driver.VerifyConnectivity(verifyCtx); err != nil {
		driver.Close(context.Background())
		return nil, fmt.Errorf("cannot reach Neo4j at %s as %q: %w", cfg.URI, cfg.Username, err)
	}
	// The health check has a connection of its own, so that a pool busy with slow
	// statements is never taken for a database that does not answer.
	monitor, err := newDriver(cfg, func(c *neo4j.Config) {
		c.MaxConnectionPoolSize = 1
		c.ConnectionAcquisitionTimeout = monitorTimeout
	})
	if err != nil {
		driver.Close(context.Background())
		return nil, err
	}
	s := &Store{driver: driver, database: cfg.Database, budget: cfg.RequestTimeout}
	s.startMonitor(monitor)
	return s, nil
}

// newDriver makes a driver for cfg with the settings every driver of the store shares,
// then tune's.
func newDriver(cfg Config, tune func(*neo4j.Config)) (neo4j.DriverWithContext, error) {
	driver, err := neo4j.NewDriverWithContext(cfg.URI, neo4j.BasicAuth(cfg.Username, cfg.Password, ""),
		func(c *neo4j.Config) {
			// Fail fast when the database is away: a refused connection fails at once, a
			// silent one after SocketConnectTimeout. The driver's own retries of managed
			// transactions start with a pause of about a second, too long for contention
			// and for a quick answer during an outage, so they are off
			// (MaxTransactionRetryTime 0) and the store retries itself (run).
			c.SocketConnectTimeout = time.Second
			c.MaxTransactionRetryTime = 0
			tune(c)
		})
	if err != nil {
		return nil, fmt.Errorf("invalid Neo4j URI %q: %w", cfg.URI, err)
	}
	return driver, nil
}

// Close stops the health monitor and closes the driver and its connections.
func (s *Store) Close(ctx context.Context) error {
	s.stopMonitor()
	return s.driver.Close(ctx)
}

// Driver returns the underlying driver, for the seed loader and tests.
func (s *Store) Driver() neo4j.DriverWithContext { return s.driver }

// Database returns the configured database name ("" for the server default).
func (s *Store) Database() string { return s.database }

// RoundTrips returns how many statements the store has sent since it was opened.
func (s *Store) RoundTrips() int64 { return s.roundTrips.Load() }

// ReadOne runs stmt in a read transaction and returns the `this` column of its first row
// as a map, or nil when the statement yields no row. Driver failures come back as
// *apperr.Error values: SERVICE_UNAVAILABLE when the database cannot be reached, TIMEOUT
// when ctx's deadline passed, INTERNAL_SERVER_ERROR otherwise.
func (s *Store) ReadOne(ctx context.Context, stmt cypher.Statement) (map[string]any, error) {
	return first(s.ReadAll(ctx, stmt))
}

// ReadAll runs stmt in a read transaction and returns the `this` column of every row.
// Driver failures come back as *apperr.Error values, as for ReadOne.
func (s *Store) ReadAll(ctx context.Context, stmt cypher.Statement) ([]any, error) {
	return s.run(ctx, neo4j.AccessModeRead, stmt)
}

// WriteOne is ReadOne in a write transaction, for mutations: the transaction commits only
// when the whole statement succeeded, and a transient failure (which rolled it back) runs
// it again from the start, so a statement that is retried must be idempotent or fail as a
// whole (MERGE, not CREATE, for what must exist once). A write whose connection was lost
// after it was sent is never rerun: it may have committed.
func (s *Store) WriteOne(ctx context.Context, stmt cypher.Statement) (map[string]any, error) {
	return first(s.run(ctx, neo4j.AccessModeWrite, stmt))
}

func first(rows []any, err error) (map[string]any, error) {
	if err != nil || len(rows) == 0 {
		return nil, err
	}
	m, _ := rows[0].(map[string]any)
	return m, nil
}

// run runs stmt as one auto-commit transaction of the given mode and returns the `this`
// column of every row: one round trip (RUN and PULL sent together) where a managed
// transaction takes three (BEGIN, RUN and PULL, COMMIT), each a wait for a thread on a busy
// machine; and a write's locks are released as the statement ends, not a client round trip
// later, which is what a hot node's writes queue on. The
// transaction's server-side timeout is what remains of ctx's deadline (the per-request
// timeout), so Neo4j itself stops work nobody waits for. Sessions share the
// driver's bookmark manager: with a neo4j:// cluster, a read that follows a write in this
// process sees it even when routed to a follower.
//
// A failure is retried in a new transaction (the failed one was rolled back) as long as
// the deadline leaves time: load (a lost lock race, a deadlock, a busy server) after a
// growing jittered pause; a read's lost connection once after a short pause (a write's is
// not: it may have committed; pooled connections idle for IdleCheck are tested before
// use). What is left is answered TIMEOUT for load and SERVICE_UNAVAILABLE only for a
// database that cannot be reached (failure.go).
func (s *Store) run(ctx context.Context, mode neo4j.AccessMode, stmt cypher.Statement) ([]any, error) {
	session := s.driver.NewSession(ctx, neo4j.SessionConfig{
		DatabaseName:    s.database,
		AccessMode:      mode,
		BookmarkManager: s.driver.ExecuteQueryBookmarkManager(),
		Bookmarks:       sessionBookmarks(ctx), // a client's or an event's (bookmark.go)
	})
	defer session.Close(context.Background())
	modeName := "read"
	if mode == neo4j.AccessModeWrite {
		modeName = "write"
	}
	callCtx, cancel := s.bound(ctx)
	defer cancel()
	retryUntil, _ := callCtx.Deadline()
	var (
		err      error
		kind     failure
		lostOnce bool
	)
	for attempt := 0; ; attempt++ {
		start := time.Now()
		var rows []any
		rows, err = s.attempt(callCtx, ctx, session, modeName, stmt, txTimeout(callCtx))
		if err == nil {
			s.markUp()
			if mode == neo4j.AccessModeWrite {
				recordWrite(ctx, session.LastBookmarks())
			}
			return rows, nil
		}
		if expired(callCtx) {
			break // the deadline passed, or the database stayed down past suspectTimeout
		}
		kind = kindOf(err)
		var pause time.Duration
		switch {
		case kind == unreachable && !lostOnce && time.Since(start) < fastFailure && mode == neo4j.AccessModeRead:
			// A read may always run again; a write may have committed.
			lostOnce, pause = true, jitter(retryPause)
		case kind == unreachable:
			s.markDown()
		case kind == busy:
			pause = jitter(min(contentionPause<<min(attempt, 10), maxContentionPause))
		}
		if kind == failed || kind == unreachable && pause == 0 || time.Now().Add(pause).After(retryUntil) {
			break
		}
		select {
		case <-time.After(pause):
		case <-callCtx.Done():
		}
	}
	return nil, classify(ctx, callCtx, err, kind)
}

// txTimeout passes what remains of ctx's deadline to Neo4j as the transaction's timeout, so
// that Neo4j itself stops a statement no one waits for any more (its monitor looks every
// 2 s by default).
func txTimeout(ctx context.Context) []func(*neo4j.TransactionConfig) {
	deadline, ok := ctx.Deadline()
	if !ok {
		return nil
	}
	return []func(*neo4j.TransactionConfig){neo4j.WithTxTimeout(max(time.Until(deadline), time.Millisecond))}
}

// jitter returns a pause from d to twice d, so that transactions that lost a race to each
// other do not meet again at the same moment.
func jitter(d time.Duration) time.Duration {
	return d + time.Duration(rand.Int64N(int64(d)))
}

const (
	// fastFailure is how quickly an attempt must have failed for want of a connection to be
	// retried, after retryPause to twice that: a pooled connection that died with a
	// restarted Neo4j fails at once, a database that is gone fails again.
	fastFailure = 500 * time.Millisecond
	retryPause  = 50 * time.Millisecond
	// contentionPause is the first pause before rerunning a transaction that failed under
	// load; it doubles with each attempt up to maxContentionPause (each with jitter up to
	// twice that), while the deadline leaves room.
	contentionPause    = 10 * time.Millisecond
	maxContentionPause = 500 * time.Millisecond
)

// attempt runs stmt once, as an auto-commit transaction of session, under callCtx; reqCtx
// is the request's context, which counts the round trip.
func (s *Store) attempt(callCtx, reqCtx context.Context, session neo4j.SessionWithContext,
	modeName string, stmt cypher.Statement, txConfig []func(*neo4j.TransactionConfig)) ([]any, error) {
	s.roundTrips.Add(1)
	observe.FromContext(reqCtx).AddRoundTrip()
	ctx, span := observe.Tracer().Start(callCtx, "neo4j."+modeName, trace.WithSpanKind(trace.SpanKindClient),
		trace.WithAttributes(attribute.String("db.system", "neo4j"), attribute.String("db.query.text", stmt.Text)))
	start := time.Now()
	rows, err := collectThis(ctx, session, stmt, txConfig)
	observe.ObserveRoundTrip(modeName, time.Since(start), err)
	if err != nil {
		span.SetStatus(codes.Error, "statement failed") // the driver's message stays in the log
	}
	span.End()
	return rows, err
}

// collectThis runs stmt (with PROFILE when ctx asks for a profile) and returns the `this`
// column of every row.
func collectThis(ctx context.Context, session neo4j.SessionWithContext, stmt cypher.Statement, txConfig []func(*neo4j.TransactionConfig)) ([]any, error) {
	profile := profileFrom(ctx)
	text := stmt.Text
	if profile != nil {
		text = "PROFILE " + text
	}
	result, err := session.Run(ctx, text, stmt.Params, txConfig...)
	if err != nil {
		return nil, err
	}
	records, err := result.Collect(ctx)
	if err != nil {
		return nil, err
	}
	if profile != nil {
		if err := profile.record(ctx, result, stmt); err != nil {
			return nil, err
		}
	}
	rows := make([]any, len(records))
	for i, record := range records {
		rows[i], _ = record.Get("this")
	}
	return rows, nil
}
