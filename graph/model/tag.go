package model

import (
	"context"

	"filmgraph/relay"
)

// NewTag wraps a projected tag; nil for a missing one.
func NewTag(r Record) *Tag {
	if r == nil {
		return nil
	}
	return &Tag{r}
}

func (Tag) IsNode()                                         {}
func (t Tag) GetID() string                                 { return relay.ID("Tag", t.key()) }
func (t Tag) ID() string                                    { return t.GetID() }
func (t Tag) MovieCount(ctx context.Context) (int64, error) { return t.int(ctx) }

// Movies were paged by the Cypher statement.
func (t Tag) Movies(ctx context.Context, first *int64, after *string, last *int64, before *string) *MovieConnection {
	return &MovieConnection{connection{t.record(ctx)}}
}

// Tag is the tag of a film's TagCount.
func (c TagCount) Tag(ctx context.Context) *Tag { return NewTag(c.record(ctx)) }
