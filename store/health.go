package store

import (
	"context"
	"errors"
	"sync/atomic"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"filmgraph/observe"
)

const (
	// suspectTimeout is how often a running statement looks whether the database is down,
	// and is stopped with SERVICE_UNAVAILABLE if it is: requests answer within about 2 s
	// of an outage even when Neo4j accepts connections but does not answer them (while it
	// stops or starts, or behind a silent network). A statement on a database that is up
	// runs on to its deadline however slow it is: the first statements after a restart
	// on a loaded machine are slow, and are not an outage.
	suspectTimeout = time.Second
	// monitorEvery is how often the store checks, on a connection of its own, that Neo4j
	// answers a trivial query, and monitorEveryDown how often while it is down, so that
	// service resumes soon after Neo4j is back. A check takes at most monitorTimeout.
	monitorEvery     = time.Second
	monitorEveryDown = 250 * time.Millisecond
	monitorTimeout   = time.Second
	// silentChecks is how many checks in a row must go unanswered for the database to count
	// as down: a refused or lost connection says so at once, but one slow answer on a
	// loaded machine is load.
	silentChecks = 3
)

var errSuspect = errors.New("no answer in time while the database is down")

// health tracks whether the database is down. Only a failed connectivity check says so:
// the monitor's check refused, lost or unanswered silentChecks times in a row, or a
// statement's connection refused or lost (run). A pool wait, a lock wait, a conflict or
// a slow statement is load and changes nothing. It is up again as soon as a check or a
// statement succeeds: recovery needs no restart and no traffic.
type health struct {
	down       atomic.Bool
	monitor    neo4j.DriverWithContext // the checks' own driver, with one connection
	stop, done chan struct{}
}

// isDown reports whether the database counts as down.
func (s *Store) isDown() bool { return s.health.down.Load() }

func (s *Store) markDown() {
	if !s.health.down.Swap(true) {
		observe.SetDatabaseUp(false)
	}
}

func (s *Store) markUp() {
	if s.health.down.Swap(false) {
		observe.SetDatabaseUp(true)
	}
}

// bound returns the context a statement runs under: ctx, with the store's retry budget as
// its deadline when it has none, cancelled with errSuspect when the database is down at one
// of the ticks suspectTimeout apart from the statement's start.
func (s *Store) bound(ctx context.Context) (context.Context, context.CancelFunc) {
	cancelDeadline := func() {}
	if _, ok := ctx.Deadline(); !ok {
		ctx, cancelDeadline = context.WithTimeout(ctx, s.budget)
	}
	capped, cancel := context.WithCancelCause(ctx)
	go func() {
		ticker := time.NewTicker(suspectTimeout)
		defer ticker.Stop()
		for {
			select {
			case <-capped.Done():
				return
			case <-ticker.C:
				if s.isDown() {
					cancel(errSuspect)
					return
				}
			}
		}
	}()
	return capped, func() {
		cancel(nil)
		cancelDeadline()
	}
}

// startMonitor checks, with monitor's connection, that Neo4j answers, until Close.
func (s *Store) startMonitor(monitor neo4j.DriverWithContext) {
	s.health.monitor = monitor
	s.health.stop, s.health.done = make(chan struct{}), make(chan struct{})
	observe.SetDatabaseUp(true)
	go func() {
		defer close(s.health.done)
		silent := 0
		for {
			every := monitorEvery
			if s.isDown() {
				every = monitorEveryDown
			}
			select {
			case <-s.health.stop:
				return
			case <-time.After(every):
			}
			ctx, cancel := context.WithTimeout(context.Background(), monitorTimeout)
			err := s.check(ctx)
			timedOut := expired(ctx)
			cancel()
			switch {
			case err == nil:
				silent = 0
				s.markUp()
			case timedOut:
				if silent++; silent >= silentChecks {
					s.markDown()
				}
			case kindOf(err) == unreachable:
				silent = 0
				s.markDown()
			}
			// Any other failure (busy, a statement error) is the database answering.
		}
	}()
}

// check runs a trivial query with the monitor's driver.
func (s *Store) check(ctx context.Context) error {
	_, err := neo4j.ExecuteQuery(ctx, s.health.monitor, "RETURN 1", nil, neo4j.EagerResultTransformer,
		neo4j.ExecuteQueryWithDatabase(s.database), neo4j.ExecuteQueryWithReadersRouting())
	return err
}

// stopMonitor stops the checks and closes their driver.
func (s *Store) stopMonitor() {
	if s.health.stop != nil {
		close(s.health.stop)
		<-s.health.done
		s.health.monitor.Close(context.Background())
	}
}
