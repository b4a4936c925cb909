package graph

import (
	"bytes"
	"context"
	"io"
	"strconv"
	"sync"
	"sync/atomic"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"filmgraph/graph/selection"
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
// The plan is built once per object's selection (for a list, once for all elements) and
// kept across operations (PureDataPlanCache): gqlgen's graphql.CollectFields applies
// fragments, type conditions, @skip and @include, and gqlgen's fieldContext functions
// decode each field's arguments. An interface or union field's plan holds a plan per
// implementor, and its writer picks the one of the model's concrete type. Leaves are written by
// gqlgen's own marshalers (enums, Float, times), except String, ID, Int and Boolean, which
// pureString, pureInt64 and pureBoolean write as those marshalers do without allocating
// one per value. Limits, deadlines and complexity are
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
	// errors counts, in the plan of an object written first (not in its children's), the
	// errors reported under the plan's contexts (see buildPureDataPlan).
	errors *atomic.Int64
	// cacheKey is, in a plan of PureDataPlanCache, its key there.
	cacheKey string
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

// set records field i's context and, for an object type, its plan. The context's Child
// (a closure over the executionContext that built the plan) is dropped: a cached plan
// keeps nothing of that operation, and the path needs no child field contexts.
func (p *pureDataPlan) set(i int, ctx context.Context, child *pureDataPlan) {
	graphql.GetFieldContext(ctx).Child = nil
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
// (built by plan, or the operation's or the cache's if they have one) and writer, or
// returns nil when the object must take gqlgen's path: the plan is nil, or write declined,
// reported an error (a marshaler's or an argument's) or panicked. Errors go to the plan's
// own response context, never to the client's: gqlgen's path reports them again, at their
// place. plan and write are the type's methods (method expressions, which cost no closure).
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
	p := plans.plan(ec, typ, sel, plan)
	if p == nil {
		return nil
	}
	errors := p.errors.Load()
	out := new(pureJSON)
	out.Grow(int(p.size.Load()))
	ok := write(ec, &out.Buffer, p, obj)
	if p.errors.Load() != errors {
		// The plan's response context keeps the errors reported under it: a cached plan
		// goes, lest a client grow it with projections that keep failing.
		plans.cache.drop(p)
		return nil
	}
	if !ok {
		return nil
	}
	p.size.Store(int64(out.Len()))
	pureDataWrites.Add(1)
	return out
}

// pureDataPlans are the plans of one operation, by selection and type, nil for the
// selections that are not pure data: a list's elements share their plan. They come from
// cache when it has them.
type pureDataPlans struct {
	mu    sync.Mutex
	plans map[pureDataKey]*pureDataPlan
	cache *PureDataPlanCache
}

// pureDataKey is a selection (its first element's address, which no other selection of
// the operation's document shares) on an object type.
type pureDataKey struct {
	sel *ast.Selection
	typ string
}

// plan is sel's plan on typ, from the cache or built by build the first time.
func (ps *pureDataPlans) plan(ec *executionContext, typ string, sel ast.SelectionSet,
	build func(*executionContext, context.Context, ast.SelectionSet) *pureDataPlan) *pureDataPlan {
	ps.mu.Lock()
	defer ps.mu.Unlock()
	key := pureDataKey{&sel[0], typ}
	if p, ok := ps.plans[key]; ok {
		return p
	}
	p := ps.cache.plan(ec, typ, sel, build)
	if ps.plans == nil {
		ps.plans = map[pureDataKey]*pureDataPlan{}
	}
	ps.plans[key] = p
	return p
}

// PureDataPlanCache keeps the plans of the pure-data path across operations, so that an
// operation asked again (the pages of any film, say) skips collecting its fields and
// decoding their arguments. A plan is a function of the document, the operation, the
// selection (named by its place in the document), the object type and the values of the
// variables that the selection reads (its @skip, @include and arguments): it is cached
// under all of them, so that no other document, operation or value of those variables
// shares it. It holds at most its number of entries and at most its bytes (as
// pureDataPlanCost estimates them), least recently used dropped first. A nil cache keeps
// nothing.
type PureDataPlanCache struct {
	entries *boundedCache[*pureDataPlan]
}

// NewPureDataPlanCache is a cache of at most entries plans and maxBytes in all.
func NewPureDataPlanCache(entries, maxBytes int) *PureDataPlanCache {
	return &PureDataPlanCache{newBoundedCache(entries, maxBytes, func(key string, p *pureDataPlan) int {
		return len(key) + pureDataPlanCost(p)
	})}
}

// Len is the number of plans cached (nil ones, of selections that are not pure data,
// included).
func (c *PureDataPlanCache) Len() int { return c.entries.Len() }

// plan is sel's plan on typ: the cached one or, on a miss, built (and cached).
func (c *PureDataPlanCache) plan(ec *executionContext, typ string, sel ast.SelectionSet,
	build func(*executionContext, context.Context, ast.SelectionSet) *pureDataPlan) *pureDataPlan {
	if c == nil {
		return buildPureDataPlan(ec, sel, nil, build)
	}
	names := selection.VariablesIn(ec.OperationContext.Doc, sel)
	key, ok := pureDataCacheKey(ec.OperationContext, typ, sel, names)
	if !ok {
		return buildPureDataPlan(ec, sel, names, build)
	}
	if p, hit := c.entries.Get(context.Background(), key); hit {
		return p
	}
	p := buildPureDataPlan(ec, sel, names, build)
	if p != nil {
		p.cacheKey = key
	}
	c.entries.Add(context.Background(), key, p)
	return p
}

// drop removes p from the cache, if it is there.
func (c *PureDataPlanCache) drop(p *pureDataPlan) {
	if c == nil || p.cacheKey == "" {
		return
	}
	c.entries.removeIf(p.cacheKey, func(cached *pureDataPlan) bool { return cached == p })
}

// pureDataCacheKey is what a plan of sel on typ is a function of; ok is false when sel
// has no place in the document or a variable cannot be encoded (it is not cached then).
func pureDataCacheKey(op *graphql.OperationContext, typ string, sel ast.SelectionSet, variables map[string]bool) (string, bool) {
	at := sel[0].GetPosition()
	if at == nil {
		return "", false
	}
	k := selection.NewCacheKey()
	k.Part("pureData")
	k.Document(op)
	k.Part(op.OperationName)
	k.Part(typ)
	k.Part(strconv.Itoa(at.Start))
	if !k.Variables(op.Variables, variables) {
		return "", false
	}
	sum := k.Sum()
	return string(sum[:]), true
}

// buildPureDataPlan builds sel's plan under a context of its own, which keeps nothing of
// the operation that builds it but the document and the values of the variables the
// selection reads (names; nil: all), which the model's methods may read, and whose error
// presenter counts the errors reported under the plan (see writePureData).
func buildPureDataPlan(ec *executionContext, sel ast.SelectionSet, names map[string]bool,
	build func(*executionContext, context.Context, ast.SelectionSet) *pureDataPlan) *pureDataPlan {
	op := ec.OperationContext
	variables := op.Variables
	if names != nil {
		variables = make(map[string]any, len(names))
		for name := range names {
			if v, set := op.Variables[name]; set {
				variables[name] = v
			}
		}
	}
	errors := new(atomic.Int64)
	ctx := graphql.WithOperationContext(context.Background(), &graphql.OperationContext{
		RawQuery: op.RawQuery, OperationName: op.OperationName, Doc: op.Doc, Operation: op.Operation, Variables: variables})
	ctx = graphql.WithResponseContext(ctx, func(_ context.Context, err error) *gqlerror.Error {
		errors.Add(1)
		return &gqlerror.Error{Err: err, Message: "declined"}
	}, nil)
	p := build(ec, ctx, sel)
	if p != nil {
		p.errors = errors
	}
	return p
}

// pureDataPlanCost estimates the bytes p holds: its fields and their contexts, and the
// document nodes below them, which it keeps alive.
func pureDataPlanCost(p *pureDataPlan) int {
	if p == nil {
		return 0
	}
	cost := 0
	for i := range p.fields {
		cost += pureDataFieldBytes + len(p.keys[i]) + documentNodeBytes*selectionNodes(p.fields[i].Selections)
		cost += pureDataPlanCost(p.children[i])
	}
	for _, c := range p.cases {
		cost += pureDataPlanCost(c)
	}
	return cost
}

// The plans cached across operations: as many as the translations, each of a document's
// top-level objects, in at most 16 MiB.
const (
	cachedPureDataPlans     = 1000
	cachedPureDataPlanBytes = 16 << 20
)

// pureDataFieldBytes is a plan's field: its collected field, key, field context and
// decoded arguments.
const pureDataFieldBytes = 600

// pureDataExtension is the handler extension that gives each response its pureDataPlans,
// which take cached plans from Cache (none when nil).
type pureDataExtension struct{ Cache *PureDataPlanCache }

type pureDataPlansKey struct{}

var _ interface {
	graphql.HandlerExtension
	graphql.ResponseInterceptor
} = pureDataExtension{}

func (pureDataExtension) ExtensionName() string                   { return "filmgraph/pureDataPlans" }
func (pureDataExtension) Validate(graphql.ExecutableSchema) error { return nil }

func (e pureDataExtension) InterceptResponse(ctx context.Context, next graphql.ResponseHandler) *graphql.Response {
	return next(context.WithValue(ctx, pureDataPlansKey{}, &pureDataPlans{cache: e.Cache}))
}

// pureJSON is an object that writePureData wrote.
type pureJSON struct{ bytes.Buffer }

func (j *pureJSON) MarshalGQL(w io.Writer) { w.Write(j.Bytes()) }

// pureString writes s as gqlgen's graphql.MarshalString (and MarshalID) does, byte for
// byte (its writeQuotedString: only control characters, '\' and '"' escaped, invalid UTF-8
// copied as it is), without allocating a marshaler per value.
func pureString(w *bytes.Buffer, s string) {
	const hex = "0123456789ABCDEF"
	w.WriteByte('"')
	start := 0
	for i, c := range s {
		if c >= 0x20 && c != '\\' && c != '"' {
			continue
		}
		w.WriteString(s[start:i])
		switch c {
		case '\t':
			w.WriteString(`\t`)
		case '\r':
			w.WriteString(`\r`)
		case '\n':
			w.WriteString(`\n`)
		case '\\':
			w.WriteString(`\\`)
		case '"':
			w.WriteString(`\"`)
		default:
			w.WriteString(`\u00`)
			w.WriteByte(hex[c>>4])
			w.WriteByte(hex[c&0xf])
		}
		start = i + 1
	}
	w.WriteString(s[start:])
	w.WriteByte('"')
}

// pureInt64 writes n as gqlgen's graphql.MarshalInt64 does, without its allocations.
func pureInt64(w *bytes.Buffer, n int64) { w.Write(strconv.AppendInt(w.AvailableBuffer(), n, 10)) }

// pureBoolean writes v as gqlgen's graphql.MarshalBoolean does.
func pureBoolean(w *bytes.Buffer, v bool) {
	if v {
		w.WriteString("true")
	} else {
		w.WriteString("false")
	}
}
