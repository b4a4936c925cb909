package graph

import (
	"context"

	"filmgraph/cypher"
	"filmgraph/graph/model"
	"filmgraph/relay"
	"filmgraph/store"
)

// read translates the current field for the entity with key and runs the statement.
func read[K any](ctx context.Context, s *store.Store, translate func(context.Context, K) (cypher.Statement, error), key K) (model.Record, error) {
	stmt, err := translate(ctx, key)
	if err != nil {
		return nil, err
	}
	return s.ReadOne(ctx, stmt)
}

// readForViewer translates the current field, which the viewer viewerID reads of itself,
// and runs it; a viewer that no longer exists is UNAUTHENTICATED (see store.ReadForViewer).
func readForViewer(ctx context.Context, s *store.Store, translate func(context.Context, int64) (cypher.Statement, error), viewerID int64) (model.Record, error) {
	stmt, err := translate(ctx, viewerID)
	if err != nil {
		return nil, err
	}
	return s.ReadForViewer(ctx, stmt, viewerID)
}

// readTop translates the current top-level field, which takes no key, and runs it.
func readTop(ctx context.Context, s *store.Store, translate func(context.Context) (cypher.Statement, error)) (model.Record, error) {
	stmt, err := translate(ctx)
	if err != nil {
		return nil, err
	}
	return s.ReadOne(ctx, stmt)
}

// genreByID resolves a Genre global id, whose key is the genre's name.
func (r *queryResolver) genreByID(ctx context.Context, id string) (*model.Genre, error) {
	typeName, name, err := relay.ParseID(id)
	if err != nil || typeName != "Genre" {
		return nil, err
	}
	return r.Genre(ctx, name)
}
