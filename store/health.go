package store

import (
	"context"
	"errors"
	"time"

	"filmgraph/apperr"
	"filmgraph/observe"
)

const (
	// suspectTimeout bounds every statement while the database is suspected down, so that
	// requests answer SERVICE_UNAVAILABLE within 2 s even when Neo4j accepts connections
	// but does not answer them (while it starts, or behind a silent network).
	suspectTimeout = time.Second
	// monitorEvery is how often the store checks, with a trivial query, that Neo4j answers;
	// the check takes at most monitorTimeout.
	monitorEvery   = time.Second
	monitorTimeout = time.Second
)

var errSuspect = errors.New("no answer in time while the database is suspected down")

// health tracks whether the database is suspected down. It turns suspect when a statement
// or the monitor's check fails for want of the database, and healthy again as soon as one
// succeeds: recovery needs no restart and no traffic.
type health struct {
	stop, done chan struct{}
}

// suspect reports whether the database is suspected down.
func (s *Store) suspect() bool { return s.suspected.Load() }

func (s *Store) setSuspect(suspect bool) {
	s.suspected.Store(suspect)
	observe.SetDatabaseUp(!suspect)
}

// bound returns ctx, or ctx bounded by suspectTimeout while the database is suspected down.
func (s *Store) bound(ctx context.Context) (context.Context, context.CancelFunc) {
	if !s.suspect() {
		return ctx, func() {}
	}
	return context.WithTimeoutCause(ctx, suspectTimeout, errSuspect)
}

// settle records the outcome of a statement run under callCtx (from bound) for the
// request's ctx, and returns err classified for the client.
func (s *Store) settle(ctx, callCtx context.Context, err error) error {
	if err == nil {
		s.setSuspect(false)
		return nil
	}
	if errors.Is(context.Cause(callCtx), errSuspect) && ctx.Err() == nil {
		err = apperr.Wrap(apperr.ServiceUnavailable, err, "the database is unavailable; try again shortly")
	}
	err = classify(ctx, err)
	if apperr.CodeOf(err) == apperr.ServiceUnavailable && ctx.Err() == nil {
		s.setSuspect(true)
	}
	return err
}

// startMonitor checks every monitorEvery that Neo4j answers, until Close.
func (s *Store) startMonitor() {
	s.health = health{stop: make(chan struct{}), done: make(chan struct{})}
	observe.SetDatabaseUp(true)
	go func() {
		defer close(s.health.done)
		ticker := time.NewTicker(monitorEvery)
		defer ticker.Stop()
		for {
			select {
			case <-s.health.stop:
				return
			case <-ticker.C:
			}
			ctx, cancel := context.WithTimeout(context.Background(), monitorTimeout)
			err := s.Ping(ctx)
			cancel()
			s.setSuspect(err != nil)
		}
	}()
}

func (s *Store) stopMonitor() {
	if s.health.stop != nil {
		close(s.health.stop)
		<-s.health.done
	}
}
