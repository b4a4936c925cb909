package selection

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/json"
	"hash"
	"slices"

	"github.com/99designs/gqlgen/graphql"
)

// CacheKey hashes what a cached value depends on: parts written with their length, so that
// no two different lists of parts hash alike, and no request text is kept. Keys are SHA-256,
// so one client cannot make its entry collide with another's.
type CacheKey struct{ h hash.Hash }

// NewCacheKey starts a key.
func NewCacheKey() CacheKey { return CacheKey{sha256.New()} }

// Part adds s.
func (k CacheKey) Part(s string) {
	var n [8]byte
	binary.LittleEndian.PutUint64(n[:], uint64(len(s)))
	k.h.Write(n[:])
	k.h.Write([]byte(s))
}

// Document adds the document of op, by its digest (DocumentDigest).
func (k CacheKey) Document(op *graphql.OperationContext) {
	digest := digestOf(op)
	k.h.Write(digest[:])
}

// Variables adds the named variables of an operation, by name, with their values as JSON,
// or "unset" (not "null": an unset variable leaves an argument's default). ok is false
// when a value cannot be encoded; the key must not be used then.
func (k CacheKey) Variables(values map[string]any, names map[string]bool) (ok bool) {
	sorted := make([]string, 0, len(names))
	for name := range names {
		sorted = append(sorted, name)
	}
	slices.Sort(sorted)
	for _, name := range sorted {
		k.Part(name)
		v, set := values[name]
		if !set {
			k.Part("unset")
			continue
		}
		encoded, err := json.Marshal(v)
		if err != nil {
			return false
		}
		k.Part(string(encoded))
	}
	return true
}

// Sum is the key.
func (k CacheKey) Sum() (key [sha256.Size]byte) {
	k.h.Sum(key[:0])
	return key
}
