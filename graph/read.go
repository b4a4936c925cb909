package graph

import (
	"context"

	"filmgraph/cypher"
	"filmgraph/graph/model"
	"filmgraph/graph/selection"
	"filmgraph/relay"
	"filmgraph/store"
)

// read translates the field being resolved with its key or typed arguments and runs the
// statement.
func read[K any](ctx context.Context, s *store.Store, translate func(cypher.Request, K) (cypher.Statement, error), key K) (model.Record, error) {
	req := selection.Request(ctx)
	return readStatement(ctx, s, func() (cypher.Statement, error) { return translate(req, key) })
}

// readStatement runs the statement translate returns.
func readStatement(ctx context.Context, s *store.Store, translate func() (cypher.Statement, error)) (model.Record, error) {
	stmt, err := translate()
	if err != nil {
		return nil, err
	}
	return s.ReadOne(ctx, stmt)
}

// readForViewer translates the field being resolved, which the viewer viewerID reads of
// itself, and runs it; a viewer that no longer exists is UNAUTHENTICATED (see
// store.ReadForViewer).
func readForViewer(ctx context.Context, s *store.Store, viewerID int64, translate func(cypher.Request) (cypher.Statement, error)) (model.Record, error) {
	stmt, err := translate(selection.Request(ctx))
	if err != nil {
		return nil, err
	}
	return s.ReadForViewer(ctx, stmt, viewerID)
}

// genreByID resolves a Genre global id, whose key is the genre's name.
func (r *queryResolver) genreByID(ctx context.Context, id string) (*model.Genre, error) {
	typeName, name, err := relay.ParseID(id)
	if err != nil || typeName != "Genre" {
		return nil, err
	}
	return r.Genre(ctx, name)
}
