package events

import (
	"context"
	"testing"
	"time"
)

func TestLocalDeliversToScopeAndStopsWithContext(t *testing.T) {
	b := NewLocal()
	ctx, cancel := context.WithCancel(context.Background())
	ch := b.Subscribe(ctx, ReviewAdded, int64(80969))
	other := b.Subscribe(context.Background(), ReviewAdded, int64(1))

	b.Publish(context.Background(), Event{Topic: ReviewAdded, Scope: int64(80969), Key: "r1"})
	select {
	case e := <-ch:
		if e.Key != "r1" {
			t.Fatalf("got %v", e)
		}
	case <-time.After(time.Second):
		t.Fatal("no event")
	}
	select {
	case e := <-other:
		t.Fatalf("a subscriber of another film got %v", e)
	default:
	}

	cancel()
	if _, open := <-ch; open {
		t.Fatal("channel still open after the context ended")
	}
	if n := b.Subscribers(ReviewAdded, int64(80969)); n != 0 {
		t.Fatalf("%d subscribers left", n)
	}
}

func TestLocalNeverBlocksThePublisher(t *testing.T) {
	b := NewLocal()
	b.Subscribe(context.Background(), CommentAdded, "r") // never read
	done := make(chan struct{})
	go func() {
		for i := 0; i < 10*Buffer; i++ {
			b.Publish(context.Background(), Event{Topic: CommentAdded, Scope: "r", Key: i})
		}
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("Publish blocked on a slow subscriber")
	}
}
