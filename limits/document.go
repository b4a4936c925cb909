package limits

import (
	"context"
	"errors"
	"math"
	"unicode/utf8"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/errcode"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
	"github.com/vektah/gqlparser/v2/parser"

	"filmgraph/apperr"
)

// Document is a gqlgen handler extension that bounds, before gqlparser validates a query
// document and before gqlgen's complexity walk, the work those steps can be made to do.
// Both are sound but not linear in the document: the complexity walk expands every
// fragment spread (a fragment spreading the next one twice, 25 levels deep, is 2^25
// fields), and validation's OverlappingFieldsCanBeMerged rule compares every pair of
// fields that share a response name in one selection set (9,000 `__typename` are 40
// million pairs). Document parses the query itself, measures it in time linear in its size,
// and rejects it with a limit's code when it is over one of:
//
//   - MaxFields: fields once every fragment is spread where it is used (FIELD_LIMIT_EXCEEDED);
//   - MaxSelectionFields: fields landing in one selection set of the response, once
//     fragments are spread into it and fields of the same name merged, as validation and
//     execution merge them (SELECTION_LIMIT_EXCEEDED);
//   - MaxFragmentSpreads: fragment spreads written in the document (FRAGMENT_LIMIT_EXCEEDED);
//   - MaxDirectives: directives on one field, fragment or operation (DIRECTIVE_LIMIT_EXCEEDED);
//   - MaxVariables: variables an operation declares (VARIABLE_LIMIT_EXCEEDED);
//   - MaxVariableValues: values in the request's variables, every list element and object
//     field counted, so that a big list is refused before it is coerced to its type and
//     walked again for complexity (VARIABLE_LIMIT_EXCEEDED).
//
// A zero limit means none; MaxSelectionFields is checked only when MaxFields is set, since
// MaxFields bounds the walk that merges the selection sets. Queries that are not valid
// UTF-8 or do not parse (TokenLimit is the parser's token limit) answer
// GRAPHQL_PARSE_FAILED, and a request whose deadline has passed answers TIMEOUT instead of
// being parsed or validated.
type Document struct {
	MaxFields          int
	MaxSelectionFields int
	MaxFragmentSpreads int
	MaxDirectives      int
	MaxVariables       int
	MaxVariableValues  int
	TokenLimit         int
	// Validated is gqlgen's cache of parsed and validated documents: a query found there
	// passed these limits when it was first seen.
	Validated graphql.Cache[*ast.QueryDocument]
}

var _ interface {
	graphql.HandlerExtension
	graphql.OperationParameterMutator
} = Document{}

// ExtensionName names the extension for gqlgen.
func (Document) ExtensionName() string { return "filmgraph/document-limits" }

// Validate accepts any schema.
func (Document) Validate(graphql.ExecutableSchema) error { return nil }

// MutateOperationParameters measures the query of params. gqlgen calls it before it parses
// and validates the query; register the extension after any that fill in the query
// (automatic persisted queries).
func (d Document) MutateOperationParameters(ctx context.Context, params *graphql.RawParams) *gqlerror.Error {
	if ctx.Err() != nil {
		return timeoutError()
	}
	if limit := d.MaxVariableValues; limit > 0 && countValues(params.Variables, limit+1)-1 > limit {
		return limitError(apperr.VariableLimitExceeded, "the variables hold more than %d values", limit)
	}
	if params.Query == "" {
		return nil // gqlgen answers a missing query
	}
	if d.Validated != nil {
		if _, ok := d.Validated.Get(ctx, params.Query); ok {
			return nil
		}
	}
	if !utf8.ValidString(params.Query) {
		err := gqlerror.Errorf("the query is not valid UTF-8")
		errcode.Set(err, errcode.ParseFailed)
		return err
	}
	doc, err := parser.ParseQueryWithTokenLimit(&ast.Source{Input: params.Query}, d.TokenLimit)
	if err != nil {
		var gqlErr *gqlerror.Error
		if errors.As(err, &gqlErr) {
			errcode.Set(gqlErr, errcode.ParseFailed)
			return gqlErr
		}
		return nil // gqlgen parses again and answers
	}
	if gqlErr := d.measure(doc); gqlErr != nil {
		return gqlErr
	}
	if ctx.Err() != nil {
		return timeoutError()
	}
	return nil
}

// countValues counts the values in v, a decoded JSON value, itself included (so the
// variables object counts one more than the values it holds); it stops once the count is
// over limit.
func countValues(v any, limit int) int {
	n := 1
	switch v := v.(type) {
	case map[string]any:
		for _, field := range v {
			if n > limit {
				break
			}
			n += countValues(field, limit-n)
		}
	case []any:
		for _, elem := range v {
			if n > limit {
				break
			}
			n += countValues(elem, limit-n)
		}
	}
	return n
}

