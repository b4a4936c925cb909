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
	formatter.NewFormatter(&b, formatter.WithBuiltin()).FormatSchemaDocument(&ast.SchemaDocument{Directives: extra})
	return b.String()
})
