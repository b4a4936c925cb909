package graph

import (
	"context"
	"strconv"

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
	return readOne(ctx, s, stmt)
}

// readForViewer translates the field being resolved, which the viewer viewerID reads of
// itself, and runs it; a viewer that no longer exists is UNAUTHENTICATED (see
// store.ReadForViewer). The statement is cached (r.Translations) for the same viewer and
// variables, so translate must depend only on the request and the viewer.
func readForViewer(ctx context.Context, r *Resolver, viewerID int64, translate func(cypher.Request) (cypher.Statement, error)) (model.Record, error) {
	stmt, err := selection.Whole(ctx, r.Translations, "for viewer "+strconv.FormatInt(viewerID, 10), translate)
	if err != nil {
		return nil, err
	}
	if joint, field := rootJoint(ctx); joint != nil {
		return joint.ReadForViewer(ctx, field, stmt, viewerID)
	}
	return r.Store.ReadForViewer(ctx, stmt, viewerID)
}

// readTop translates the top-level field being resolved, which takes no key, with its typed
// arguments args and runs it. The statement is cached (r.Translations) for the same
// variables and viewer: args are decoded from them, so they add nothing to the key.
func readTop[A any](ctx context.Context, r *Resolver, translate func(cypher.Request, A) (cypher.Statement, error), args A) (model.Record, error) {
	stmt, err := selection.Whole(ctx, r.Translations, "top", func(req cypher.Request) (cypher.Statement, error) {
		return translate(req, args)
	})
	if err != nil {
		return nil, err
	}
	return readOne(ctx, r.Store, stmt)
}

// genreByID resolves a Genre global id, whose key is the genre's name.
func (r *queryResolver) genreByID(ctx context.Context, id string) (*model.Genre, error) {
	typeName, name, err := relay.ParseID(id)
	if err != nil || typeName != "Genre" {
		return nil, err
	}
	return r.Genre(ctx, name)
}

// readEntity is read for the entity reads whose statements r.Translations caches: kind names
// translate, which puts its key in cypher.EntityKeyParam only (see selection.Entity).
func readEntity[K any](ctx context.Context, r *Resolver, kind string, translate func(cypher.Request, K) (cypher.Statement, error), key K) (model.Record, error) {
	return readStatement(ctx, r.Store, func() (cypher.Statement, error) {
		return selection.Entity(ctx, r.Translations, kind, translate, key)
	})
}
