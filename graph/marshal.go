package graph

import (
	"context"
	"io"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
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

// objectJSON is what an object's marshaler returns once its fields are resolved (the
// generator puts it where gqlgen returns the object's *graphql.FieldSet): the same JSON
// object, written without what graphql.FieldSet.MarshalGQL allocates for each object (a
// map of the names written) and each field (a copy of its CollectedField). fields are the
// object's collected fields, which out holds the values of.
func objectJSON(fields []graphql.CollectedField, out *graphql.FieldSet) graphql.Marshaler {
	return &object{fields: fields, values: out.Values}
}

// object is a resolved object: field i's response name is fields[i].Alias, its value
// values[i].
type object struct {
	fields []graphql.CollectedField
	values []graphql.Marshaler
}

// MarshalGQL writes the object as gqlgen does: each response name once, the first time it
// occurs. A response name is a GraphQL name ([_A-Za-z][_0-9A-Za-z]*), which JSON quotes as
// it is.
func (o *object) MarshalGQL(w io.Writer) {
	io.WriteString(w, "{")
	var seen map[string]bool // the names written, for an object of many fields
	if len(o.fields) > scanFields {
		seen = make(map[string]bool, len(o.fields))
	}
	written := 0
	for i := range o.fields {
		alias := o.fields[i].Alias
		if seen != nil && seen[alias] || seen == nil && o.before(i, alias) {
			continue
		}
		if seen != nil {
			seen[alias] = true
		}
		if written > 0 {
			io.WriteString(w, ",")
		}
		written++
		io.WriteString(w, `"`)
		io.WriteString(w, alias)
		io.WriteString(w, `":`)
		o.values[i].MarshalGQL(w)
	}
	io.WriteString(w, "}")
}

// scanFields is how many fields an object may have for MarshalGQL to find a repeated
// response name by scanning the fields before it, which costs no allocation; past it, a
// map (FILMGRAPH_MAX_SELECTION_FIELDS lets a selection set have up to 200 by default).
const scanFields = 32

// before reports whether a field before field i has the response name alias.
func (o *object) before(i int, alias string) bool {
	for j := range i {
		if o.fields[j].Alias == alias {
			return true
		}
	}
	return false
}

// resolveField is gqlgen's graphql.ResolveField, which the generator puts in its place (same
// arguments), with three allocations fewer for each field of a response, most of which
// are scalars read from a map: the resolver goes to the field middleware as it is, not in
// a closure that moves the context to the heap, and the result that the field context
// keeps is the value the resolver returned, not a second boxing of it.
//
// One thing differs: gqlgen marshals the field's children under the context that a field
// interceptor handed on to the resolver, this function under the field's own. filmgraph
// installs no field interceptor (graph.NewHandler's extensions intercept operations,
// responses and root fields only); one that must pass a context to the children needs
// gqlgen's function back.
func resolveField[T any](
	ctx context.Context,
	oc *graphql.OperationContext,
	field graphql.CollectedField,
	initializeFieldContext func(ctx context.Context, field graphql.CollectedField) (*graphql.FieldContext, error),
	fieldResolver func(ctx context.Context) (any, error),
	middlewareChain func(ctx context.Context, next graphql.Resolver) graphql.Resolver,
	marshal func(ctx context.Context, sel ast.SelectionSet, v T) graphql.Marshaler,
	recoverFromPanic bool,
	nonNull bool,
) (ret graphql.Marshaler) {
	fc, err := initializeFieldContext(ctx, field)
	if err != nil {
		return graphql.Null
	}
	ctx = graphql.WithFieldContext(ctx, fc)
	if recoverFromPanic {
		defer func() {
			if r := recover(); r != nil {
				oc.Error(ctx, oc.Recover(ctx, r))
				ret = graphql.Null
			}
		}()
	}
	resolver := graphql.Resolver(fieldResolver)
	if middlewareChain != nil {
		resolver = middlewareChain(ctx, resolver)
	}
	res, err := oc.ResolverMiddleware(ctx, resolver)
	if err != nil {
		oc.Error(ctx, graphql.AddFieldLocationToError(ctx, err))
		if fc.NonNull && !nonNull {
			return graphql.RequiredNull
		}
		return graphql.Null
	}
	if res == nil {
		if nonNull || fc.NonNull {
			graphql.AddInvalidNullError(ctx, "")
		}
		if fc.NonNull && !nonNull {
			return graphql.RequiredNull
		}
		return graphql.Null
	}
	if v, ok := res.(T); ok {
		fc.Result = res
		return marshal(ctx, field.Selections, v)
	}
	if m, ok := res.(graphql.Marshaler); ok {
		fc.Result = res
		return m
	}
	var t T
	oc.Errorf(ctx, `unexpected type %T from middleware/directive chain, should be %T`, res, t)
	return graphql.Null
}
