// Package store runs Cypher statements against Neo4j. It is the only package that talks to
// the driver at request time, so it is where round trips are counted and where driver
// errors become client-safe error codes.
package store

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"sync/atomic"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/trace"

	"filmgraph/apperr"
	"filmgraph/cypher"
	"filmgraph/observe"
)

// Config says which Neo4j to use. Database "" means the server's default database.
type Config struct {
	URI      string
	Username string
	Password string
	Database string
}

// Store runs statements in managed transactions and counts every round trip.
type Store struct {
	driver     neo4j.DriverWithContext
	database   string
	roundTrips atomic.Int64
	suspected  atomic.Bool // the database is suspected down (health.go)
	health     health
}

// Open connects to Neo4j and checks, within timeout, that it answers with these
// credentials. Neo4j URIs of every scheme work, including neo4j:// routing to a cluster.
func Open(ctx context.Context, cfg Config, timeout time.Duration) (*Store, error) {
	driver, err := neo4j.NewDriverWithContext(cfg.URI, neo4j.BasicAuth(cfg.Username, cfg.Password, ""),
		func(c *neo4j.Config) {
			// Fail fast when the database is away instead of queueing requests for a minute:
			// a refused connection fails at once, a silent one after SocketConnectTimeout.
			// The driver's own retries of managed transactions start with a pause of about
			// a second, too long for an answer within 2 s, so they are off
			// (MaxTransactionRetryTime 0) and the store retries a fast failure once itself
			// (run), inside the same budget.
			c.SocketConnectTimeout = time.Second
			c.ConnectionAcquisitionTimeout = time.Second
			c.MaxTransactionRetryTime = 0
		})
	if err != nil {
		return nil, fmt.Errorf("invalid Neo4j URI %q: %w", cfg.URI, err)
	}
	verifyCtx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	if err := driver.VerifyConnectivity(verifyCtx); err != nil {
		driver.Close(context.Background())
		return nil, fmt.Errorf("cannot reach Neo4j at %s as %q: %w", cfg.URI, cfg.Username, err)
	}
	s := &Store{driver: driver, database: cfg.Database}
	s.startMonitor()
	return s, nil
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
// when the whole statement succeeded, and a transient failure runs it again from the start,
// so a statement that is retried must be idempotent or fail as a whole (MERGE, not CREATE,
// for what must exist once).
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

// run runs stmt in a managed transaction of the given mode and returns the `this` column of
// every row. The transaction's server-side timeout is what remains of ctx's deadline (the
// per-request timeout), so Neo4j itself stops work nobody waits for. Sessions share the
// driver's bookmark manager: with a neo4j:// cluster, a read that follows a write in this
// process sees it even when routed to a follower.
func (s *Store) run(ctx context.Context, mode neo4j.AccessMode, stmt cypher.Statement) ([]any, error) {
	session := s.driver.NewSession(ctx, neo4j.SessionConfig{
		DatabaseName:    s.database,
		AccessMode:      mode,
		BookmarkManager: s.driver.ExecuteQueryBookmarkManager(),
	})
	defer session.Close(context.Background())
	modeName := "read"
	execute := session.ExecuteRead
	if mode == neo4j.AccessModeWrite {
		modeName, execute = "write", session.ExecuteWrite
	}
	var txConfig []func(*neo4j.TransactionConfig)
	if deadline, ok := ctx.Deadline(); ok {
		// Neo4j stops the transaction itself (its monitor looks every 2 s by default),
		// so a statement no one waits for any more does not keep running.
		txConfig = append(txConfig, neo4j.WithTxTimeout(max(time.Until(deadline), time.Millisecond)))
	}
	callCtx, cancel := s.bound(ctx)
	defer cancel()
	start := time.Now()
	rows, err := s.attempt(callCtx, ctx, execute, modeName, stmt, txConfig)
	if err != nil && time.Since(start) < fastFailure && isTransient(err) && ctx.Err() == nil {
		// One retry of a failure that came fast (a lost connection, a deadlock, a leader
		// switch), after a short jittered pause and bounded like a call to a suspect
		// database, so that the whole call stays under 2 s.
		select {
		case <-time.After(retryPause + time.Duration(rand.Int64N(int64(retryPause)))):
		case <-ctx.Done():
		}
		retryCtx, cancelRetry := context.WithTimeoutCause(ctx, suspectTimeout, errSuspect)
		defer cancelRetry()
		callCtx = retryCtx
		rows, err = s.attempt(callCtx, ctx, execute, modeName, stmt, txConfig)
	}
	if err := s.settle(ctx, callCtx, err); err != nil {
		return nil, err
	}
	return rows, nil
}

const (
	// fastFailure is how quickly a first attempt must have failed to be retried.
	fastFailure = 500 * time.Millisecond
	// retryPause is the least pause before the retry; up to twice that with jitter.
	retryPause = 100 * time.Millisecond
)

// attempt runs stmt once in a managed transaction under callCtx; reqCtx is the request's
// context, which counts the round trip.
func (s *Store) attempt(callCtx, reqCtx context.Context, execute func(context.Context, neo4j.ManagedTransactionWork, ...func(*neo4j.TransactionConfig)) (any, error),
	modeName string, stmt cypher.Statement, txConfig []func(*neo4j.TransactionConfig)) ([]any, error) {
	rows, err := execute(callCtx, func(tx neo4j.ManagedTransaction) (any, error) {
		s.roundTrips.Add(1)
		observe.FromContext(reqCtx).AddRoundTrip()
		ctx, span := observe.Tracer().Start(callCtx, "neo4j."+modeName, trace.WithSpanKind(trace.SpanKindClient),
			trace.WithAttributes(attribute.String("db.system", "neo4j"), attribute.String("db.query.text", stmt.Text)))
		start := time.Now()
		rows, err := collectThis(ctx, tx, stmt)
		observe.ObserveRoundTrip(modeName, time.Since(start), err)
		if err != nil {
			span.SetStatus(codes.Error, "statement failed") // the driver's message stays in the log
		}
		span.End()
		return rows, err
	}, txConfig...)
	if err != nil {
		return nil, err
	}
	return rows.([]any), nil
}

// isTransient reports whether err is worth one retry: the driver says so (lost connection,
// deadlock, leader switch, database restarting), or gave up retrying it itself.
func isTransient(err error) bool {
	return neo4j.IsRetryable(err) || neo4j.IsConnectivityError(err) || isRetryLimit(err)
}

// collectThis runs stmt (with PROFILE when ctx asks for a profile) and returns the `this`
// column of every row.
func collectThis(ctx context.Context, tx neo4j.ManagedTransaction, stmt cypher.Statement) ([]any, error) {
	profile := profileFrom(ctx)
	text := stmt.Text
	if profile != nil {
		text = "PROFILE " + text
	}
	result, err := tx.Run(ctx, text, stmt.Params)
	if err != nil {
		return nil, err
	}
	records, err := result.Collect(ctx)
	if err != nil {
		return nil, err
	}
	if profile != nil {
		if err := profile.record(ctx, result); err != nil {
			return nil, err
		}
	}
	rows := make([]any, len(records))
	for i, record := range records {
		rows[i], _ = record.Get("this")
	}
	return rows, nil
}

// Ping checks within ctx that the database answers a query.
func (s *Store) Ping(ctx context.Context) error {
	_, err := neo4j.ExecuteQuery(ctx, s.driver, "RETURN 1", nil, neo4j.EagerResultTransformer,
		neo4j.ExecuteQueryWithDatabase(s.database), neo4j.ExecuteQueryWithReadersRouting())
	if err != nil {
		return classify(ctx, err)
	}
	return nil
}

// classify turns a driver error into a client-safe error; the cause stays for the log.
func classify(ctx context.Context, err error) error {
	var appErr *apperr.Error
	var neoErr *neo4j.Neo4jError
	if c := conflict(err); c != nil {
		return c
	}
	switch {
	case errors.As(err, &appErr):
		return err
	case errors.Is(err, context.DeadlineExceeded), errors.Is(ctx.Err(), context.DeadlineExceeded),
		errors.As(err, &neoErr) && neoErr.Code == "Neo.ClientError.Transaction.TransactionTimedOutClientConfiguration",
		errors.As(err, &neoErr) && neoErr.Code == "Neo.ClientError.Transaction.TransactionTimedOut":
		return apperr.Wrap(apperr.Timeout, err, "the request took too long and was stopped")
	case errors.Is(err, context.Canceled):
		return apperr.Wrap(apperr.ServiceUnavailable, err, "the request was cancelled")
	case neo4j.IsConnectivityError(err), neo4j.IsRetryable(err), isRetryLimit(err):
		return apperr.Wrap(apperr.ServiceUnavailable, err, "the database is unavailable; try again shortly")
	default:
		return apperr.Wrap(apperr.Internal, err, "internal error")
	}
}

// isRetryLimit reports whether err says the driver gave up retrying, which it does only
// after transient failures such as lost connections.
func isRetryLimit(err error) bool {
	var limit *neo4j.TransactionExecutionLimit
	return errors.As(err, &limit)
}
