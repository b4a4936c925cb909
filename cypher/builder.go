// Package cypher translates a GraphQL selection set into ONE Cypher statement whose single
// result column holds the whole selected subtree. It is pure: no driver, no I/O.
//
// Every value that comes from the request goes in as a parameter ($p0, $p1, ...). The only
// request text that reaches the statement is response names (field aliases), which the
// GraphQL grammar restricts to /[_A-Za-z][_0-9A-Za-z]*/; they are checked again here and
// backtick-quoted, so they can never change the statement's meaning.
package cypher

import (
	"fmt"
	"strconv"
	"strings"

	"filmgraph/apperr"
	"filmgraph/auth"
)

// Statement is one Cypher query with its parameters. Its single column is named `this`.
type Statement struct {
	Text   string
	Params map[string]any
}

// Keys of values the translation adds to a projection for the Go side; `#` cannot occur in
// a GraphQL alias, so they never collide with a client's response names.
const (
	KeyID     = "#key"    // entity key (movieId, personId, genre name) for global ids
	KeyTotal  = "#total"  // size of a whole connection
	KeyOffset = "#offset" // position of a page's first edge in its connection
	KeyFirst  = "#first"  // requested page size
)

// builder accumulates parameters and hands out variable names while a statement is built.
type builder struct {
	viewer *auth.Viewer // nil when anonymous
	params map[string]any
	vars   int
	// root is the variable of the statement's top-level node, when it has one, and calls
	// are CALL subqueries over it that run before its RETURN (see hoist).
	root  string
	calls []string
	// reasonRows holds the ranked row variables whose reasons the selection reads (see
	// rankedConnection).
	reasonRows map[string]bool
}

// hoist runs a CALL subquery over the root node before the statement's RETURN and returns
// the variable it binds, for fields that aggregate: aggregating functions cannot appear
// inside a projection (see ratingSummary), but they can in a CALL subquery, where
// count(*) over a pattern is far cheaper than one COUNT {} per row. Only fields of the
// root node can be hoisted (ok false otherwise): below it, a field runs once per parent.
func (b *builder) hoist(s scope, subquery func(result string) string) (variable string, ok bool) {
	if !b.atRoot(s) {
		return "", false
	}
	variable = b.variable("hoisted")
	b.calls = append(b.calls, "CALL ("+b.root+") { "+subquery(variable)+" }")
	return variable, true
}

// atRoot reports whether s is the statement's root node, whose fields can be hoisted.
func (b *builder) atRoot(s scope) bool {
	return b.root != "" && s.node == b.root && s.rel == ""
}

// hoistValue binds expr, an expression over the root node, in a CALL subquery before the
// RETURN and returns the variable (ok false below the root, see hoist). For subqueries
// that the projection would otherwise nest inside a function (head(COLLECT {...})): Neo4j
// plans those as nested plan expressions, and one of them in the root's projection stops
// the planner from caching properties in every other subquery of the statement, whose
// items then read each property again after sorting (the film page: 197 -> 160 db hits).
func (b *builder) hoistValue(s scope, expr string) (variable string, ok bool) {
	return b.hoist(s, func(result string) string { return "RETURN " + expr + " AS " + result })
}

func newBuilder(req Request) *builder {
	return &builder{viewer: req.Viewer, params: map[string]any{}, reasonRows: map[string]bool{}}
}

// param stores v as a new parameter and returns its placeholder.
func (b *builder) param(v any) string {
	name := "p" + strconv.Itoa(len(b.params))
	b.params[name] = v
	return "$" + name
}

// variable returns a fresh variable name, so nested levels never collide.
func (b *builder) variable(prefix string) string {
	b.vars++
	return prefix + strconv.Itoa(b.vars)
}

func (b *builder) statement(text string) Statement {
	return Statement{Text: text, Params: b.params}
}

// isGraphQLName reports whether s matches the GraphQL name grammar
// /[_A-Za-z][_0-9A-Za-z]*/. It runs for every selected field, so it is a loop, not a regexp.
func isGraphQLName(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '_', 'A' <= c && c <= 'Z', 'a' <= c && c <= 'z':
		case '0' <= c && c <= '9' && i > 0:
		default:
			return false
		}
	}
	return true
}

// mapKey quotes a response name for use as a Cypher map key.
func mapKey(alias string) (string, error) {
	if !isGraphQLName(alias) {
		return "", apperr.New(apperr.BadUserInput, "%q is not a valid GraphQL name", alias)
	}
	return "`" + alias + "`", nil
}

// scope names the Cypher variables an object's fields are read from: the node, and for
// types that describe a relationship (cast credits, connection edges), the relationship.
type scope struct {
	node string
	rel  string
}