func timeoutError() *gqlerror.Error {
	return limitError(apperr.Timeout, "the request took too long and was stopped")
}

// saturated is where field counts stop growing: the sum of two counts never overflows.
const saturated = math.MaxInt / 2

func saturatingAdd(a, b int) int { return min(a+b, saturated) }

// measure checks doc against the limits; each step is linear in the document's size or
// bounded by a limit.
func (d Document) measure(doc *ast.QueryDocument) *gqlerror.Error {
	w := &documentWalk{
		limits:    d,
		fragments: map[string]*ast.FragmentDefinition{},
		counted:   map[string]int{},
		flat:      map[string][]*ast.Field{},
		children:  map[*ast.Field][]*ast.Field{},
	}
	for _, f := range doc.Fragments {
		if _, dup := w.fragments[f.Name]; !dup { // validation rejects duplicates
			w.fragments[f.Name] = f
		}
	}
	if err := w.literal(doc); err != nil {
		return err
	}

	// Roots are the operations and the fragments none of them reaches: validation looks at
	// every fragment, used or not.
	roots := make([]ast.SelectionSet, 0, len(doc.Operations))
	reached := map[string]bool{}
	for _, op := range doc.Operations {
		roots = append(roots, op.SelectionSet)
		w.reach(op.SelectionSet, reached)
	}
	for _, f := range doc.Fragments {
		if !reached[f.Name] {
			roots = append(roots, f.SelectionSet)
		}
	}

	if d.MaxFields <= 0 {
		return nil
	}
	total := 0
	for _, set := range roots {
		total = saturatingAdd(total, w.countFields(set))
	}
	if total > d.MaxFields {
		if total == saturated {
			return limitError(apperr.FieldLimitExceeded, "the document selects over %d fields once its fragments are spread; the limit is %d", saturated, d.MaxFields)
		}
		return limitError(apperr.FieldLimitExceeded, "the document selects %d fields once its fragments are spread; the limit is %d", total, d.MaxFields)
	}
	if d.MaxSelectionFields <= 0 {
		return nil
	}
	// The merge visits each field as often as it is spread, at most MaxFields times; the
	// budget also ends it on fragment cycles, which the count above cuts short.
	w.budget = d.MaxFields
	for _, set := range roots {
		fields, err := w.flatten(set, nil)
		if err != nil {
			return err
		}
		if err := w.merge(fields); err != nil {
			return err
		}
	}
	return nil
}

type documentWalk struct {
	limits    Document
	fragments map[string]*ast.FragmentDefinition
	counted   map[string]int              // fields per fragment once expanded; -1 while counting
	flat      map[string][]*ast.Field     // fragment -> its fields, nested fragments spread in; nil while flattening
	children  map[*ast.Field][]*ast.Field // field -> its flattened selection set
	spreads   int
	budget    int // fields the merge may still visit
}

// literal checks what is written in the document: fragment spreads, directives per
// location and variables per operation. It visits every node once.
func (w *documentWalk) literal(doc *ast.QueryDocument) *gqlerror.Error {
	for _, op := range doc.Operations {
		if limit := w.limits.MaxVariables; limit > 0 && len(op.VariableDefinitions) > limit {
			return limitError(apperr.VariableLimitExceeded, "the operation declares %d variables; the limit is %d", len(op.VariableDefinitions), limit)
		}
		if err := w.directives(op.Directives); err != nil {
			return err
		}
		for _, v := range op.VariableDefinitions {
			if err := w.directives(v.Directives); err != nil {
				return err
			}
		}
		if err := w.literalSet(op.SelectionSet); err != nil {
			return err
		}
	}
	for _, f := range doc.Fragments {
		if err := w.directives(f.Directives); err != nil {
			return err
		}
		if err := w.literalSet(f.SelectionSet); err != nil {
			return err
		}
	}
	return nil
}

