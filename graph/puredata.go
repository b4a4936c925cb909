package graph

import (
	"bytes"
	"context"
	"io"
	"sync/atomic"

	"github.com/99designs/gqlgen/graphql"
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
//   - when a selected field is not pure data (a resolver, a directive, an interface or a
//     union, a field under @defer): the object goes through gqlgen, whose marshalers of
//     the object's children try this path again;
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
	// children[i] is the plan of field i's object type (of its elements, for a list).
	children []*pureDataPlan
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

// writePureData runs write, which plans and writes one object, and returns what it wrote,
// or nil when the object must take gqlgen's path: write declined, reported an error
// (a marshaler's or an argument's) or panicked. Errors go to a response context of their
// own, never to the client's: gqlgen's path reports them again, at their place.
func writePureData(ctx context.Context, write func(context.Context, *bytes.Buffer) bool) (m graphql.Marshaler) {
	if pureDataOff.Load() {
		return nil
	}
	defer func() {
		if recover() != nil {
			m = nil
		}
	}()
	scratch := graphql.WithResponseContext(ctx, declinedError, nil)
	var w bytes.Buffer
	if !write(scratch, &w) || graphql.GetErrors(scratch) != nil {
		return nil
	}
	return pureJSON(w.Bytes())
}

// declinedError is the error presenter of writePureData's response context: the error
// only needs to be there.
func declinedError(_ context.Context, err error) *gqlerror.Error {
	return &gqlerror.Error{Err: err, Message: "declined"}
}

// pureJSON is an object that writePureData wrote.
type pureJSON []byte

func (j pureJSON) MarshalGQL(w io.Writer) { w.Write(j) }
