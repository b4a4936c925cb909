package graph

import (
	"context"
	"sync"

	"github.com/99designs/gqlgen/graphql"
	"github.com/hashicorp/golang-lru/v2/simplelru"
	"github.com/vektah/gqlparser/v2/ast"
)

// gqlgen's caches of parsed documents and of automatic persisted queries hold at most
// their number of entries and at most these bytes, least recently used dropped first: by
// count alone a client could fill them with a thousand documents of almost a mebibyte each
// (the body limit). A real client's document costs tens of KiB parsed.
const (
	cachedDocuments     = 1000
	cachedDocumentBytes = 64 << 20
	persistedQueryBytes = 16 << 20
	entryOverhead       = 64  // an entry's list element and map slot
	documentNodeBytes   = 400 // a parsed field, argument or value, its position and lists (measured: 200 to 400)
)

// boundedCache is a graphql.Cache of at most entries values and at most maxBytes in all,
// as cost estimates them, least recently used dropped first. A value that alone costs
// more than maxBytes is not kept.
type boundedCache[T any] struct {
	mu       sync.Mutex
	entries  *simplelru.LRU[string, sizedValue[T]]
	bytes    int // the cost of what entries holds
	maxBytes int
	cost     func(key string, value T) int
}

type sizedValue[T any] struct {
	value T
	cost  int
}

var _ graphql.Cache[string] = (*boundedCache[string])(nil)

func newBoundedCache[T any](entries, maxBytes int, cost func(key string, value T) int) *boundedCache[T] {
	c := &boundedCache[T]{maxBytes: maxBytes, cost: cost}
	lru, err := simplelru.NewLRU(entries, func(_ string, v sizedValue[T]) { c.bytes -= v.cost })
	if err != nil {
		panic(err) // entries <= 0: a programming error
	}
	c.entries = lru
	return c
}

// Get returns the value of key, which becomes the most recently used.
func (c *boundedCache[T]) Get(_ context.Context, key string) (T, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	v, ok := c.entries.Get(key)
	return v.value, ok
}

// Add keeps value under key, dropping the least recently used entries until all fit.
func (c *boundedCache[T]) Add(_ context.Context, key string, value T) {
	cost := entryOverhead + c.cost(key, value)
	if cost > c.maxBytes {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.entries.Remove(key) // its cost goes with it
	c.entries.Add(key, sizedValue[T]{value: value, cost: cost})
	c.bytes += cost
	for c.bytes > c.maxBytes {
		c.entries.RemoveOldest()
	}
}

// removeIf drops the entry of key if its value is one that match accepts.
func (c *boundedCache[T]) removeIf(key string, match func(T) bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if v, ok := c.entries.Peek(key); ok && match(v.value) {
		c.entries.Remove(key) // its cost goes with it
	}
}

// Len and Bytes are the entries held and their cost.
func (c *boundedCache[T]) Len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.entries.Len()
}

func (c *boundedCache[T]) Bytes() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.bytes
}

// newDocumentCache is the cache of parsed and validated documents, keyed by their text.
func newDocumentCache() *boundedCache[*ast.QueryDocument] {
	return newBoundedCache(cachedDocuments, cachedDocumentBytes, func(query string, doc *ast.QueryDocument) int {
		return len(query) + documentNodeBytes*documentNodes(doc)
	})
}

// newPersistedQueryCache is the cache of automatic persisted queries: their text by hash.
func newPersistedQueryCache(entries int) *boundedCache[string] {
	return newBoundedCache(entries, persistedQueryBytes, func(hash, query string) int { return len(hash) + len(query) })
}

// documentNodes counts the fields, fragments, arguments, values, directives and variable
// definitions of doc: what its size in memory grows with, besides its text.
func documentNodes(doc *ast.QueryDocument) int {
	if doc == nil {
		return 0
	}
	n := 0
	for _, op := range doc.Operations {
		n += 1 + directiveNodes(op.Directives) + selectionNodes(op.SelectionSet)
		for _, v := range op.VariableDefinitions {
			n += 1 + valueNodes(v.DefaultValue) + directiveNodes(v.Directives)
		}
	}
	for _, f := range doc.Fragments {
		n += 1 + directiveNodes(f.Directives) + selectionNodes(f.SelectionSet)
	}
	return n
}

func selectionNodes(set ast.SelectionSet) int {
	n := 0
	for _, sel := range set {
		n++
		switch sel := sel.(type) {
		case *ast.Field:
			for _, arg := range sel.Arguments {
				n += 1 + valueNodes(arg.Value)
			}
			n += directiveNodes(sel.Directives) + selectionNodes(sel.SelectionSet)
		case *ast.InlineFragment:
			n += directiveNodes(sel.Directives) + selectionNodes(sel.SelectionSet)
		case *ast.FragmentSpread:
			n += directiveNodes(sel.Directives)
		}
	}
	return n
}

func directiveNodes(directives ast.DirectiveList) int {
	n := 0
	for _, d := range directives {
		n++
		for _, arg := range d.Arguments {
			n += 1 + valueNodes(arg.Value)
		}
	}
	return n
}

func valueNodes(v *ast.Value) int {
	if v == nil {
		return 0
	}
	n := 1
	for _, child := range v.Children {
		n += valueNodes(child.Value)
	}
	return n
}