func (w *documentWalk) literalSet(set ast.SelectionSet) *gqlerror.Error {
	for _, sel := range set {
		var err *gqlerror.Error
		switch sel := sel.(type) {
		case *ast.Field:
			if err = w.directives(sel.Directives); err == nil {
				err = w.literalSet(sel.SelectionSet)
			}
		case *ast.InlineFragment:
			if err = w.directives(sel.Directives); err == nil {
				err = w.literalSet(sel.SelectionSet)
			}
		case *ast.FragmentSpread:
			w.spreads++
			if limit := w.limits.MaxFragmentSpreads; limit > 0 && w.spreads > limit {
				return limitError(apperr.FragmentLimitExceeded, "the document has more than %d fragment spreads; the limit is %d", limit, limit)
			}
			err = w.directives(sel.Directives)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

func (w *documentWalk) directives(list ast.DirectiveList) *gqlerror.Error {
	if limit := w.limits.MaxDirectives; limit > 0 && len(list) > limit {
		return limitError(apperr.DirectiveLimitExceeded, "%d directives are used at one place; the limit is %d", len(list), limit)
	}
	return nil
}

// reach marks the fragments set spreads, directly or through other fragments.
func (w *documentWalk) reach(set ast.SelectionSet, reached map[string]bool) {
	for _, sel := range set {
		switch sel := sel.(type) {
		case *ast.Field:
			w.reach(sel.SelectionSet, reached)
		case *ast.InlineFragment:
			w.reach(sel.SelectionSet, reached)
		case *ast.FragmentSpread:
			if f := w.fragments[sel.Name]; f != nil && !reached[sel.Name] {
				reached[sel.Name] = true
				w.reach(f.SelectionSet, reached)
			}
		}
	}
}

// countFields counts the fields of set with every fragment spread expanded, counting each
// fragment once and adding its count wherever it is spread. An unknown fragment counts
// nothing, as does a spread back into a fragment being counted (a cycle): validation
// rejects both.
func (w *documentWalk) countFields(set ast.SelectionSet) int {
	n := 0
	for _, sel := range set {
		switch sel := sel.(type) {
		case *ast.Field:
			n = saturatingAdd(n, saturatingAdd(1, w.countFields(sel.SelectionSet)))
		case *ast.InlineFragment:
			n = saturatingAdd(n, w.countFields(sel.SelectionSet))
		case *ast.FragmentSpread:
			f := w.fragments[sel.Name]
			if f == nil {
				continue
			}
			count, seen := w.counted[sel.Name]
			if !seen {
				w.counted[sel.Name] = -1
				count = w.countFields(f.SelectionSet)
				w.counted[sel.Name] = count
			}
			n = saturatingAdd(n, max(count, 0))
		}
	}
	return n
}

// flatten appends to out the fields of set, with inline fragments and fragment spreads
// replaced by their fields. A fragment is flattened once; a flattened list longer than
// MaxSelectionFields is rejected at once, so no list grows past it.
func (w *documentWalk) flatten(set ast.SelectionSet, out []*ast.Field) ([]*ast.Field, *gqlerror.Error) {
	for _, sel := range set {
		switch sel := sel.(type) {
		case *ast.Field:
			out = append(out, sel)
		case *ast.InlineFragment:
			var err *gqlerror.Error
			if out, err = w.flatten(sel.SelectionSet, out); err != nil {
				return nil, err
			}
		case *ast.FragmentSpread:
			f := w.fragments[sel.Name]
			if f == nil {
				continue
			}
			fields, seen := w.flat[sel.Name]
			if !seen {
				w.flat[sel.Name] = nil
				var err *gqlerror.Error
				if fields, err = w.flatten(f.SelectionSet, nil); err != nil {
					return nil, err
				}
				w.flat[sel.Name] = fields
			}
			out = append(out, fields...)
		}
		if err := w.checkSelection(len(out)); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func (w *documentWalk) checkSelection(n int) *gqlerror.Error {
	if limit := w.limits.MaxSelectionFields; n > limit {
		return limitError(apperr.SelectionLimitExceeded, "a selection set has more than %d fields once fragments are spread into it and fields of the same name merged", limit)
	}
	return nil
}

// merge walks one selection set of the response: fields, the fields of the same response
// name merged as validation and execution merge them, then the merged sets below them.
func (w *documentWalk) merge(fields []*ast.Field) *gqlerror.Error {
	if err := w.checkSelection(len(fields)); err != nil {
		return err
	}
	if w.budget -= len(fields); w.budget < 0 {
		return limitError(apperr.FieldLimitExceeded, "the document selects more than %d fields once its fragments are spread", w.limits.MaxFields)
	}
	var names []string
	below := map[string][]*ast.Field{}
	for _, f := range fields {
		if len(f.SelectionSet) == 0 {
			continue
		}
		name := f.Alias
		if name == "" {
			name = f.Name
		}
		children, seen := w.children[f]
		if !seen {
			var err *gqlerror.Error
			if children, err = w.flatten(f.SelectionSet, nil); err != nil {
				return err
			}
			w.children[f] = children
		}
		if _, ok := below[name]; !ok {
			names = append(names, name)
		}
		below[name] = append(below[name], children...)
		if err := w.checkSelection(len(below[name])); err != nil {
			return err
		}
	}
	for _, name := range names {
		if err := w.merge(below[name]); err != nil {
			return err
		}
	}
	return nil
}
