// Package model holds the GraphQL types. Each wraps the map that the type's Cypher
// projection returned (see package cypher) and reads its fields by response name, so a
// field selected twice under different aliases with different arguments reads its own value.
package model

import (
	"context"
	"fmt"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/neo4j/neo4j-go-driver/v5/neo4j/dbtype"

	"filmgraph/apperr"
	"filmgraph/cypher"
	"filmgraph/relay"
)

// Record is one object of a Cypher result: response names (aliases) to values.
type Record map[string]any

// AsRecord returns v as a Record, or nil when v is not a map (e.g. null).
func AsRecord(v any) Record {
	m, _ := v.(map[string]any)
	return m
}

// responseName is the alias of the field being resolved.
func responseName(ctx context.Context) string {
	return graphql.GetFieldContext(ctx).Field.Alias
}

func (r Record) get(ctx context.Context) any { return r[responseName(ctx)] }

// The getters of non-null values report a value the projection lacks as an error, a
// translation's bug, rather than answer "" or 0 for it.

func (r Record) string(ctx context.Context) (string, error) {
	s, ok := r.get(ctx).(string)
	if !ok {
		return "", missing(ctx)
	}
	return s, nil
}

func (r Record) optString(ctx context.Context) *string {
	if s, ok := r.get(ctx).(string); ok {
		return &s
	}
	return nil
}

func (r Record) int(ctx context.Context) (int64, error) {
	n, ok := r.get(ctx).(int64)
	if !ok {
		return 0, missing(ctx)
	}
	return n, nil
}

// missing is the error of a non-null field whose value the projection lacks. The client
// sees an internal error; the log names the field.
func missing(ctx context.Context) error {
	fc := graphql.GetFieldContext(ctx)
	return apperr.Wrap(apperr.Internal, fmt.Errorf("model: the projection has no value for %s.%s (response name %q)",
		fc.Object, fc.Field.Name, fc.Field.Alias), "internal error")
}

// idOf is the global id of typeName whose key the projection carries under the field's
// response name.
func idOf(ctx context.Context, typeName string, r Record) (string, error) {
	key, err := r.string(ctx)
	return relay.ID(typeName, key), err
}

func (r Record) optInt(ctx context.Context) *int64 {
	if n, ok := r.get(ctx).(int64); ok {
		return &n
	}
	return nil
}

func (r Record) float(ctx context.Context) (float64, error) {
	f := r.optFloat(ctx)
	if f == nil {
		return 0, missing(ctx)
	}
	return *f, nil
}

func (r Record) optFloat(ctx context.Context) *float64 {
	switch n := r.get(ctx).(type) {
	case float64:
		return &n
	case int64:
		f := float64(n)
		return &f
	}
	return nil
}

func (r Record) optTime(ctx context.Context) *time.Time {
	switch t := r.get(ctx).(type) {
	case time.Time:
		return &t
	case dbtype.LocalDateTime:
		v := t.Time()
		return &v
	case dbtype.Date:
		v := t.Time()
		return &v
	}
	return nil
}

// record is the object under the current field. Not inlined, so that its callers (NewT of
// it) are: the pure-data path's writers then keep the *T they read on their stack.
//
//go:noinline
func (r Record) record(ctx context.Context) Record { return AsRecord(r.get(ctx)) }

func (r Record) records(ctx context.Context) []Record {
	items, _ := r.get(ctx).([]any)
	out := make([]Record, len(items))
	for i, item := range items {
		out[i] = AsRecord(item)
	}
	return out
}

// entities wraps each projected entity of records as a T (nil for a missing one, as
// NewGenre and NewPerson do), all of them in one allocation rather than one each: a page
// of films wraps each film's genres and directors.
func entities[T ~struct{ Record }](records []Record) []*T {
	backing := make([]T, len(records))
	out := make([]*T, len(records))
	for i, rec := range records {
		if rec != nil {
			backing[i] = T{rec}
			out[i] = &backing[i]
		}
	}
	return out
}

// wrapAll wraps each record with wrap.
func wrapAll[T any](records []Record, wrap func(Record) *T) []*T {
	out := make([]*T, len(records))
	for i, rec := range records {
		out[i] = wrap(rec)
	}
	return out
}

// key is the entity key that every entity projection carries.
func (r Record) key() string {
	switch k := r[cypher.KeyID].(type) {
	case string:
		return k
	case int64:
		return formatInt(k)
	}
	return ""
}
