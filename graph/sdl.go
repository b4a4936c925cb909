package graph

import (
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/formatter"
)

// SDL is the whole schema as one SDL document (the schema/*.graphqls files merged, their
// `extend type`s folded in), for codegen tools such as graphql-codegen and relay-compiler.
// It is served at GET /graphql/schema.graphql where introspection is on, and printed by
// `filmgraph schema`.
var SDL = sync.OnceValue(func() string {
	schema := NewExecutableSchema(Config{}).Schema()
	var b strings.Builder
	formatter.NewFormatter(&b).FormatSchema(schema)
	// Directives gqlgen adds beyond the spec's own (@defer) are built in for gqlgen but
	// not for the tools, so they are written out; introspection lists them too.
	var extra ast.DirectiveDefinitionList
	for name, d := range schema.Directives {
		if !slices.Contains([]string{"skip", "include", "deprecated", "specifiedBy", "oneOf"}, name) {
			extra = append(extra, d)
		}
	}
	sort.Slice(extra, func(i, j int) bool { return extra[i].Name < extra[j].Name })
	// So are the types of Apollo Federation's additions (_Any, _Entity, FieldSet, ...).
	var federation ast.DefinitionList
	for _, t := range schema.Types {
		if t.BuiltIn && t.Position != nil && t.Position.Src != nil && strings.Contains(t.Position.Src.Name, "federation/") {
			federation = append(federation, t)
		}
	}
	sort.Slice(federation, func(i, j int) bool { return federation[i].Name < federation[j].Name })
	doc := &ast.SchemaDocument{Directives: extra, Definitions: federation}
	// And its Query fields (_entities, _service), which the formatter leaves out as built in.
	var queryFields ast.FieldList
	for _, f := range schema.Query.Fields {
		if f.Position != nil && f.Position.Src != nil && f.Position.Src.BuiltIn && !strings.HasPrefix(f.Name, "__") {
			queryFields = append(queryFields, f)
		}
	}
	if len(queryFields) > 0 {
		doc.Extensions = ast.DefinitionList{{Kind: ast.Object, Name: schema.Query.Name, Fields: queryFields}}
	}
	formatter.NewFormatter(&b, formatter.WithBuiltin()).FormatSchemaDocument(doc)
	return b.String()
})
