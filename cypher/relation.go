package cypher

import (
	"encoding/json"
	"fmt"
	"strings"

	"filmgraph/apperr"
	"filmgraph/relay"
)

// MaxPageSize caps `first` on every list and connection, so that no single field can ask
// for an unbounded amount of work.
const MaxPageSize = 100

// relation describes a traversal from a parent node to the items of a list or connection.
// The templates use {p} for the parent, {r} for the relationship and {n} for the item.
type relation struct {
	pattern string // e.g. "({p})<-[{r}:DIRECTED]-({n}:Person)"
	orderBy string // stable: always ends with a unique key, e.g. "{n}.name, {n}.personId"
	where   string // optional condition on the items, with values as parameters
	// distinct is set when the pattern can reach an item more than once (it starts from
	// a neighbour, e.g. a genre, and reaches people through their films): the item rows
	// and counts are made distinct.
	distinct bool
	// namedBy, when set, stands for pattern in the order's name (orderName): the pattern
	// as first written, with the far end's label that its relationship type implies, so
	// that the cursors of connections whose pattern later dropped that label stay valid.
	namedBy string
}

// carried is what the clause after rel's MATCH carries: the item, its relationship when
// the pattern names one, each item once when rel is distinct.
func (rel relation) carried(r, n string) string {
	carried := n
	if strings.Contains(rel.pattern, "{r}") {
		carried += ", " + r
	}
	if rel.distinct {
		carried = "DISTINCT " + carried
	}
	return carried
}

// count is a COUNT subquery of rel's items below parent.
func (rel relation) count(parent, r, n string) string {
	if rel.distinct {
		return "COUNT { " + rel.match(parent, r, n) + " RETURN DISTINCT " + n + " }"
	}
	return "COUNT { " + rel.match(parent, r, n) + " }"
}

// match returns the MATCH clause (with its WHERE) of rel for these variables.
func (rel relation) match(parent, r, n string) string {
	clause := "MATCH " + expand(rel.pattern, parent, r, n)
	if rel.where != "" {
		clause += " WHERE " + expand(rel.where, parent, r, n)
	}
	return clause
}

// collectPage returns a COLLECT subquery that pages through the items of rel below parent
// and projects each one as item (read with the item node and relationship in scope).
// skip and limit are parameter placeholders or empty.
func (b *builder) collectPage(rel relation, parent string, item *objectType, f Field, skip, limit string) (string, error) {
	r, n := b.variable("r"), b.variable("n")
	proj, err := b.project(item, scope{node: n, rel: r}, f.Selections)
	if err != nil {
		return "", err
	}
	var page string
	if skip != "" {
		page += " SKIP " + skip
	}
	if limit != "" {
		page += " LIMIT " + limit
	}
	return fmt.Sprintf("COLLECT { %s WITH %s ORDER BY %s%s RETURN %s }",
		rel.match(parent, r, n), rel.carried(r, n), expand(rel.orderBy, parent, r, n), page, proj), nil
}

// list translates a plain list field with an optional `first` argument.
func list(rel relation, item *objectType) fieldFunc {
	return func(b *builder, s scope, f Field) (string, error) {
		var limit string
		page, err := pageOf(f)
		if err != nil {
			return "", err
		}
		if page.First != nil {
			first, err := pageSize(f, page.First)
			if err != nil {
				return "", err
			}
			limit = b.param(first)
		}
		return b.collectPage(rel, s.node, item, f, "", limit)
	}
}

// connection translates a Relay connection field with `first` and `after` arguments into
// a map holding the page's edges and the values the Go side needs for totalCount and
// pageInfo. Each edge is projected as edge, with the item node and relationship in scope.
// Its pages are read by keyset (see keyset.go).
func connection(rel relation, edge *objectType) fieldFunc {
	return func(b *builder, s scope, f Field) (string, error) {
		page, err := pageOf(f)
		if err != nil {
			return "", err
		}
		return b.keysetConnection(rel, s.node, f, page, edge)
	}
}

// needsTotal reports whether the selected fields of a connection read its size: totalCount
// does, and so do pageInfo's fields but hasPreviousPage (the Go side derives hasNextPage
// and the cursors from it). Counting a large connection costs more than its page, so it
// is counted only then.
func needsTotal(b *builder, fields []Field) bool {
	for _, f := range fields {
		switch f.Name {
		case "totalCount":
			return true
		case "pageInfo":
			for _, pf := range Collect(f.Selections, []string{"PageInfo"}) {
				if pf.Name != "hasPreviousPage" && pf.Name != "__typename" {
					return true
				}
			}
		}
	}
	return false
}

// page validates the `first`/`after` (or `last`/`before`) of a connection read by
// position (a ranked list; see keyset.go for the others) and returns the parameters of
// the page's offset and size. Backwards, the page ends before `before`, which is needed:
// such a list is read from its top.
func (b *builder) page(f Field, p Page) (offset, limit string, err error) {
	start, size, err := positionPage(f, p)
	if err != nil {
		return "", "", err
	}
	return b.param(start), b.param(size), nil
}

func positionPage(f Field, p Page) (start, size int64, err error) {
	afterOffset, err := relay.ParseCursor(p.After)
	if err != nil {
		return 0, 0, err
	}
	beforeOffset, err := relay.ParseCursor(p.Before)
	if err != nil {
		return 0, 0, err
	}
	if p.Last != nil {
		if f.Gives("first") {
			return 0, 0, apperr.New(apperr.BadUserInput, "field `%s` takes `first` or `last`, not both", f.Name)
		}
		last := *p.Last
		if last < 1 || last > MaxPageSize {
			return 0, 0, pageSizeError(f, "last", last)
		}
		if beforeOffset < 0 {
			return 0, 0, apperr.New(apperr.BadUserInput, "field `%s` is ranked from its top: `last` needs `before`", f.Name)
		}
		start = max(int64(afterOffset+1), int64(beforeOffset)-last)
		return start, max(int64(beforeOffset)-start, 0), nil
	}
	first, err := pageSize(f, p.First)
	if err != nil {
		return 0, 0, err
	}
	start, size = int64(afterOffset+1), first
	if beforeOffset >= 0 {
		size = max(min(size, int64(beforeOffset)-start), 0)
	}
	return start, size, nil
}

// pageSize validates a `first` argument; nil means the schema gave no default (unbounded
// lists are not allowed on connections, so callers pass their default through the schema).
func pageSize(f Field, first *int64) (int64, error) {
	if first == nil || *first < 1 || *first > MaxPageSize {
		return 0, pageSizeError(f, "first", shown(first))
	}
	return *first, nil
}

// toInt accepts the integer forms an argument map can hold: literals decode to int64,
// request variables to json.Number or int.
func toInt(v any) (int64, bool) {
	switch n := v.(type) {
	case int64:
		return n, true
	case int:
		return int64(n), true
	case int32:
		return int64(n), true
	case json.Number:
		i, err := n.Int64()
		return i, err == nil
	}
	return 0, false
}
