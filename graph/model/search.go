package model

import (
	"context"

	"filmgraph/cypher"
)

// SearchResult is one hit of Query.search.
type SearchResult struct{ Record }

func (s SearchResult) Score(ctx context.Context) float64 {
	f := s.optFloat(ctx)
	if f == nil {
		return 0
	}
	return *f
}

func (s SearchResult) Item(ctx context.Context) SearchItem {
	switch item := s.record(ctx); item[cypher.KeyType] {
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
