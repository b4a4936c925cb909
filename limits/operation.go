// Package limits protects the public GraphQL endpoint against requests that would make the
// server or the database do unbounded work: documents that would make validation or the
// complexity walk expensive (Document), operations nested too deep, with too many
// aliases, introspection where it is switched off (Operation), and log-in attempts faster
// than a person types (LoginLimiter). The complexity budget is gqlgen's extension fed by
// the complexity functions in package graph. Slots caps what one client address holds at
// once (WebSockets, subscriptions).
package limits

import (
	"context"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/errcode"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"filmgraph/apperr"
	"filmgraph/observe"
)

// RejectionCodes are the codes of the limits that reject an operation before it runs.
var RejectionCodes = []apperr.Code{apperr.DepthLimitExceeded, apperr.ComplexityLimitExceeded,
	apperr.AliasLimitExceeded, apperr.IntrospectionDisabled, apperr.FieldLimitExceeded,
	apperr.SelectionLimitExceeded, apperr.FragmentLimitExceeded, apperr.DirectiveLimitExceeded,
	apperr.VariableLimitExceeded}

func init() {
	// Requests rejected by a limit are not executed: they are answered as validation
	// failures are (statuses in graph/httpstatus.go).
	for _, code := range RejectionCodes {
		errcode.RegisterErrorType(string(code), errcode.KindProtocol)
	}
}

// Operation is a gqlgen handler extension that rejects, before execution, operations that
// nest fields deeper than MaxDepth or use more than MaxAliases aliases, and introspection
// queries unless Introspection is set. A zero limit means no limit.
//
// Depth counts field levels: `{ movie { title } }` has depth 2. Aliases count every aliased
// field as often as it would be executed, fragments spread twice counting twice. Fragments
// are measured once each, so a document of nested spreads costs linear time.
type Operation struct {
	MaxDepth      int
	MaxAliases    int
	Introspection bool
}

var _ interface {
	graphql.HandlerExtension
	graphql.OperationContextMutator
} = Operation{}

// ExtensionName names the extension for gqlgen.
func (Operation) ExtensionName() string { return "filmgraph/limits" }

// Validate accepts any schema.
func (Operation) Validate(graphql.ExecutableSchema) error { return nil }

// MutateOperationContext measures the operation and rejects it when over a limit.
func (o Operation) MutateOperationContext(ctx context.Context, oc *graphql.OperationContext) *gqlerror.Error {
	oc.DisableIntrospection = !o.Introspection
	if ctx.Err() != nil {
		// The complexity walk and execution come next: neither should start for nobody.
		return timeoutError()
	}
	if oc.Operation == nil {
		return nil
	}
	m := (&measurer{fragments: map[string]*measure{}}).selectionSet(oc.Operation.SelectionSet)
	switch {
	case o.MaxDepth > 0 && m.depth > o.MaxDepth:
		return limitError(apperr.DepthLimitExceeded, "the operation nests fields %d levels deep; the limit is %d", m.depth, o.MaxDepth)
	case o.MaxAliases > 0 && m.aliases > o.MaxAliases:
		return limitError(apperr.AliasLimitExceeded, "the operation uses %d aliases; the limit is %d", m.aliases, o.MaxAliases)
	case !o.Introspection && m.introspects:
		return limitError(apperr.IntrospectionDisabled, "introspection is disabled on this server")
	}
	return nil
}

func limitError(code apperr.Code, format string, args ...any) *gqlerror.Error {
	err := gqlerror.Errorf(format, args...)
	errcode.Set(err, string(code))
	return err
}

// measure is what a selection set costs: its depth, its aliases, and whether it reads
// __schema or __type.
type measure struct {
	depth, aliases int
	introspects    bool
}

type measurer struct {
	fragments map[string]*measure // by fragment name, once measured
}

func (m *measurer) selectionSet(set ast.SelectionSet) measure {
	var total measure
	add := func(child measure, extraDepth int) {
		total.depth = max(total.depth, child.depth+extraDepth)
		total.aliases += child.aliases
		total.introspects = total.introspects || child.introspects
	}
	for _, sel := range set {
		switch sel := sel.(type) {
		case *ast.Field:
			child := m.selectionSet(sel.SelectionSet)
			if sel.Alias != "" && sel.Alias != sel.Name {
				child.aliases++
			}
			if sel.Name == "__schema" || sel.Name == "__type" {
				child.introspects = true
			}
			add(child, 1)
		case *ast.InlineFragment:
			add(m.selectionSet(sel.SelectionSet), 0)
		case *ast.FragmentSpread:
			add(m.fragment(sel), 0)
		}
	}
	return total
}

func (m *measurer) fragment(spread *ast.FragmentSpread) measure {
	if spread.Definition == nil {
		return measure{}
	}
	if done, ok := m.fragments[spread.Name]; ok {
		if done == nil { // a cycle, which validation rejects before this runs
			return measure{}
		}
		return *done
	}
	m.fragments[spread.Name] = nil
	result := m.selectionSet(spread.Definition.SelectionSet)
	m.fragments[spread.Name] = &result
	return result
}

// Deadline is a gqlgen handler extension that answers an operation whose request deadline
// (Timeout) passed before it ran with a TIMEOUT error; gqlgen itself would answer such an
// operation with an empty body.
type Deadline struct{}

var _ interface {
	graphql.HandlerExtension
	graphql.OperationInterceptor
} = Deadline{}

// ExtensionName names the extension for gqlgen.
func (Deadline) ExtensionName() string { return "filmgraph/deadline" }

// Validate accepts any schema.
func (Deadline) Validate(graphql.ExecutableSchema) error { return nil }

// InterceptOperation answers TIMEOUT when ctx has ended before the operation's response.
func (Deadline) InterceptOperation(ctx context.Context, next graphql.OperationHandler) graphql.ResponseHandler {
	respond := next(ctx)
	answered := false
	return func(ctx context.Context) *graphql.Response {
		if ctx.Err() != nil && !answered {
			answered = true
			observe.FromContext(ctx).AddErrorCode(string(apperr.Timeout))
			return &graphql.Response{
				Data:   []byte("null"),
				Errors: gqlerror.List{limitError(apperr.Timeout, "the request took too long and was stopped")},
			}
		}
		answered = true
		return respond(ctx)
	}
}
