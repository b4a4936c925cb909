package model

import (
	"context"

	"github.com/99designs/gqlgen/graphql"

	"filmgraph/cypher"
	"filmgraph/relay"
)

// PageInfo is the paging state of a connection.
type PageInfo struct {
	HasNextPage     bool
	HasPreviousPage bool
	StartCursor     *string
	EndCursor       *string
}

// connection holds what every connection projection carries: the page's position and
// size, the total, and the edge lists under their response names.
type connection struct{ Record }

func (c connection) offset() int64 { n, _ := c.Record[cypher.KeyOffset].(int64); return n }
func (c connection) first() int64  { n, _ := c.Record[cypher.KeyFirst].(int64); return n }

// total is the size of the whole connection, which the projection carries only when the
// selection reads it (see cypher.needsTotal).
func (c connection) total() (int64, bool) { n, ok := c.Record[cypher.KeyTotal].(int64); return n, ok }

// TotalCount is the size of the whole connection.
func (c connection) TotalCount(ctx context.Context) (int64, error) {
	n, ok := c.total()
	if !ok {
		return 0, missing(ctx)
	}
	return n, nil
}

// PageInfo is derived from the page's offset and size and the total, so it needs no edges.
// Keyset connections (see cypher/keyset.go) carry the order keys of their page instead.
// Without the total only hasPreviousPage can be answered, which is all the projection
// then carries it for.
func (c connection) PageInfo(ctx context.Context) (*PageInfo, error) {
	if _, keyset := c.Record[cypher.KeyPageKeys]; keyset {
		return c.keysetPageInfo(), nil
	}
	offset := c.offset()
	total, ok := c.total()
	if !ok {
		op, fc := graphql.GetOperationContext(ctx), graphql.GetFieldContext(ctx)
		for _, f := range graphql.CollectFields(op, fc.Field.Selections, []string{"PageInfo"}) {
			if f.Name != "hasPreviousPage" && f.Name != "__typename" {
				return nil, missing(ctx)
			}
		}
		return &PageInfo{HasPreviousPage: offset > 0}, nil
	}
	size := min(c.first(), max(total-offset, 0))
	info := &PageInfo{
		HasNextPage:     offset+size < total,
		HasPreviousPage: offset > 0,
	}
	if size > 0 {
		start, end := relay.Cursor(int(offset)), relay.Cursor(int(offset+size-1))
		info.StartCursor, info.EndCursor = &start, &end
	}
	return info, nil
}

// keysetPageInfo reads the keys of the page's items and of the one read past it, and
// whether items lie beyond the cursor the page started from. The keys come from the
// edges when the page's edges were read with that one more item (cypher.KeyPageEdges),
// otherwise from a list of keys in reading order (backwards for last/before).
func (c connection) keysetPageInfo() *PageInfo {
	backward, _ := c.Record[cypher.KeyBackward].(bool)
	outside, _ := c.Record[cypher.KeyOutside].(bool)
	var first, last any
	var more bool
	if keys, ok := c.Record[cypher.KeyPageKeys].([]any); ok {
		keys, more = keysetPage(keys, c.first(), false)
		if len(keys) > 0 {
			first, last = keys[0], keys[len(keys)-1]
			if backward {
				first, last = last, first
			}
		}
	} else if name, ok := c.Record[cypher.KeyPageEdges].(string); ok {
		edges, _ := c.Record[name].([]any)
		edges, more = keysetPage(edges, c.first(), backward)
		if len(edges) > 0 {
			first, last = AsRecord(edges[0])[cypher.KeyCursor], AsRecord(edges[len(edges)-1])[cypher.KeyCursor]
		}
	}
	info := &PageInfo{HasNextPage: more, HasPreviousPage: outside}
	if backward {
		info.HasNextPage, info.HasPreviousPage = outside, more
	}
	if first != nil {
		cursors := c.keyset()
		start, end := cursors.Cursor(asKeys(first)), cursors.Cursor(asKeys(last))
		info.StartCursor, info.EndCursor = &start, &end
	}
	return info
}

// keysetPage trims items, read with one more than size to tell whether more follow, to
// size, and reports whether there were more. The item read last is the list's last, or
// its first when the list was reversed (a backward page in list order).
func keysetPage[T any](items []T, size int64, reversed bool) ([]T, bool) {
	if int64(len(items)) <= size {
		return items, false
	}
	if reversed {
		return items[int64(len(items))-size:], true
	}
	return items[:size], true
}

