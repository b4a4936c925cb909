// Package events carries the change notifications behind GraphQL subscriptions
// (reviewAdded, commentAdded, ratingSummaryChanged).
//
// Mutations publish an event only after their write transaction committed, so a subscriber
// that reads the changed entity always sees the change. An event carries only keys (which
// film, which review); each subscription re-reads what its client selected with one Cypher
// statement.
//
// Broker is the seam for deployments with several replicas: Local, the built-in broker,
// delivers events only within one process, so a subscriber connected to replica A does not
// hear about a review written through replica B. Such a deployment plugs a Broker over a
// shared message bus (Redis pub/sub, NATS, Neo4j CDC, ...).
package events

import (
	"context"
	"fmt"
	"sync"
)

// Topics of the events; the key names what changed.
const (
	// ReviewAdded: a review of a film was written; Key is the review's key (string),
	// Scope the film's MovieLens id.
	ReviewAdded = "reviewAdded"
	// CommentAdded: a comment on a review was written; Key is the comment's key (string),
	// Scope the review's key.
	CommentAdded = "commentAdded"
	// RatingSummaryChanged: a film's ratings changed; Key and Scope are the film's
	// MovieLens id (int64).
	RatingSummaryChanged = "ratingSummaryChanged"
)

// Event is one committed change.
type Event struct {
	// Topic is one of the constants above.
	Topic string
	// Scope is what subscribers filter on (the film or review they watch).
	Scope any
	// Key identifies the changed entity.
	Key any
}

// Broker delivers events to subscribers.
type Broker interface {
	// Publish sends e to every current subscriber of (e.Topic, e.Scope). It never blocks
	// the publisher on a slow subscriber.
	Publish(ctx context.Context, e Event)
	// Subscribe returns the events of (topic, scope) published from now until ctx ends,
	// when the channel is closed.
	Subscribe(ctx context.Context, topic string, scope any) <-chan Event
}

// Buffer is how many undelivered events a subscriber may lag behind before Local drops
// events for it (the subscriber then misses them rather than slowing every writer).
const Buffer = 64

// Local is the in-process Broker: it delivers to subscribers of this process only.
type Local struct {
	mu   sync.Mutex
	subs map[string]map[chan Event]struct{}
}

// NewLocal returns an empty in-process broker.
func NewLocal() *Local { return &Local{subs: map[string]map[chan Event]struct{}{}} }

func key(topic string, scope any) string { return fmt.Sprintf("%s/%v", topic, scope) }

// Publish implements Broker.
func (l *Local) Publish(_ context.Context, e Event) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for ch := range l.subs[key(e.Topic, e.Scope)] {
		select {
		case ch <- e:
		default: // a subscriber this far behind loses the event
		}
	}
}

// Subscribe implements Broker.
func (l *Local) Subscribe(ctx context.Context, topic string, scope any) <-chan Event {
	ch := make(chan Event, Buffer)
	k := key(topic, scope)
	l.mu.Lock()
	if l.subs[k] == nil {
		l.subs[k] = map[chan Event]struct{}{}
	}
	l.subs[k][ch] = struct{}{}
	l.mu.Unlock()
	go func() {
		<-ctx.Done()
		l.mu.Lock()
		delete(l.subs[k], ch)
		if len(l.subs[k]) == 0 {
			delete(l.subs, k)
		}
		close(ch)
		l.mu.Unlock()
	}()
	return ch
}

// Subscribers is the number of current subscriptions to (topic, scope), for tests.
func (l *Local) Subscribers(topic string, scope any) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.subs[key(topic, scope)])
}
