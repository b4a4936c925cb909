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
// hear about a review written through replica B; NATS (nats.go) carries them between
// replicas over a NATS server.
//
// A subscriber never misses an event silently: when events were lost for it (it fell
// Buffer events behind, or the bus was unreachable), its channel carries one last Event
// whose Err says so, then closes.
package events

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"filmgraph/observe"
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
	// Bookmarks are the Neo4j bookmarks of the write that caused the event: the replica
	// that reads the changed entity reads after them, so that it sees the change even from
	// a cluster member that had not caught up yet (see store.AfterBookmarks).
	Bookmarks []string
	// Err, when set, ends the subscription: this is no event but the news that events
	// were lost (ErrOverflow, ErrInterrupted). The channel closes after it.
	Err error
}

var (
	// ErrOverflow: the subscriber fell Buffer events behind and missed the next one.
	ErrOverflow = errors.New("events: the subscriber fell behind and missed events")
	// ErrInterrupted: the bus was unreachable, so events of other replicas may be lost.
	ErrInterrupted = errors.New("events: the event bus was unreachable and events may have been missed")
)

// Broker delivers events to subscribers.
type Broker interface {
	// Publish sends e to every current subscriber of (e.Topic, e.Scope). It never blocks
	// the publisher on a slow subscriber.
	Publish(ctx context.Context, e Event)
	// Subscribe returns the events of (topic, scope) published from now until ctx ends,
	// when the channel is closed.
	Subscribe(ctx context.Context, topic string, scope any) <-chan Event
}

// Buffer is how many undelivered events a subscriber may lag behind. One more ends its
// subscription with ErrOverflow rather than slowing every writer.
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
	observe.EventPublished("local", true)
	l.deliver(e)
}

// deliver hands e to the subscribers of its topic and scope in this process, and ends
// the subscription of any that is Buffer events behind.
func (l *Local) deliver(e Event) {
	l.mu.Lock()
	defer l.mu.Unlock()
	k := key(e.Topic, e.Scope)
	delivered, dropped := 0, 0
	for ch := range l.subs[k] {
		if len(ch) < Buffer { // only deliver sends, under l.mu: the check holds
			ch <- e
			delivered++
		} else {
			l.end(k, ch, Event{Topic: e.Topic, Scope: e.Scope, Err: ErrOverflow})
			dropped++
		}
	}
	observe.EventsDelivered(delivered)
	if dropped > 0 {
		observe.EventsDropped("slow_subscriber", dropped)
	}
}

// Interrupt ends every subscription of this process with err (ErrInterrupted when the
// bus carrying events from other replicas went away), and returns how many it ended.
func (l *Local) Interrupt(err error) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	n := 0
	for k, chans := range l.subs {
		for ch := range chans {
			l.end(k, ch, Event{Err: err})
			n++
		}
	}
	return n
}

// end sends last, which always fits (a channel holds Buffer events and one last word),
// and unregisters and closes ch. l.mu is held.
func (l *Local) end(k string, ch chan Event, last Event) {
	ch <- last
	l.unregister(k, ch)
}

// unregister removes ch from the subscribers of k and closes it, unless it is gone
// already. l.mu is held.
func (l *Local) unregister(k string, ch chan Event) {
	if _, ok := l.subs[k][ch]; !ok {
		return
	}
	delete(l.subs[k], ch)
	if len(l.subs[k]) == 0 {
		delete(l.subs, k)
	}
	close(ch)
}

// Subscribe implements Broker.
func (l *Local) Subscribe(ctx context.Context, topic string, scope any) <-chan Event {
	ch := make(chan Event, Buffer+1)
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
		l.unregister(k, ch)
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
