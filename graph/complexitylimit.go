package graph

import (
	"context"
	"crypto/sha256"
	"reflect"
	"strings"

	"github.com/99designs/gqlgen/complexity"
	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/errcode"
	"github.com/99designs/gqlgen/graphql/handler/extension"
	lru "github.com/hashicorp/golang-lru/v2"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"filmgraph/apperr"
	"filmgraph/graph/selection"
)

// complexityLimit is gqlgen's FixedComplexityLimit (same estimate, message, code and stats)
// with its estimate cached: walking every field of an operation and decoding the arguments
// of each was about a tenth of the Go CPU of a film page. The estimate is a function of the
// document, the operation and the values of the variables that reach a complexity function
// (Complexity): a variable read only by fields without one, such as the film page's `$id`,
// changes nothing, so every film's page shares one entry. The cache is keyed by a SHA-256 of
// those inputs and holds at most cachedComplexities estimates of a few bytes each.
type complexityLimit struct {
	limit int
	es    graphql.ExecutableSchema
	// costed tells, for "type.field" in lower case, whether Complexity gives the field a
	// function; a field it does not know counts as having one.
	costed    map[string]bool
	estimates *lru.Cache[[sha256.Size]byte, int]
}

const cachedComplexities = 1000

var _ interface {
	graphql.OperationContextMutator
	graphql.HandlerExtension
} = &complexityLimit{}

func newComplexityLimit(limit int, root ComplexityRoot) *complexityLimit {
	estimates, err := lru.New[[sha256.Size]byte, int](cachedComplexities)
	if err != nil {
		panic(err)
	}
	return &complexityLimit{limit: limit, costed: costedFields(root), estimates: estimates}
}

// costedFields lists the fields of root (gqlgen's ComplexityRoot: a struct per type, a func
// per field, named as gqlgen names them in Go) with whether each has a function.
func costedFields(root ComplexityRoot) map[string]bool {
	costed := map[string]bool{}
	types := reflect.ValueOf(root)
	for i := range types.NumField() {
		typeName := types.Type().Field(i).Name
		fields := types.Field(i)
		if fields.Kind() != reflect.Struct {
			continue
		}
		for j := range fields.NumField() {
			if f := fields.Field(j); f.Kind() == reflect.Func {
				costed[strings.ToLower(typeName+"."+fields.Type().Field(j).Name)] = !f.IsNil()
			}
		}
	}
	return costed
}

// ExtensionName is the name of gqlgen's extension, whose stats this one sets.
func (*complexityLimit) ExtensionName() string { return "ComplexityLimit" }

// Validate keeps the schema, whose complexity functions the estimate calls.
func (c *complexityLimit) Validate(es graphql.ExecutableSchema) error {
	c.es = es
	return nil
}

// MutateOperationContext estimates the operation's complexity and rejects it over the limit.
func (c *complexityLimit) MutateOperationContext(ctx context.Context, opCtx *graphql.OperationContext) *gqlerror.Error {
	op := opCtx.Doc.Operations.ForName(opCtx.OperationName)
	key, cacheable := c.key(opCtx, op)
	estimate, hit := 0, false
	if cacheable {
		estimate, hit = c.estimates.Get(key)
	}
	if !hit {
		estimate = complexity.Calculate(ctx, c.es, op, opCtx.Variables)
		if cacheable {
			c.estimates.Add(key, estimate)
		}
	}
	opCtx.Stats.SetExtension(c.ExtensionName(), &extension.ComplexityStats{Complexity: estimate, ComplexityLimit: c.limit})
	if estimate > c.limit {
		err := gqlerror.Errorf("operation has complexity %d, which exceeds the limit of %d", estimate, c.limit)
		errcode.Set(err, string(apperr.ComplexityLimitExceeded))
		return err
	}
	return nil
}

// key hashes the document, the operation's name and the values of the variables that
// costed fields read; cacheable is false when a value cannot be encoded.
func (c *complexityLimit) key(opCtx *graphql.OperationContext, op *ast.OperationDefinition) (key [sha256.Size]byte, cacheable bool) {
	names := map[string]bool{}
	c.costedVariables(opCtx.Doc, op.SelectionSet, names, map[string]bool{})
	k := selection.NewCacheKey()
	k.Document(opCtx)
	k.Part(opCtx.OperationName)
	if !k.Variables(opCtx.Variables, names) {
		return key, false
	}
	return k.Sum(), true
}

// costedVariables adds to names the variables in the arguments of set's fields that have a
// complexity function, or may have one: a field of an interface is estimated as each type
// that implements it, so it counts as costed.
func (c *complexityLimit) costedVariables(doc *ast.QueryDocument, set ast.SelectionSet, names, fragments map[string]bool) {
	for _, sel := range set {
		switch sel := sel.(type) {
		case *ast.Field:
			if len(sel.Arguments) > 0 && c.isCosted(sel) {
				for _, arg := range sel.Arguments {
					selection.ValueVariables(arg.Value, names)
				}
			}
			c.costedVariables(doc, sel.SelectionSet, names, fragments)
		case *ast.InlineFragment:
			c.costedVariables(doc, sel.SelectionSet, names, fragments)
		case *ast.FragmentSpread:
			if !fragments[sel.Name] {
				fragments[sel.Name] = true
				if f := doc.Fragments.ForName(sel.Name); f != nil {
					c.costedVariables(doc, f.SelectionSet, names, fragments)
				}
			}
		}
	}
}

func (c *complexityLimit) isCosted(f *ast.Field) bool {
	if f.ObjectDefinition == nil || f.ObjectDefinition.Kind != ast.Object {
		return true
	}
	costed, known := c.costed[strings.ToLower(f.ObjectDefinition.Name+"."+f.Name)]
	return costed || !known
}
