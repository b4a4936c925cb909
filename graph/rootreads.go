package graph

import (
	"context"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"

	"filmgraph/cypher"
	"filmgraph/store"
)

// One statement per query: gqlgen resolves a query's root fields concurrently, and each
// reads one statement. Run apart, each statement costs Neo4j a transaction and the driver
// a session, a round trip and goroutines, which for the browse page's two root fields cost
// more than the reads. So a query with several root fields gets a store.Joint, which runs
// the reads of the root fields as one statement once every root field waits for its read
// or has finished.

// combineRootReads is the handler extension that gives such a query its store.Joint and
// tells it when each root field has finished.
type combineRootReads struct{ store *store.Store }

var _ interface {
	graphql.HandlerExtension
	graphql.ResponseInterceptor
	graphql.RootFieldInterceptor
} = combineRootReads{}

func (combineRootReads) ExtensionName() string                   { return "filmgraph/combineRootReads" }
func (combineRootReads) Validate(graphql.ExecutableSchema) error { return nil }

type jointKey struct{}

// InterceptResponse gives a query with more than one root field its Joint, whose parties
// are the fields the generated _Query resolves through the root field middleware: all it
// collects, by the same call, but __typename.
func (e combineRootReads) InterceptResponse(ctx context.Context, next graphql.ResponseHandler) *graphql.Response {
	if !graphql.HasOperationContext(ctx) || e.store == nil {
		return next(ctx) // a request that failed before it had an operation
	}
	oc := graphql.GetOperationContext(ctx)
	if oc.Operation == nil || oc.Operation.Operation != ast.Query {
		return next(ctx)
	}
	if sel := oc.Operation.SelectionSet; len(sel) == 1 {
		if _, ok := sel[0].(*ast.Field); ok {
			return next(ctx) // one field, most queries: not worth collecting
		}
	}
	fields := 0
	for _, field := range graphql.CollectFields(oc, oc.Operation.SelectionSet, []string{"Query"}) {
		if field.Name != "__typename" {
			fields++
		}
	}
	if fields < 2 {
		return next(ctx)
	}
	return next(context.WithValue(ctx, jointKey{}, e.store.Joint(fields)))
}

// InterceptRootField tells the Joint when the field's whole subtree is resolved.
func (combineRootReads) InterceptRootField(ctx context.Context, next graphql.RootResolver) graphql.Marshaler {
	if joint, _ := ctx.Value(jointKey{}).(*store.Joint); joint != nil {
		defer joint.Done(ctx)
	}
	return next(ctx)
}

// rootJoint returns the query's Joint when a root field resolves, with the field's name.
func rootJoint(ctx context.Context) (joint *store.Joint, field string) {
	joint, _ = ctx.Value(jointKey{}).(*store.Joint)
	if fc := graphql.GetFieldContext(ctx); joint != nil && fc != nil && fc.Object == "Query" {
		return joint, fc.Field.Alias
	}
	return nil, ""
}

// readOne runs stmt as s.ReadOne does, through the query's Joint when a root field reads.
func readOne(ctx context.Context, s *store.Store, stmt cypher.Statement) (map[string]any, error) {
	if joint, field := rootJoint(ctx); joint != nil {
		return joint.ReadOne(ctx, field, stmt)
	}
	return s.ReadOne(ctx, stmt)
}

// readAll runs stmt as s.ReadAll does, through the query's Joint when a root field reads.
func readAll(ctx context.Context, s *store.Store, stmt cypher.Statement) ([]any, error) {
	if joint, field := rootJoint(ctx); joint != nil {
		return joint.ReadAll(ctx, field, stmt)
	}
	return s.ReadAll(ctx, stmt)
}
