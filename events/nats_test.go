package events

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"testing"
	"time"

	"filmgraph/internal/natstest"
)

var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

func connectNATS(t *testing.T, url string) *NATS {
	t.Helper()
	b, err := ConnectNATS(url, quiet)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(b.Close)
	return b
}

// receive returns the next event of ch, failing after 10 s.
func receive(t *testing.T, ch <-chan Event) Event {
	t.Helper()
	select {
	case e, open := <-ch:
		if !open {
			t.Fatal("channel closed")
		}
		return e
	case <-time.After(10 * time.Second):
		t.Fatal("no event within 10 s")
	}
	return Event{}
}

func waitConnected(t *testing.T, brokers ...*NATS) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for _, b := range brokers {
		for !b.Connected() {
			if time.Now().After(deadline) {
				t.Fatal("the broker did not reconnect within 20 s")
			}
			time.Sleep(20 * time.Millisecond)
		}
	}
}

func TestNATSCarriesEventsBetweenBrokersAndSignalsOutages(t *testing.T) {
	server := natstest.Start(t)
	a, b := connectNATS(t, server.URL()), connectNATS(t, server.URL())
	waitConnected(t, a, b)

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	film := a.Subscribe(ctx, ReviewAdded, int64(80969))
	review := a.Subscribe(ctx, CommentAdded, "abc")
	b.Publish(ctx, Event{Topic: ReviewAdded, Scope: int64(1), Key: "other film"})
	b.Publish(ctx, Event{Topic: ReviewAdded, Scope: int64(80969), Key: "r1", Bookmarks: []string{"FB:x"}})
	b.Publish(ctx, Event{Topic: CommentAdded, Scope: "abc", Key: "c1"})
	if e := receive(t, film); e.Key != "r1" || e.Scope != int64(80969) || e.Topic != ReviewAdded || len(e.Bookmarks) != 1 || e.Bookmarks[0] != "FB:x" || e.Err != nil {
		t.Fatalf("got %+v", e)
	}
	if e := receive(t, review); e.Key != "c1" || e.Scope != "abc" {
		t.Fatalf("got %+v", e)
	}
	b.Publish(ctx, Event{Topic: RatingSummaryChanged, Scope: int64(80969), Key: int64(80969)})
	rating := b.Subscribe(ctx, RatingSummaryChanged, int64(80969))
	b.Publish(ctx, Event{Topic: RatingSummaryChanged, Scope: int64(80969), Key: int64(80969)})
	if e := receive(t, rating); e.Key != int64(80969) {
		t.Fatalf("got %+v (an event from before the subscription?)", e)
	}

	// The server goes away: every subscription ends with ErrInterrupted, new ones too,
	// and Publish does not block.
	server.Stop()
	for _, ch := range []<-chan Event{film, review, rating} {
		if e := receive(t, ch); !errors.Is(e.Err, ErrInterrupted) {
			t.Fatalf("got %+v, want ErrInterrupted", e)
		}
		if _, open := <-ch; open {
			t.Fatal("channel open after ErrInterrupted")
		}
	}
	if e := receive(t, a.Subscribe(ctx, ReviewAdded, int64(80969))); !errors.Is(e.Err, ErrInterrupted) {
		t.Fatalf("subscribing during the outage: got %+v", e)
	}
	done := make(chan struct{})
	go func() { b.Publish(ctx, Event{Topic: ReviewAdded, Scope: int64(80969), Key: "lost"}); close(done) }()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("Publish blocked while the bus was down")
	}

	// Back: both reconnect by themselves, and a new subscription gets new events only.
	server.Restart()
	waitConnected(t, a, b)
	again := a.Subscribe(ctx, ReviewAdded, int64(80969))
	b.Publish(ctx, Event{Topic: ReviewAdded, Scope: int64(80969), Key: "r2"})
	if e := receive(t, again); e.Key != "r2" {
		t.Fatalf("after the outage: got %+v", e)
	}

	// Ending the context unsubscribes.
	cancel()
	if _, open := <-again; open {
		t.Fatal("channel open after the context ended")
	}
	deadline := time.Now().Add(5 * time.Second)
	for {
		a.mu.Lock()
		n := len(a.subs)
		a.mu.Unlock()
		if n == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d NATS subscriptions left", n)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func TestSubjectsCannotBeWidened(t *testing.T) {
	for scope, want := range map[any]string{
		int64(80969): "filmgraph.events.reviewAdded.80969",
		"k2abc7":     "filmgraph.events.reviewAdded.k2abc7",
		"a.>":        "filmgraph.events.reviewAdded._612e3e",
		"_612e3e":    "filmgraph.events.reviewAdded._5f363132653365",
		"*":          "filmgraph.events.reviewAdded._2a",
	} {
		if got := Subject(ReviewAdded, scope); got != want {
			t.Errorf("Subject(%v) = %s, want %s", scope, got, want)
		}
	}
}

func TestLocalEndsASubscriberThatFellBehind(t *testing.T) {
	b := NewLocal()
	ch := b.Subscribe(context.Background(), CommentAdded, "r")
	for i := 0; i <= Buffer; i++ {
		b.Publish(context.Background(), Event{Topic: CommentAdded, Scope: "r", Key: i})
	}
	for i := 0; i < Buffer; i++ {
		if e := <-ch; e.Key != i {
			t.Fatalf("event %d: %+v", i, e)
		}
	}
	if e := <-ch; !errors.Is(e.Err, ErrOverflow) {
		t.Fatalf("got %+v, want ErrOverflow", e)
	}
	if _, open := <-ch; open || b.Subscribers(CommentAdded, "r") != 0 {
		t.Fatal("the subscriber that fell behind is still registered")
	}
}

// nats.go sends a replica's subscriptions again when it reconnects, without waiting for
// the server to read them; a subscriber who joins one of them then must still not miss
// the next event. The lag makes the server read the resent subscription 300 ms late.
func TestSubscribingAfterAReconnectMissesNothing(t *testing.T) {
	server := natstest.Start(t)
	lag := natstest.StartLag(t, server, 300*time.Millisecond)
	a, b := connectNATS(t, lag.URL()), connectNATS(t, server.URL())
	waitConnected(t, a, b)

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	earlier := a.Subscribe(ctx, ReviewAdded, int64(80969)) // its subscriber has not left yet
	server.Stop()
	if e := receive(t, earlier); !errors.Is(e.Err, ErrInterrupted) {
		t.Fatalf("got %+v, want ErrInterrupted", e)
	}
	server.Restart()
	waitConnected(t, a, b)

	later := a.Subscribe(ctx, ReviewAdded, int64(80969))
	b.Publish(ctx, Event{Topic: ReviewAdded, Scope: int64(80969), Key: "r1"})
	if e := receive(t, later); e.Key != "r1" {
		t.Fatalf("got %+v", e)
	}
}
