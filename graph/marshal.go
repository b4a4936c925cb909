package graph

import (
	"context"

	"github.com/99designs/gqlgen/graphql"
)

// marshalList marshals the elements of a list one after the other in the caller's
// goroutine. The generator (graph/generate) puts it where gqlgen calls
// graphql.MarshalSliceConcurrently, which starts a goroutine per element: every element of
// every list of filmgraph is read from the map its top-level field's statement returned, so
// those goroutines bought no parallelism and cost a start, a stack growth and a wait each
// (about 60 per movie page). Its signature is MarshalSliceConcurrently's; workerLimit has
// nothing to limit here.
//
// As in gqlgen, each element has a field context of its own (the index in its path, which
// an error or a deferred fragment under it keeps), and a panic while marshalling one
// element is that element's error, its value null.
func marshalList(ctx context.Context, length int, _ int64, omitPanicHandler bool,
	marshalElement func(ctx context.Context, i int) graphql.Marshaler) graphql.Array {
	ret := make(graphql.Array, length)
	for i := range length {
		childCtx := graphql.WithFieldContext(ctx, &graphql.FieldContext{Index: &i})
		if omitPanicHandler {
			ret[i] = marshalElement(childCtx, i)
			continue
		}
		ret[i] = marshalRecovering(childCtx, i, marshalElement)
	}
	return ret
}

// marshalRecovering marshals element i, turning a panic into the element's error.
func marshalRecovering(ctx context.Context, i int, marshalElement func(ctx context.Context, i int) graphql.Marshaler) (ret graphql.Marshaler) {
	defer func() {
		if r := recover(); r != nil {
			graphql.AddError(ctx, graphql.Recover(ctx, r))
			ret = graphql.Null
		}
	}()
	return marshalElement(ctx, i)
}

// deferredGroup is gqlgen's graphql.NewDeferredGroup for an object of which fields (its
// collected fields) include one under @defer, and an empty group otherwise. The generator
// (graph/generate) puts it where gqlgen makes a group for every object it marshals: the
// group's path alone costs an allocation per level of nesting, for each of the hundreds of
// objects of a page, while only the fields that are deferred ever use the group
// (graphql.FieldSet.ResolveConcurrently), and an empty group has nothing to process.
func deferredGroup(ctx context.Context, fields []graphql.CollectedField) graphql.DeferredGroup {
	for _, f := range fields {
		if f.IsDeferred() {
			return graphql.NewDeferredGroup(ctx)
		}
	}
	return graphql.DeferredGroup{}
}
