package store

import (
	"context"
	"sync"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
)

// Causal consistency across replicas. Within one replica every session shares the driver's
// bookmark manager, so a read follows the replica's own writes. Across replicas the
// bookmarks travel with the client (graph.Bookmarks) or with an event (events.Event): a
// context carries the bookmarks its statements must run after, and collects those of the
// writes it made.

// causality is what a context knows of bookmarks.
type causality struct {
	after []string // the statements run after these (sent by the client, or by an event)

	mu      sync.Mutex
	written []string // the bookmarks of the latest write made with this context
}

type causalityKey struct{}

// AfterBookmarks returns a context whose statements run after the writes that bookmarks
// name, on whichever cluster member serves them (Neo4j waits until that member has
// them), and whose writes are recorded for WrittenBookmarks. Bookmarks the database never
// issued fail the statement with BAD_USER_INPUT.
func AfterBookmarks(ctx context.Context, bookmarks []string) context.Context {
	return context.WithValue(ctx, causalityKey{}, &causality{after: bookmarks})
}

// WrittenBookmarks returns the bookmarks of the latest write made with ctx (or with a
// context derived from it) since AfterBookmarks, or nil when it wrote nothing.
func WrittenBookmarks(ctx context.Context) []string {
	c, _ := ctx.Value(causalityKey{}).(*causality)
	if c == nil {
		return nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.written
}

// sessionBookmarks returns the bookmarks a session of ctx starts after.
func sessionBookmarks(ctx context.Context) neo4j.Bookmarks {
	if c, _ := ctx.Value(causalityKey{}).(*causality); c != nil && len(c.after) > 0 {
		return neo4j.BookmarksFromRawValues(c.after...)
	}
	return nil
}

// recordWrite keeps the bookmarks of a committed write of ctx. A later write of the same
// context follows an earlier one (the sessions share the driver's bookmark manager), so
// its bookmarks supersede.
func recordWrite(ctx context.Context, bookmarks neo4j.Bookmarks) {
	c, _ := ctx.Value(causalityKey{}).(*causality)
	if c == nil || len(bookmarks) == 0 {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.written = neo4j.BookmarksToRawValues(bookmarks)
}
