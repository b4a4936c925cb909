package graph

import (
	"bytes"
	"context"
	"io"
	"sync"
	"sync/atomic"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

// Pure data: below a top-level field, an object's fields are read from the map its
// statement returned (package model), so for most of them gqlgen's per-field machinery (a
// field context, the middleware chain, a resolver call, a marshaler and the object's field
// set, per field of each object) only copies values. The generator (graph/generate,
// puredata_gen.go) gives each object type of package model a plan and a JSON writer; the
// object's marshaler _T tries them first (pureData_T) and takes gqlgen's path when they
// decline, which they do before writing anything the client sees:
//
//   - when a selected field is not pure data (a resolver, a directive, a field under
//     @defer, an interface or a union one of whose implementors is not pure data on the
//     selection): the object goes through gqlgen, whose marshalers of the object's
//     children try this path again;
//   - when gqlgen would report an error or a null in a non-null position: the object goes
//     through gqlgen, which reports the error and propagates the null as it always did.
//
// The plan is built once per object's selection (for a list, once for all elements):
// gqlgen's graphql.CollectFields applies fragments, type conditions, @skip and @include,
// and gqlgen's fieldContext functions decode each field's arguments. Leaves are written by
// gqlgen's own marshalers (enums, ID, Float, times). Limits, deadlines and complexity are
// checked before any field runs; nothing here changes them.

// pureDataPlan is how to write one selection on one object type.
type pureDataPlan struct {
	fields []graphql.CollectedField
	// keys[i] is what precedes field i's value: its response name, quoted, after a comma
	// unless it comes first; "" when an earlier field has the same response name (gqlgen
	// writes the first only, see object.MarshalGQL).
	keys []string
	// ctxs[i] is field i's context: its graphql.FieldContext, by which the model's
	// methods find their response name and arguments.
	ctxs []context.Context
	// children[i] is the plan of field i's object, interface or union type (of its
	// elements, for a list).
	children []*pureDataPlan
	// cases are, in the plan of an interface or a union (which has no fields), the plans
	// of its implementors, in the order its generated writer expects.
	cases []*pureDataPlan
	// size is the size of the last object written, which the next one likely has.
	size atomic.Int64
}

func newPureDataPlan(fields []graphql.CollectedField) *pureDataPlan {
	p := &pureDataPlan{
		fields:   fields,
		keys:     make([]string, len(fields)),
		ctxs:     make([]context.Context, len(fields)),
		children: make([]*pureDataPlan, len(fields)),
	}
	written := 0
	for i := range fields {
		if (&object{fields: fields}).before(i, fields[i].Alias) {
			continue
		}
		key := `"` + fields[i].Alias + `":` // a GraphQL name, which JSON quotes as it is
		if written > 0 {
			key = "," + key
		}
		p.keys[i] = key
		written++
	}
	return p
}

// set records field i's context and, for an object type, its plan.
func (p *pureDataPlan) set(i int, ctx context.Context, child *pureDataPlan) {
	p.ctxs[i] = ctx
	p.children[i] = child
}

// pureDataOff turns the path off (tests compare both paths' bytes; see SetPureData).
var pureDataOff atomic.Bool

// SetPureData turns the pure-data path on (the default) or off, for tests that compare
// its responses with gqlgen's.
func SetPureData(on bool) { pureDataOff.Store(!on) }

// pureDataWrites counts the objects written by the path (see PureDataWrites).
var pureDataWrites atomic.Int64

// PureDataWrites is how many objects the pure-data path has written since the start, so
// that a test can tell that it ran.
func PureDataWrites() int64 { return pureDataWrites.Load() }

// writePureData writes obj, an object of type typ selected by sel, with its type's plan
// (built by plan, or the operation's if it has one) and writer, or returns nil when the
// object must take gqlgen's path: the plan is nil, or write declined, reported an error
// (a marshaler's or an argument's) or panicked. Errors go to the plans' own response
// context, never to the client's: gqlgen's path reports them again, at their place.
// plan and write are the type's methods (method expressions, which cost no closure).
func writePureData[T any](ec *executionContext, ctx context.Context, typ string, sel ast.SelectionSet, obj T,
	plan func(*executionContext, context.Context, ast.SelectionSet) *pureDataPlan,
	write func(*executionContext, *bytes.Buffer, *pureDataPlan, T) bool) (m graphql.Marshaler) {
	if pureDataOff.Load() || len(sel) == 0 {
		return nil
	}
	defer func() {
		if recover() != nil {
			m = nil
		}
	}()
	plans, _ := ctx.Value(pureDataPlansKey{}).(*pureDataPlans)
	if plans == nil {
		plans = &pureDataPlans{}
	}
	p := plans.plan(ec, ctx, typ, sel, plan)
	if p == nil {
		return nil
	}
	errors := plans.errors.Load()
	out := new(pureJSON)
	out.Grow(int(p.size.Load()))
	if !write(ec, &out.Buffer, p, obj) || plans.errors.Load() != errors {
		return nil
	}
	p.size.Store(int64(out.Len()))
	pureDataWrites.Add(1)
	return out
}

// pureDataPlans are the plans of one operation, by selection and type, nil for the
// selections that are not pure data: a list's elements share their plan.
type pureDataPlans struct {
	mu    sync.Mutex
	plans map[pureDataKey]*pureDataPlan
	// errors counts the errors reported under the plans' contexts (their response
	// context's error presenter).
	errors atomic.Int64
}

// pureDataKey is a selection (its first element's address, which no other selection of
// the operation's document shares) on an object type.
type pureDataKey struct {
	sel *ast.Selection
	typ string
}

// plan is sel's plan on typ, built by build the first time.
func (ps *pureDataPlans) plan(ec *executionContext, ctx context.Context, typ string, sel ast.SelectionSet,
	build func(*executionContext, context.Context, ast.SelectionSet) *pureDataPlan) *pureDataPlan {
	ps.mu.Lock()
	defer ps.mu.Unlock()
	key := pureDataKey{&sel[0], typ}
	if p, ok := ps.plans[key]; ok {
		return p
	}
	p := build(ec, graphql.WithResponseContext(ctx, ps.presentError, nil), sel)
	if ps.plans == nil {
		ps.plans = map[pureDataKey]*pureDataPlan{}
	}
	ps.plans[key] = p
	return p
}

// presentError counts an error reported under a plan's context: the object being
// written then takes gqlgen's path.
func (ps *pureDataPlans) presentError(_ context.Context, err error) *gqlerror.Error {
	ps.errors.Add(1)
	return &gqlerror.Error{Err: err, Message: "declined"}
}

// pureDataExtension is the handler extension that gives each response its pureDataPlans.
type pureDataExtension struct{}

type pureDataPlansKey struct{}

var _ interface {
	graphql.HandlerExtension
	graphql.ResponseInterceptor
} = pureDataExtension{}

func (pureDataExtension) ExtensionName() string                   { return "filmgraph/pureDataPlans" }
func (pureDataExtension) Validate(graphql.ExecutableSchema) error { return nil }

func (pureDataExtension) InterceptResponse(ctx context.Context, next graphql.ResponseHandler) *graphql.Response {
	return next(context.WithValue(ctx, pureDataPlansKey{}, &pureDataPlans{}))
}

// pureJSON is an object that writePureData wrote.
type pureJSON struct{ bytes.Buffer }

func (j *pureJSON) MarshalGQL(w io.Writer) { w.Write(j.Bytes()) }
