package model

import (
	"context"

	"filmgraph/cypher"
)

// RecommendationConnection is a page of recommendations.
type RecommendationConnection struct{ connection }

// NewRecommendationConnection wraps a projected recommendation connection.
func NewRecommendationConnection(r Record) *RecommendationConnection {
	return &RecommendationConnection{connection{r}}
}

// Edges are the recommendations of the page with their cursors.
func (c RecommendationConnection) Edges(ctx context.Context) []*RecommendationEdge {
	return edgesOf[RecommendationEdge](ctx, c.connection)
}

// RecommendationEdge is a recommendation in a connection.
type RecommendationEdge struct{ edge }

// Node is the recommendation.
func (e RecommendationEdge) Node(ctx context.Context) *Recommendation {
	return &Recommendation{e.record(ctx)}
}

// Recommendation is a recommended film with its score and reasons.
type Recommendation struct{ Record }

// Movie is the film recommended.
func (r Recommendation) Movie(ctx context.Context) *Movie { return NewMovie(r.record(ctx)) }

// Score is the film's relevance in its list.
func (r Recommendation) Score(ctx context.Context) (float64, error) { return r.float(ctx) }

// Reasons explain the recommendation.
func (r Recommendation) Reasons(ctx context.Context) []*RecommendationReason {
	return wrapAll(r.records(ctx), func(rec Record) *RecommendationReason { return &RecommendationReason{rec} })
}

// RecommendationReason is one reason a film was recommended.
type RecommendationReason struct{ Record }

// Kind is the reason's kind.
func (r RecommendationReason) Kind(ctx context.Context) (RecommendationReasonKind, error) {
	s, err := r.string(ctx)
	return RecommendationReasonKind(s), err
}

// Text is the reason in words.
func (r RecommendationReason) Text(ctx context.Context) (string, error) { return r.string(ctx) }

// Via is the node the reason goes through, typed by the projection's KeyType.
func (r RecommendationReason) Via(ctx context.Context) RecommendationVia {
	rec := r.record(ctx)
	switch rec[cypher.KeyType] {
	case "Movie":
		return NewMovie(rec)
	case "Person":
		return NewPerson(rec)
	case "Genre":
		return NewGenre(rec)
	case "Tag":
		return &Tag{rec}
	}
	return nil
}

// Tag is a tag users gave to films.
type Tag struct{ Record }

// Name is the tag.
func (t Tag) Name(ctx context.Context) (string, error) { return t.string(ctx) }

func (Movie) IsRecommendationVia()  {}
func (Person) IsRecommendationVia() {}
func (Genre) IsRecommendationVia()  {}
func (Tag) IsRecommendationVia()    {}

// Recommended was ranked and paged by the Cypher statement; the arguments are applied.
func (m Movie) Recommended(ctx context.Context, first *int64, after *string, last *int64, before *string, strategy *RecommendationStrategy) *RecommendationConnection {
	return NewRecommendationConnection(m.record(ctx))
}
