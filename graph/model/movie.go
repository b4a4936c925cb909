package model

import (
	"context"
	"strconv"

	"filmgraph/relay"
)

func formatInt(n int64) string { return strconv.FormatInt(n, 10) }

// Movie is a film, as projected by cypher.Movie and nested film fields.
type Movie struct{ Record }

// NewMovie wraps a projected film; nil for a missing one.
func NewMovie(r Record) *Movie {
	if r == nil {
		return nil
	}
	return &Movie{r}
}

func (Movie) IsNode()                                     {}
func (m Movie) GetID() string                             { return relay.ID("Movie", m.key()) }
func (m Movie) ID() string                                { return m.GetID() }
func (m Movie) MovieLensID(ctx context.Context) *int64    { return m.optInt(ctx) }
func (m Movie) Title(ctx context.Context) (string, error) { return m.string(ctx) }
func (m Movie) Year(ctx context.Context) *int64           { return m.optInt(ctx) }
func (m Movie) Synopsis(ctx context.Context) *string      { return m.optString(ctx) }
func (m Movie) Plot(ctx context.Context) *string          { return m.optString(ctx) }
func (m Movie) Cover(ctx context.Context) *Image          { return newImage(m.record(ctx)) }
func (m Movie) Genres(ctx context.Context) []*Genre       { return entities[Genre](m.records(ctx)) }
func (m Movie) Directors(ctx context.Context) []*Person   { return entities[Person](m.records(ctx)) }
func (m Movie) RatingSummary(ctx context.Context) *RatingSummary {
	return &RatingSummary{m.record(ctx)}
}

// Cast is the credited cast; first was applied by the Cypher statement.
func (m Movie) Cast(ctx context.Context, first *int64) []*CastCredit {
	return wrapAll(m.records(ctx), func(r Record) *CastCredit { return &CastCredit{r} })
}

// CastCredit is one actor's billing in a film.
type CastCredit struct{ Record }

func (c CastCredit) Order(ctx context.Context) (int64, error) { return c.int(ctx) }
func (c CastCredit) Person(ctx context.Context) *Person       { return NewPerson(c.record(ctx)) }

// Image is a picture with its size and caption.
type Image struct{ Record }

func newImage(r Record) *Image {
	if r == nil {
		return nil
	}
	return &Image{r}
}

// ID is one per film and use: the projection carries "movieId:use".
func (i Image) ID(ctx context.Context) (string, error)  { return idOf(ctx, "Image", i.Record) }
func (i Image) URL(ctx context.Context) (string, error) { return i.string(ctx) }
func (i Image) Width(ctx context.Context) *int64        { return i.optInt(ctx) }
func (i Image) Height(ctx context.Context) *int64       { return i.optInt(ctx) }
func (i Image) Caption(ctx context.Context) *string     { return i.optString(ctx) }

// RatingSummary aggregates a film's ratings.
type RatingSummary struct{ Record }

// ID is one per film: the projection carries the film's key under the field's name.
func (s RatingSummary) ID(ctx context.Context) (string, error) {
	n, err := s.int(ctx)
	return relay.ID("RatingSummary", formatInt(n)), err
}
func (s RatingSummary) Average(ctx context.Context) *float64     { return s.optFloat(ctx) }
func (s RatingSummary) Count(ctx context.Context) (int64, error) { return s.int(ctx) }

// Tags are the film's most used tags; first was applied by the Cypher statement.
func (m Movie) Tags(ctx context.Context, first *int64) []*TagCount {
	return wrapAll(m.records(ctx), func(r Record) *TagCount { return &TagCount{r} })
}

// TagCount is a tag with how often users gave it to a film.
type TagCount struct{ Record }

func (t TagCount) Name(ctx context.Context) (string, error) { return t.string(ctx) }
func (t TagCount) Count(ctx context.Context) (int64, error) { return t.int(ctx) }

// Histogram counts ratings per score 1..10.
func (s RatingSummary) Histogram(ctx context.Context) []int64 {
	values, _ := s.get(ctx).([]any)
	out := make([]int64, len(values))
	for i, v := range values {
		out[i], _ = v.(int64)
	}
	return out
}

func (Movie) IsSearchItem() {}
