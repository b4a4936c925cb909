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
	// suspectTimeout is how long a statement that starts while the database is down may
	// run; if the database is still down then, it answers SERVICE_UNAVAILABLE, so that
	// requests answer within 2 s even when Neo4j accepts connections but does not answer
	// them (while it starts, or behind a silent network). One that started while the
	// database was down but is back by then runs on to its deadline: the first statements
	// after a restart are slow, and are not an outage.
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
// its deadline when it has none, and, while the database is down, cancelled with
// errSuspect if the database is still down suspectTimeout later.
func (s *Store) bound(ctx context.Context) (context.Context, context.CancelFunc) {
	cancelDeadline := func() {}
	if _, ok := ctx.Deadline(); !ok {
		ctx, cancelDeadline = context.WithTimeout(ctx, s.budget)
	}
	if !s.isDown() {
		return ctx, cancelDeadline
	}
	capped, cancel := context.WithCancelCause(ctx)
	timer := time.AfterFunc(suspectTimeout, func() {
		if s.isDown() {
			cancel(errSuspect)
		}
	})
	return capped, func() {
		timer.Stop()
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
