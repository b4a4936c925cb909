package graph

import (
	"context"
	"errors"
	"fmt"

	"github.com/99designs/gqlgen/graphql"

	"filmgraph/apperr"
	"filmgraph/cypher"
	"filmgraph/graph/model"
	"filmgraph/graph/selection"
	"filmgraph/relay"
	"filmgraph/store"
)

// Apollo Federation: the entities a gateway asks for with `_entities(representations:)`
// (gqlgen's federation plugin, federation.go) are read as Query.nodes reads its ids: one
// statement for all the entities of one type (cypher.Nodes), so a request costs at most
// one statement per entity type, Movie and Person, whatever the number of representations
// (at most cypher.MaxPageSize of each).

// readEntities reads the entities of typeName named by global ids, in order; nil where none
// matches. An id of another type or no id at all is BAD_USER_INPUT.
func readEntities(ctx context.Context, s *store.Store, typeName string, ids []string) ([]model.Node, error) {
	refs := make([]cypher.NodeRef, len(ids))
	for i, id := range ids {
		t, key, err := relay.ParseID(id)
		if err != nil {
			return nil, err
		}
		if t != typeName {
			return nil, apperr.New(apperr.BadUserInput, "%q is not the id of a %s", id, typeName)
		}
		refs[i] = cypher.NodeRef{Type: t, Key: key}
	}
	stmt, err := cypher.Nodes(selection.Request(ctx), refs)
	if err != nil {
		return nil, err
	}
	rows, err := readAll(ctx, s, stmt)
	if err != nil || len(rows) == 0 {
		return nil, err
	}
	items, _ := rows[0].([]any)
	nodes := make([]model.Node, len(items))
	for i, item := range items {
		nodes[i] = model.NodeOf(model.AsRecord(item))
	}
	return nodes, nil
}

// entityTypes are the types `_entities` resolves.
var entityTypes = map[string]bool{"Movie": true, "Person": true}

// checkRepresentations is a root field middleware that refuses, before any statement, an
// `_entities` call with a representation that is not of an entity type with a string id:
// gqlgen would answer it with an uncoded error.
func checkRepresentations(ctx context.Context, next graphql.RootResolver) graphql.Marshaler {
	fc := graphql.GetRootFieldContext(ctx)
	if fc == nil || fc.Object != "_entities" {
		return next(ctx)
	}
	args := fc.Field.ArgumentMap(graphql.GetOperationContext(ctx).Variables)
	reps, _ := args["representations"].([]any)
	for i, rep := range reps {
		r, _ := rep.(map[string]any)
		typeName, _ := r["__typename"].(string)
		_, hasID := r["id"].(string)
		var err error
		switch {
		case !entityTypes[typeName]:
			err = fmt.Errorf("representation %d: __typename %q is not an entity of this subgraph (Movie, Person)", i, typeName)
		case !hasID:
			err = errors.New("representation " + fmt.Sprint(i) + ": a " + typeName + " is keyed by its `id`, a string")
		}
		if err != nil {
			graphql.AddError(ctx, apperr.New(apperr.BadUserInput, "%s", err.Error()))
			return graphql.Null
		}
	}
	return next(ctx)
}
