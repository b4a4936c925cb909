package events

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"regexp"
	"sync"
	"time"

	"github.com/nats-io/nats.go"

	"filmgraph/observe"
)

// SubjectPrefix starts the NATS subject of every event: filmgraph.events.<topic>.<scope>,
// e.g. filmgraph.events.reviewAdded.80969 for the reviews of one film, so that NATS
// carries to a replica only the films and reviews its clients watch.
const SubjectPrefix = "filmgraph.events"

// maxMessage bounds what a received message may weigh; an event is a key and a few
// bookmarks, far less.
const maxMessage = 8 << 10

// NATS is a Broker over a NATS server (or cluster), for several replicas: Publish sends
// the event to its subject, and the broker of every replica that has subscribers for that
// subject receives it and hands it to them (through a Local of its own).
//
// The connection is kept up by nats.go: when the server goes away, writes still succeed
// but their events are dropped (counted, never queued: a queued event would reach only
// subscriptions opened after the outage), every running subscription ends with
// ErrInterrupted (its client missed events: it reads afresh and subscribes again), and a
// subscription opened meanwhile ends at once the same way; the broker reconnects by
// itself, after which subscriptions work again.
type NATS struct {
	conn  *nats.Conn
	local *Local
	log   *slog.Logger

	// mu orders subscribing against interruptions, so that no subscription registered
	// while the connection drops misses its ErrInterrupted.
	mu   sync.Mutex
	subs map[string]*subjectSub
}

// subjectSub is the NATS subscription to one subject, shared by this replica's
// subscribers to it.
type subjectSub struct {
	sub   *nats.Subscription
	count int
	// confirmedAt is the connection's reconnect count when the server was last known to
	// have the subscription. nats.go sends it again after a reconnect without waiting
	// for the server, so a subscriber joining after one checks it again.
	confirmedAt uint64
}

// subscribeTimeout bounds the round trip that makes a new NATS subscription effective
// before Subscribe returns.
const subscribeTimeout = 2 * time.Second

// ConnectNATS returns a broker over the NATS server(s) at url (nats://host:4222; several
// comma-separated). It does not wait for the server: when it cannot be reached yet, the
// broker starts disconnected and connects when it can.
func ConnectNATS(url string, log *slog.Logger) (*NATS, error) {
	b := &NATS{local: NewLocal(), log: log, subs: map[string]*subjectSub{}}
	conn, err := nats.Connect(url,
		nats.Name("filmgraph"),
		nats.RetryOnFailedConnect(true),
		nats.MaxReconnects(-1),
		nats.ReconnectWait(time.Second),
		// No queue while disconnected: Publish fails at once, and the event is counted
		// as dropped (its subscribers are told by ErrInterrupted).
		nats.ReconnectBufSize(-1),
		// A silent server (a cut network) is noticed within about 30 s.
		nats.PingInterval(10*time.Second),
		nats.MaxPingsOutstanding(2),
		nats.ConnectHandler(func(c *nats.Conn) { b.up("connected", c) }),
		nats.ReconnectHandler(func(c *nats.Conn) { b.up("reconnected", c) }),
		nats.DisconnectErrHandler(func(c *nats.Conn, err error) { b.interrupt("disconnected", c, err) }),
		nats.ErrorHandler(func(c *nats.Conn, _ *nats.Subscription, err error) {
			if errors.Is(err, nats.ErrSlowConsumer) { // NATS dropped messages for us
				b.interrupt("slow consumer", c, err)
			}
		}),
	)
	if err != nil {
		return nil, fmt.Errorf("NATS at %s: %w", url, err)
	}
	b.conn = conn
	observe.SetEventBusUp(conn.IsConnected())
	return b, nil
}

// Connected reports whether the broker is connected to NATS now.
func (b *NATS) Connected() bool { return b.conn.IsConnected() }

// Close ends the connection; running subscriptions end with ErrInterrupted.
func (b *NATS) Close() {
	b.conn.Close()
	b.interrupt("closed", b.conn, nil)
}

// up and interrupt read the connection they are given: NATS may call them from its own
// goroutine before ConnectNATS has stored b.conn.
func (b *NATS) up(what string, conn *nats.Conn) {
	observe.SetEventBusUp(true)
	b.log.Info("event bus "+what, "bus", "nats", "server", conn.ConnectedUrlRedacted())
}

// interrupt ends every running subscription with ErrInterrupted.
func (b *NATS) interrupt(what string, conn *nats.Conn, err error) {
	observe.SetEventBusUp(conn != nil && conn.IsConnected())
	b.mu.Lock()
	n := b.local.Interrupt(ErrInterrupted)
	b.mu.Unlock()
	if n > 0 {
		observe.EventsDropped("bus_down", n)
	}
	if err != nil || what != "closed" {
		b.log.Warn("event bus "+what+"; live subscriptions ended with SERVICE_UNAVAILABLE until it is back", "bus", "nats", "error", err, "subscriptions", n)
	}
}