// fill is the one way this package fills a Cypher template: each {name} whose name is
// paired in names (name, value, name, value, ...) becomes the value, which is a variable
// or a parameter's placeholder, never request text. Other braces (maps, subqueries) stay
// as they are, and values are not scanned again. Templates name what they insert, so
// none depends on the position of an argument.
func fill(template string, names ...string) string {
	if len(names)%2 != 0 {
		panic("cypher: fill needs name, value pairs")
	}
	var out strings.Builder
	out.Grow(len(template) + len(template)/4)
	for {
		open := strings.IndexByte(template, '{')
		if open < 0 {
			out.WriteString(template)
			return out.String()
		}
		value, known := "", false
		if end := strings.IndexByte(template[open+1:], '}'); end >= 0 {
			value, known = lookup(names, template[open+1:open+1+end])
			if known {
				out.WriteString(template[:open])
				out.WriteString(value)
				template = template[open+end+2:]
				continue
			}
		}
		out.WriteString(template[:open+1])
		template = template[open+1:]
	}
}

func lookup(names []string, name string) (string, bool) {
	for i := 0; i < len(names); i += 2 {
		if names[i] == name {
			return names[i+1], true
		}
	}
	return "", false
}

// expand fills a relation template (see relation): {p} is the parent, {r} the
// relationship and {n} the node.
func expand(template, parent, rel, node string) string {
	return fill(template, "p", parent, "r", rel, "n", node)
}

// fieldFunc returns the Cypher expression of one selected field, read in scope s.
type fieldFunc func(b *builder, s scope, f Field) (string, error)

// objectType tells how each field of one GraphQL object type is read from the graph.
type objectType struct {
	name       string
	label      string // node label, for types read by key
	interfaces []string
	// key is the property that identifies the entity (for global ids); empty for types
	// that are not entities.
	key string
	// fields maps GraphQL field names to their translation; a nil entry is a field the
	// Go side computes from values the projection always carries (ids, cursors, page info).
	fields map[string]fieldFunc
	// satisfies is name and interfaces, the type condition list for Collect; set
	// by define so that projecting does not build it on every request.
	satisfies []string
}

// define adds fields to t. Each feature's file defines its own fields in an init func, so
// the order of those funcs does not matter.
func define(t *objectType, fields map[string]fieldFunc) {
	if t.fields == nil {
		t.fields = map[string]fieldFunc{}
		t.satisfies = append([]string{t.name}, t.interfaces...)
	}
	for name, f := range fields {
		if _, dup := t.fields[name]; dup {
			panic("cypher: " + t.name + "." + name + " defined twice")
		}
		t.fields[name] = f
	}
}

// project returns a Cypher map literal holding every selected field of t, read in scope s.
func (b *builder) project(t *objectType, s scope, selections []Field) (string, error) {
	satisfies := t.satisfies
	if satisfies == nil {
		satisfies = append([]string{t.name}, t.interfaces...)
	}
	fields := Collect(selections, satisfies)
	parts := make([]string, 0, len(fields)+1)
	if t.key != "" && t.needsKey(fields) {
		parts = append(parts, "`"+KeyID+"`: "+s.node+"."+t.key)
	}
	for _, f := range fields {
		if f.Name == "__typename" {
			continue
		}
		translate, known := t.fields[f.Name]
		if !known {
			return "", fmt.Errorf("cypher: no translation for %s.%s", t.name, f.Name)
		}
		if translate == nil {
			continue
		}
		expr, err := translate(b, s, f)
		if err != nil {
			return "", err
		}
		key, err := mapKey(f.Alias)
		if err != nil {
			return "", err
		}
		parts = append(parts, key+": "+expr)
	}
	return "{" + strings.Join(parts, ", ") + "}", nil
}

// needsKey reports whether a projection of fields on t carries t's key (KeyID): where
// the Go side makes t's id of it (a computed id), only when the selection reads the id,
// so that a page of genres that selects their names does not carry each name twice; for
// types without such an id (AuthPayload, Me: their resolvers read the key), always.
func (t *objectType) needsKey(fields []Field) bool {
	if id, defined := t.fields["id"]; !defined || id != nil {
		return true
	}
	for _, f := range fields {
		if f.Name == "id" {
			return true
		}
	}
	return false
}

// property reads a node property.
func property(name string) fieldFunc {
	return func(_ *builder, s scope, _ Field) (string, error) {
		return s.node + "." + name, nil
	}
}

// relProperty reads a property of the relationship in scope.
func relProperty(name string) fieldFunc {
	return func(_ *builder, s scope, _ Field) (string, error) {
		return s.rel + "." + name, nil
	}
}

// nested projects an object that is read from the same variables as its parent.
func nested(t *objectType) fieldFunc {
	return func(b *builder, s scope, f Field) (string, error) {
		return b.project(t, s, f.Selections)
	}
}

// computed marks a field that the Go side derives; the projection carries what it needs.
var computed fieldFunc = nil
