// Package store runs Cypher statements against Neo4j. It is the only package that talks to
// the driver at request time, so it is where round trips are counted and where driver
// errors become client-safe error codes.
package store

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"filmgraph/apperr"
	"filmgraph/cypher"
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
}

// Open connects to Neo4j and checks, within timeout, that it answers with these
// credentials. Neo4j URIs of every scheme work, including neo4j:// routing to a cluster.
func Open(ctx context.Context, cfg Config, timeout time.Duration) (*Store, error) {
	driver, err := neo4j.NewDriverWithContext(cfg.URI, neo4j.BasicAuth(cfg.Username, cfg.Password, ""),
		func(c *neo4j.Config) {
			// Fail fast when the database is away instead of queueing requests for a minute.
			c.SocketConnectTimeout = 2 * time.Second
			c.ConnectionAcquisitionTimeout = 5 * time.Second
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
	return &Store{driver: driver, database: cfg.Database}, nil
}

// Close closes the driver and its connections.
func (s *Store) Close(ctx context.Context) error { return s.driver.Close(ctx) }

// Driver returns the underlying driver, for the seed loader and tests.
func (s *Store) Driver() neo4j.DriverWithContext { return s.driver }

// Database returns the configured database name ("" for the server default).
func (s *Store) Database() string { return s.database }

// RoundTrips returns how many statements the store has sent since it was opened.
func (s *Store) RoundTrips() int64 { return s.roundTrips.Load() }

// ReadOne runs stmt in a read transaction and returns the `this` column of its first row
// as a map, or nil when the statement yields no row.
func (s *Store) ReadOne(ctx context.Context, stmt cypher.Statement) (map[string]any, error) {
	rows, err := s.ReadAll(ctx, stmt)
	if err != nil || len(rows) == 0 {
		return nil, err
	}
	m, _ := rows[0].(map[string]any)
	return m, nil
}

// ReadAll runs stmt in a read transaction and returns the `this` column of every row.
// Driver failures come back as *apperr.Error values.
func (s *Store) ReadAll(ctx context.Context, stmt cypher.Statement) ([]any, error) {
	session := s.driver.NewSession(ctx, neo4j.SessionConfig{DatabaseName: s.database, AccessMode: neo4j.AccessModeRead})
	defer session.Close(context.Background())
	rows, err := session.ExecuteRead(ctx, func(tx neo4j.ManagedTransaction) (any, error) {
		s.roundTrips.Add(1)
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
	})
	if err != nil {
		return nil, classify(err)
	}
	return rows.([]any), nil
}

// classify turns a driver error into a client-safe error; the cause stays for the log.
func classify(err error) error {
	var appErr *apperr.Error
	switch {
	case errors.As(err, &appErr):
		return err
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return apperr.Wrap(apperr.ServiceUnavailable, err, "the request was cancelled or timed out")
	case neo4j.IsConnectivityError(err), neo4j.IsRetryable(err):
		return apperr.Wrap(apperr.ServiceUnavailable, err, "the database is unavailable; try again shortly")
	default:
		return apperr.Wrap(apperr.Internal, err, "internal error")
	}
}
