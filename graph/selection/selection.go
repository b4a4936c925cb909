// Package selection builds the input of a translation (cypher.Request) from what gqlgen
// parsed and validated: it is the one place where gqlgen's types meet package cypher.
package selection

import (
	"context"
	"strings"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"

	"filmgraph/auth"
	"filmgraph/cypher"
)

// Request returns the request of the field being resolved: its selection and the viewer.
func Request(ctx context.Context) cypher.Request {
	req := cypher.Request{Field: Of(graphql.GetOperationContext(ctx), graphql.GetFieldContext(ctx).Field)}
	if v, ok := auth.FromContext(ctx); ok {
		req.Viewer = &v
	}
	return req
}

// Of returns field f of operation op as a cypher.Field, its whole selection included.
func Of(op *graphql.OperationContext, f graphql.CollectedField) cypher.Field {
	b := &builder{op: op}
	field := b.field(f.Field, nil)
	// gqlgen has already merged the selections of the field's repeated occurrences.
	field.Selections = b.selections(f.Selections, nil, b.newSet())
	return field
}

type builder struct {
	op *graphql.OperationContext
	// spreads holds the fragment spreads taken so far, per selection set (see selections).
	spreads map[spread]bool
	sets    int
}

type spread struct {
	set      int
	fragment string
	on       string // the type conditions around the spread
}

// newSet numbers a selection set, for spreads.
func (b *builder) newSet() int {
	b.sets++
	return b.sets
}

func (b *builder) field(f *ast.Field, on []string) cypher.Field {
	field := cypher.Field{Alias: f.Alias, Name: f.Name, On: on}
	if f.Definition != nil {
		field.Type = f.Definition.Type.Name()
		if len(f.Definition.Arguments) > 0 { // most fields take none: no map for them
			field.Args = f.ArgumentMap(b.op.Variables)
			field.Given = b.given(f.Arguments)
		}
	}
	return field
}

// given names the arguments written as values, or as variables the request sets.
func (b builder) given(args ast.ArgumentList) []string {
	var names []string
	for _, arg := range args {
		if arg.Value.Kind == ast.Variable {
			if v, ok := b.op.Variables[arg.Value.Raw]; !ok || v == nil {
				continue
			}
		}
		names = append(names, arg.Name)
	}
	return names
}

// selections flattens a selection set: each field keeps the type conditions of the
// fragments around it (on), so that the translation can pick the fields of each
// concrete type of an interface or union. Fields and fragments that @skip or @include
// leave out are dropped here. A fragment spread again under the same type conditions in
// the selection set setID adds nothing, and is skipped.
func (b *builder) selections(set ast.SelectionSet, on []string, setID int) []cypher.Field {
	var out []cypher.Field
	for _, sel := range set {
		switch sel := sel.(type) {
		case *ast.Field:
			if !b.included(sel.Directives) {
				continue
			}
			field := b.field(sel, on)
			if len(sel.SelectionSet) > 0 {
				field.Selections = b.selections(sel.SelectionSet, nil, b.newSet())
			}
			out = append(out, field)
		case *ast.InlineFragment:
			if b.included(sel.Directives) {
				out = append(out, b.selections(sel.SelectionSet, condition(on, sel.TypeCondition), setID)...)
			}
		case *ast.FragmentSpread:
			fragment := b.op.Doc.Fragments.ForName(sel.Name)
			key := spread{set: setID, fragment: sel.Name, on: strings.Join(on, " ")}
			if fragment != nil && !b.spreads[key] && b.included(sel.Directives) {
				if b.spreads == nil {
					b.spreads = map[spread]bool{}
				}
				b.spreads[key] = true
				out = append(out, b.selections(fragment.SelectionSet, condition(on, fragment.TypeCondition), setID)...)
			}
		}
	}
	return out
}

// condition adds a fragment's type condition ("" for none) to those around it.
func condition(on []string, typeCondition string) []string {
	if typeCondition == "" {
		return on
	}
	return append(on[:len(on):len(on)], typeCondition)
}

// included applies @skip(if:) and @include(if:); validation has checked their argument.
func (b *builder) included(directives ast.DirectiveList) bool {
	if d := directives.ForName("skip"); d != nil && b.ifArgument(d) {
		return false
	}
	if d := directives.ForName("include"); d != nil && !b.ifArgument(d) {
		return false
	}
	return true
}

func (b *builder) ifArgument(d *ast.Directive) bool {
	arg := d.Arguments.ForName("if")
	if arg == nil {
		return false
	}
	v, err := arg.Value.Value(b.op.Variables)
	if err != nil {
		return false
	}
	yes, _ := v.(bool)
	return yes
}
