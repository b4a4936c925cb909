package model

import (
	"context"

	"filmgraph/cypher"
)

// SearchConnection is a page of Query.search's hits.
type SearchConnection struct{ connection }

// NewSearchConnection wraps a projected search connection.
func NewSearchConnection(r Record) *SearchConnection { return &SearchConnection{connection{r}} }

func (c SearchConnection) Edges(ctx context.Context) []*SearchEdge {
	return edgesOf[SearchEdge](ctx, c.connection)
}

// SearchEdge is one hit with its relevance.
type SearchEdge struct{ edge }

func (e SearchEdge) Score(ctx context.Context) (float64, error) { return e.float(ctx) }

func (e SearchEdge) Node(ctx context.Context) SearchItem {
	switch item := e.record(ctx); item[cypher.KeyType] {
	case "Movie":
		return NewMovie(item)
	case "Person":
		return NewPerson(item)
	}
	return nil
}

// NodeOf wraps a projection typed with cypher.KeyType as the matching Node type; nil when
// the record is nil or of no known type.
func NodeOf(r Record) Node {
	switch r[cypher.KeyType] {
	case "Movie":
		return NewMovie(r)
	case "Person":
		return NewPerson(r)
	case "Genre":
		return NewGenre(r)
	case "User":
		return NewUser(r)
	case "Review":
		return NewReview(r)
	case "Comment":
		return NewComment(r)
	case "UserList":
		return NewUserList(r)
	case "SynopsisSubmission":
		return NewSynopsisSubmission(r)
	case "Tag":
		return NewTag(r)
	}
	return nil
}
