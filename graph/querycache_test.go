package graph

import (
	"context"
	"fmt"
	"runtime"
	"strings"
	"testing"

	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/parser"
)

// heapInUse is the live heap after a collection.
func heapInUse() int64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return int64(m.HeapAlloc)
}

// Filled with the largest documents a client can send (long text, or as many fields as
// the limits let through), the cache of parsed documents holds at most its bytes: by
// count alone it kept a thousand of them, about a gibibyte.
func TestDocumentCacheIsBoundedInBytes(t *testing.T) {
	ctx := context.Background()
	before := heapInUse()
	cache := newDocumentCache()
	const documents = 300
	var first, last string
	for i := range documents {
		var query string
		if i%2 == 0 { // almost a mebibyte of text
			query = fmt.Sprintf("# %d %s\n{ __typename }", i, strings.Repeat("x", 1<<20-100))
		} else { // the most fields a document may have (FILMGRAPH_MAX_FIELDS)
			query = fmt.Sprintf("{ f%d: __typename%s }", i, strings.Repeat(" __typename", DefaultOptions().MaxFields-1))
		}
		doc, err := parser.ParseQuery(&ast.Source{Input: query})
		if err != nil {
			t.Fatal(err)
		}
		cache.Add(ctx, query, doc)
		if i == 0 {
			first = query
		}
		last = query
	}
	grown := heapInUse() - before
	t.Logf("%d documents added: %d kept, %d MiB estimated, the heap grew by %d MiB", documents, cache.Len(), cache.Bytes()>>20, grown>>20)
	if cache.Bytes() > cachedDocumentBytes {
		t.Errorf("the cache estimates %d bytes, over its %d", cache.Bytes(), cachedDocumentBytes)
	}
	if limit := int64(cachedDocumentBytes) * 3 / 2; grown > limit {
		t.Errorf("the heap grew by %d MiB holding the cache, over %d MiB: the cache holds more than its bound", grown>>20, limit>>20)
	}
	if _, ok := cache.Get(ctx, last); !ok {
		t.Error("the last document added is not kept")
	}
	if _, ok := cache.Get(ctx, first); ok {
		t.Error("the least recently used document was kept")
	}
	runtime.KeepAlive(cache)
}

// The persisted queries are bounded in bytes too, whatever their number may be.
func TestPersistedQueryCacheIsBoundedInBytes(t *testing.T) {
	ctx := context.Background()
	cache := newPersistedQueryCache(DefaultOptions().PersistedQueries)
	for i := range 100 {
		cache.Add(ctx, fmt.Sprintf("%064d", i), fmt.Sprintf("# %d %s\n{ __typename }", i, strings.Repeat("x", 1<<20-100)))
	}
	if cache.Bytes() > persistedQueryBytes || cache.Len() > persistedQueryBytes>>20 {
		t.Errorf("%d queries, %d bytes kept: over %d bytes", cache.Len(), cache.Bytes(), persistedQueryBytes)
	}
	if _, ok := cache.Get(ctx, fmt.Sprintf("%064d", 99)); !ok {
		t.Error("the last query added is not kept")
	}
}

// A key added again replaces its value and its cost; a value larger than the whole
// cache is not kept and evicts nothing.
func TestBoundedCacheAccounting(t *testing.T) {
	ctx := context.Background()
	cache := newBoundedCache(10, 1000, func(key, value string) int { return len(value) })
	cache.Add(ctx, "a", strings.Repeat("x", 100))
	cache.Add(ctx, "a", strings.Repeat("y", 200))
	if v, _ := cache.Get(ctx, "a"); v != strings.Repeat("y", 200) || cache.Bytes() != entryOverhead+200 || cache.Len() != 1 {
		t.Errorf("after replacing: %d entries, %d bytes", cache.Len(), cache.Bytes())
	}
	cache.Add(ctx, "huge", strings.Repeat("z", 1000))
	if _, ok := cache.Get(ctx, "huge"); ok || cache.Len() != 1 {
		t.Errorf("a value over the budget: kept %v, %d entries", ok, cache.Len())
	}
	for i := range 20 {
		cache.Add(ctx, fmt.Sprint(i), "v")
	}
	if cache.Len() != 10 || cache.Bytes() != 10*(entryOverhead+1) {
		t.Errorf("over the entries: %d entries, %d bytes", cache.Len(), cache.Bytes())
	}
}