// message is what an event's NATS message carries: its key (one of Int, Str) and the
// bookmarks of its write. Topic and scope are in the subject.
type message struct {
	Int       *int64   `json:"int,omitempty"`
	Str       *string  `json:"str,omitempty"`
	Bookmarks []string `json:"bookmarks,omitempty"`
}

// Publish implements Broker. It does not wait for NATS: an event the connection cannot
// take now is dropped and counted.
func (b *NATS) Publish(_ context.Context, e Event) {
	var m message
	switch k := e.Key.(type) {
	case int64:
		m.Int = &k
	case string:
		m.Str = &k
	default:
		b.log.Error("event with a key of an unexpected type not published", "topic", e.Topic, "key", fmt.Sprintf("%T", e.Key))
		return
	}
	m.Bookmarks = e.Bookmarks
	data, _ := json.Marshal(m) // marshals: pointers to numbers, strings, []string
	if err := b.conn.Publish(Subject(e.Topic, e.Scope), data); err != nil {
		observe.EventPublished("nats", false)
		b.log.Warn("event dropped: the event bus is unreachable", "bus", "nats", "topic", e.Topic, "error", err)
		return
	}
	observe.EventPublished("nats", true)
}

// Subscribe implements Broker. While NATS is unreachable the channel carries
// ErrInterrupted at once.
func (b *NATS) Subscribe(ctx context.Context, topic string, scope any) <-chan Event {
	subject := Subject(topic, scope)
	b.mu.Lock()
	defer b.mu.Unlock()
	if err := b.retain(subject, topic, scope); err != nil {
		observe.EventsDropped("bus_down", 1)
		ch := make(chan Event, 1)
		ch <- Event{Topic: topic, Scope: scope, Err: ErrInterrupted}
		close(ch)
		return ch
	}
	ch := b.local.Subscribe(ctx, topic, scope)
	go func() {
		<-ctx.Done()
		b.mu.Lock()
		defer b.mu.Unlock()
		b.release(subject)
	}()
	return ch
}

// retain counts one more subscriber to subject, subscribing this replica to it on the
// first; the subscription is effective (the server has it) when retain returns. b.mu is
// held.
func (b *NATS) retain(subject, topic string, scope any) error {
	if s := b.subs[subject]; s != nil {
		if !b.conn.IsConnected() {
			return nats.ErrConnectionReconnecting
		}
		if reconnects := b.conn.Stats().Reconnects; reconnects != s.confirmedAt {
			// A flush returns once the server has read everything sent before it,
			// the resent subscription included.
			if err := b.conn.FlushTimeout(subscribeTimeout); err != nil {
				return err
			}
			s.confirmedAt = reconnects
		}
		s.count++
		return nil
	}
	reconnects := b.conn.Stats().Reconnects
	sub, err := b.conn.Subscribe(subject, func(msg *nats.Msg) { b.receive(topic, scope, msg) })
	if err == nil {
		err = b.conn.FlushTimeout(subscribeTimeout)
		if err != nil {
			sub.Unsubscribe()
		}
	}
	if err != nil {
		return err
	}
	b.subs[subject] = &subjectSub{sub: sub, count: 1, confirmedAt: reconnects}
	return nil
}

// release counts one subscriber to subject less, unsubscribing after the last. b.mu is
// held.
func (b *NATS) release(subject string) {
	s := b.subs[subject]
	if s == nil {
		return
	}
	if s.count--; s.count == 0 {
		delete(b.subs, subject)
		_ = s.sub.Unsubscribe() // while disconnected, the server forgets it anyway
	}
}

// receive hands an event received from NATS to this replica's subscribers.
func (b *NATS) receive(topic string, scope any, msg *nats.Msg) {
	var m message
	if len(msg.Data) > maxMessage || json.Unmarshal(msg.Data, &m) != nil || (m.Int == nil) == (m.Str == nil) {
		b.log.Warn("unreadable event ignored", "bus", "nats", "subject", msg.Subject, "bytes", len(msg.Data))
		return
	}
	e := Event{Topic: topic, Scope: scope, Bookmarks: m.Bookmarks}
	if m.Int != nil {
		e.Key = *m.Int
	} else {
		e.Key = *m.Str
	}
	b.local.deliver(e)
}

// Subscribers is the number of this replica's current subscriptions to (topic, scope),
// for tests.
func (b *NATS) Subscribers(topic string, scope any) int { return b.local.Subscribers(topic, scope) }

// subjectSafe is what a subject token may hold as it is; NATS gives '.', '*' and '>'
// meanings, and whitespace ends a subject. A leading '_' marks an encoded token.
var subjectSafe = regexp.MustCompile(`^[A-Za-z0-9-][A-Za-z0-9_-]{0,63}$`)

// Subject is the NATS subject of the events of (topic, scope). A scope that is not a
// plain token (ids and keys are) is hex-encoded after a '_', so that it can neither
// widen or split the subject nor meet another scope's.
func Subject(topic string, scope any) string {
	token := fmt.Sprint(scope)
	if !subjectSafe.MatchString(token) {
		token = "_" + hex.EncodeToString([]byte(token))
	}
	return SubjectPrefix + "." + topic + "." + token
}