// keyset writes the cursors of c's order: made once per connection, not per edge.
func (c connection) keyset() relay.Keyset {
	order, _ := c.Record[cypher.KeyOrder].(string)
	return relay.KeysetOf(order)
}

// asKeys reads an item's order keys (cypher.KeyCursor).
func asKeys(keys any) []any { values, _ := keys.([]any); return values }

// edgesOf returns the edges of the current field of c. Every edge type of the schema is a
// record with a cursor (an edge), so one function builds them all.
func edgesOf[E ~struct{ edge }](ctx context.Context, c connection) []*E {
	records := c.records(ctx)
	_, keyset := c.Record[cypher.KeyPageKeys]
	var cursors *relay.Keyset
	if keyset {
		backward, _ := c.Record[cypher.KeyBackward].(bool)
		records, _ = keysetPage(records, c.first(), backward)
		k := c.keyset()
		cursors = &k
	}
	backing := make([]E, len(records)) // one allocation for the page's edges
	out := make([]*E, len(records))
	for i, r := range records {
		backing[i] = E{edge{Record: r, of: c, index: i, keyset: cursors}}
		out[i] = &backing[i]
	}
	return out
}

// edge is what every edge type holds: its record and its place in its connection, from
// which its cursor is made only when a client selects it (a base64 string per edge).
type edge struct {
	Record
	of     connection
	index  int           // in the page
	keyset *relay.Keyset // the cursors of a keyset connection (cypher/keyset.go), else nil
}

// Cursor is the keyset cursor of the edge's order keys in a keyset connection, otherwise
// the cursor of its offset.
func (e edge) Cursor() string {
	if e.keyset != nil {
		return e.keyset.Cursor(asKeys(e.Record[cypher.KeyCursor]))
	}
	return relay.Cursor(int(e.of.offset()) + e.index)
}

// MovieConnection is a page of films.
type MovieConnection struct{ connection }

func (c MovieConnection) Edges(ctx context.Context) []*MovieEdge {
	return edgesOf[MovieEdge](ctx, c.connection)
}

// MovieEdge is a film in a connection.
type MovieEdge struct{ edge }

func (e MovieEdge) Node(ctx context.Context) *Movie { return NewMovie(e.record(ctx)) }

// ActingConnection is a page of a person's acting credits.
type ActingConnection struct{ connection }

func (c ActingConnection) Edges(ctx context.Context) []*ActingEdge {
	return edgesOf[ActingEdge](ctx, c.connection)
}

// ActingEdge is one acting credit: the film with the person's billing in it.
type ActingEdge struct{ edge }

func (e ActingEdge) Order(ctx context.Context) (int64, error) { return e.int(ctx) }
func (e ActingEdge) Node(ctx context.Context) *Movie          { return NewMovie(e.record(ctx)) }

// NewMovieConnection wraps a projected film connection.
func NewMovieConnection(r Record) *MovieConnection { return &MovieConnection{connection{r}} }

// GenreConnection is a page of genres.
type GenreConnection struct{ connection }

// NewGenreConnection wraps a projected genre connection.
func NewGenreConnection(r Record) *GenreConnection { return &GenreConnection{connection{r}} }

func (c GenreConnection) Edges(ctx context.Context) []*GenreEdge {
	return edgesOf[GenreEdge](ctx, c.connection)
}

// GenreEdge is a genre in a connection.
type GenreEdge struct{ edge }

func (e GenreEdge) Node(ctx context.Context) *Genre { return NewGenre(e.record(ctx)) }

// PersonConnection is a page of people.
type PersonConnection struct{ connection }

// NewPersonConnection wraps a projected person connection.
func NewPersonConnection(r Record) *PersonConnection { return &PersonConnection{connection{r}} }

func (c PersonConnection) Edges(ctx context.Context) []*PersonEdge {
	return edgesOf[PersonEdge](ctx, c.connection)
}

// PersonEdge is a person in a connection.
type PersonEdge struct{ edge }

func (e PersonEdge) Node(ctx context.Context) *Person { return NewPerson(e.record(ctx)) }
