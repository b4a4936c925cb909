package cypher

import (
	"fmt"
	"hash/fnv"
	"regexp"
	"strconv"
	"strings"

	"filmgraph/apperr"
	"filmgraph/relay"
)

// Keyset paging of connections: `first`/`after` and `last`/`before`, with cursors that
// carry the order keys of their item (see relay.KeysetCursor). A page is the items after
// (or before) the cursor's keys in the relation's order, so items inserted or deleted
// elsewhere in the list never shift it.

// Keys of the values a keyset connection's projection carries for the Go side.
const (
	KeyPageKeys  = "#keys"      // order keys of the page's items and one more, in reading order (null: see KeyPageEdges)
	KeyPageEdges = "#pageEdges" // the response name of an edges list read with one item more, for pageInfo
	KeyBackward  = "#backward"  // true when the page was read with last/before (keys reversed)
	KeyOutside   = "#outside"   // true when items exist on the other side of the cursor
	KeyOrder     = "#order"     // the name of the order, for the cursors
	KeyCursor    = "#cursor"    // an edge's order keys
)

// sortKey is one key of an order: an expression over {p}, {r}, {n} and its direction.
type sortKey struct {
	expr string
	desc bool
}

// sortKeys splits a relation's ORDER BY template at its top-level commas (not those inside
// calls and subqueries) into keys.
func sortKeys(orderBy string) []sortKey {
	var keys []sortKey
	depth, start := 0, 0
	add := func(item string) {
		item = strings.TrimSpace(item)
		key := sortKey{expr: item}
		if e, ok := strings.CutSuffix(item, " DESC"); ok {
			key = sortKey{expr: e, desc: true}
		} else if e, ok := strings.CutSuffix(item, " ASC"); ok {
			key.expr = e
		}
		keys = append(keys, key)
	}
	for i, c := range orderBy {
		switch c {
		case '(', '{', '[':
			depth++
		case ')', '}', ']':
			depth--
		case ',':
			if depth == 0 {
				add(orderBy[start:i])
				start = i + 1
			}
		}
	}
	add(orderBy[start:])
	return keys
}

// orderName names a relation's order for its cursors: a cursor read by another list or
// order is refused instead of being compared with keys it was not made of.
func orderName(rel relation) string {
	h := fnv.New32a()
	pattern := rel.pattern
	if rel.namedBy != "" {
		pattern = rel.namedBy
	}
	h.Write([]byte(pattern + "|" + rel.orderBy))
	return strconv.FormatUint(uint64(h.Sum32()), 36)
}

// orderText writes keys as an ORDER BY list, reversed when reverse is set.
func orderText(keys []sortKey, reverse bool) string {
	parts := make([]string, len(keys))
	for i, k := range keys {
		dir := "ASC"
		if k.desc != reverse {
			dir = "DESC"
		}
		parts[i] = k.expr + " " + dir
	}
	return strings.Join(parts, ", ")
}

// afterKeys is the condition "the item sorts after the item with keys values" in the
// order keys (reversed: before it). Cypher sorts nulls last ascending and first
// descending; each comparison says so explicitly, and the whole is wrapped in coalesce,
// so the condition is never null and NOT is its exact complement.
func (b *builder) afterKeys(keys []sortKey, values []any, reverse bool) string {
	var alternatives []string
	var equal []string
	for i, k := range keys {
		desc := k.desc != reverse
		v := values[i]
		if strings.ContainsRune(k.expr, ' ') {
			k.expr = "(" + k.expr + ")" // e.g. `x IS NULL`: bind it before comparing
		}
		var greater, same string
		switch {
		case v == nil && desc:
			greater, same = k.expr+" IS NOT NULL", k.expr+" IS NULL"
		case v == nil:
			greater, same = "false", k.expr+" IS NULL"
		case desc:
			p := b.param(v)
			greater, same = k.expr+" < "+p, k.expr+" = "+p
		default:
			p := b.param(v)
			greater, same = "("+k.expr+" > "+p+" OR "+k.expr+" IS NULL)", k.expr+" = "+p
		}
		alternatives = append(alternatives, strings.Join(append(append([]string{}, equal...), greater), " AND "))
		equal = append(equal, same)
	}
	return "coalesce(" + strings.Join(alternatives, " OR ") + ", false)"
}

// pageArgs are a connection's validated paging arguments.
type pageArgs struct {
	size     int64
	backward bool  // last/before: the page ends at `before` (or the end of the list)
	after    []any // keys of the `after` cursor, nil without one
	before   []any // keys of the `before` cursor, nil without one
	keys     []sortKey
	order    string
}

// pageArgsOf validates first/after/last/before. `first` has a schema default, so it counts
// as given only when the query writes it: `last: 5` alone reads the last five.
func (b *builder) pageArgsOf(f Field, paging Page, rel relation) (pageArgs, error) {
	p := pageArgs{keys: sortKeys(rel.orderBy), order: orderName(rel)}
	firstGiven := f.Gives("first")
	if paging.Last != nil {
		if firstGiven {
			return p, apperr.New(apperr.BadUserInput, "field `%s` takes `first` or `last`, not both", f.Name)
		}
		n := *paging.Last
		if n < 1 || n > MaxPageSize {
			return p, pageSizeError(f, "last", n)
		}
		p.size, p.backward = n, true
	} else {
		n, err := pageSize(f, paging.First)
		if err != nil {
			return p, err
		}
		p.size = n
	}
	for _, c := range []struct {
		cursor *string
		values *[]any
	}{{paging.After, &p.after}, {paging.Before, &p.before}} {
		if c.cursor == nil {
			continue
		}
		values, err := relay.ParseKeysetCursor(*c.cursor, p.order, len(p.keys))
		if err != nil {
			return p, err
		}
		*c.values = values
	}
	return p, nil
}

// keysetConnection projects the connection f over rel below parent, paged by paging: its
// total, the page (read forwards or backwards from the cursors), and what the Go side
// needs for the cursors and pageInfo.
func (b *builder) keysetConnection(rel relation, parent string, f Field, paging Page, edge *objectType) (string, error) {
	p, err := b.pageArgsOf(f, paging, rel)
	if err != nil {
		return "", err
	}
	// The page: within the cursors' bounds, in reading order (reversed for last/before).
	page := rel
	var bounds []string
	if p.after != nil {
		bounds = append(bounds, b.afterKeys(p.keys, p.after, false))
	}
	if p.before != nil {
		bounds = append(bounds, b.afterKeys(p.keys, p.before, true))
	}
	if rel.where != "" {
		bounds = append([]string{rel.where}, bounds...)
	}
	page.where = strings.Join(bounds, " AND ")
	page.orderBy = orderText(p.keys, p.backward)
	withInfo := selects(b, f, "pageInfo")
	fields := Collect(f.Selections, []string{f.Type})
	edgesName := ""
	for _, cf := range fields {
		if cf.Name == "edges" {
			edgesName = cf.Alias
			break
		}
	}
	// pageInfo needs the keys of the page's items and of one more (which tells whether
	// more follow). With edges selected, the edges are read with that one more item (the
	// Go side drops it) rather than reading the page a second time for its keys.
	outside, keys, edgesSize := "false", "null", p.size
	if withInfo {
		if edgesName == "" {
			keys = b.collectKeys(page, parent, p)
		} else {
			edgesSize = p.size + 1
		}
	}
	// Items beyond the cursor the page starts from: for hasPreviousPage (forwards) or
	// hasNextPage (backwards), only when selected. Read forwards from an index (see
	// pageRows), they are the items up to the cursor's value in that index: a scan of the
	// label for them read up to 20,000 films before finding one (films by year).
	beyond := map[bool]string{false: "hasPreviousPage", true: "hasNextPage"}[p.backward]
	if from := map[bool][]any{false: p.after, true: p.before}[p.backward]; from != nil && withInfo && selectsPageInfo(f, beyond) {
		other := rel
		conditions := nonEmpty(rel.where, "NOT "+b.afterKeys(p.keys, from, p.backward))
		if prop, ok := indexedFirstKey(rel, p); ok {
			op := "<="
			if p.keys[1].desc {
				op = ">="
			}
			conditions = append(conditions, prop+" "+op+" "+b.param(from[1]))
		}
		other.where = strings.Join(conditions, " AND ")
		r, n := b.variable("r"), b.variable("n")
		outside = "EXISTS { " + other.match(parent, r, n) + " }"
	}
	// Keyset pageInfo needs no total: only totalCount pays for counting the whole relation.
	var parts []string
	if selectsName(fields, "totalCount") {
		r, n := b.variable("r"), b.variable("n")
		parts = append(parts, "`"+KeyTotal+"`: "+rel.count(parent, r, n))
	}
	parts = append(parts,
		"`"+KeyFirst+"`: "+b.param(p.size),
		"`"+KeyBackward+"`: "+strconv.FormatBool(p.backward),
		"`"+KeyOrder+"`: "+b.param(p.order),
		"`"+KeyOutside+"`: "+outside,
		"`"+KeyPageKeys+"`: "+keys,
	)
	if withInfo && edgesName != "" {
		parts = append(parts, "`"+KeyPageEdges+"`: "+b.param(edgesName))
	}
	connectionType := f.Type
	for _, cf := range fields {
		switch cf.Name {
		case "totalCount", "pageInfo", "__typename":
			continue // derived in Go from the values above
		case "edges":
			// An edge's keys make its cursor, and pageInfo's cursors from the edges it
			// reads them from: without either, they would be read for nothing.
			withKeys := selects(b, cf, "cursor") || (withInfo && cf.Alias == edgesName)
			edges, err := b.collectEdges(page, parent, p, edgesSize, edge, cf, withKeys)
			if err != nil {
				return "", err
			}
			key, err := mapKey(cf.Alias)
			if err != nil {
				return "", err
			}
			parts = append(parts, key+": "+edges)
		default:
			return "", fmt.Errorf("cypher: no translation for %s.%s", connectionType, cf.Name)
		}
	}
	return "{" + strings.Join(parts, ", ") + "}", nil
}

// selectsPageInfo reports whether the connection f selects name in its pageInfo.
func selectsPageInfo(f Field, name string) bool {
	for _, cf := range Collect(f.Selections, []string{f.Type}) {
		if cf.Name == "pageInfo" && selectsName(Collect(cf.Selections, []string{"PageInfo"}), name) {
			return true
		}
	}
	return false
}

// selectsName reports whether fields hold one named name.
func selectsName(fields []Field, name string) bool {
	for _, f := range fields {
		if f.Name == name {
			return true
		}
	}
	return false
}

// keyList is the Cypher list of an item's order keys.
func (b *builder) keyList(keys []sortKey, parent, r, n string) string {
	exprs := make([]string, len(keys))
	for i, k := range keys {
		exprs[i] = expand(k.expr, parent, r, n)
	}
	return "[" + strings.Join(exprs, ", ") + "]"
}

// collectKeys collects the order keys of the page's items and of one more (which tells
// whether more follow), in reading order.
func (b *builder) collectKeys(page relation, parent string, p pageArgs) string {
	r, n := b.variable("r"), b.variable("n")
	return fmt.Sprintf("COLLECT { %s RETURN %s }", b.pageRows(page, parent, p, p.size+1, r, n), b.keyList(p.keys, parent, r, n))
}

// collectEdges collects size of the page's edges in list order, each carrying its order
// keys when withKeys is set.
func (b *builder) collectEdges(page relation, parent string, p pageArgs, size int64, edge *objectType, f Field, withKeys bool) (string, error) {
	r, n := b.variable("r"), b.variable("n")
	proj, err := b.project(edge, scope{node: n, rel: r}, f.Selections)
	if err != nil {
		return "", err
	}
	if withKeys {
		keys := "{`" + KeyCursor + "`: " + b.keyList(p.keys, parent, r, n)
		if proj == "{}" {
			proj = keys + "}"
		} else {
			proj = keys + ", " + proj[1:]
		}
	}
	edges := fmt.Sprintf("COLLECT { %s RETURN %s }", b.pageRows(page, parent, p, size, r, n), proj)
	if p.backward {
		edges = "reverse(" + edges + ")"
	}
	return edges, nil
}

// pageRows binds the first size items of the page (n, and r when the pattern names one)
// in reading order.
//
// Read forwards through a whole label ordered by a property (films by title, year or
// rating; people by name), the page is read from that property's index: first the items
// with a value, from the cursor's value on (an index range, in the index's order, so
// only about size entries are read), then, only when those run out, the items without
// one, which the order puts last. Sorting the label as a whole for each page read every
// film (about 237,000 db hits a page of films by title, against a few hundred).
func (b *builder) pageRows(page relation, parent string, p pageArgs, size int64, r, n string) string {
	limit := b.param(size)
	order := expand(page.orderBy, parent, r, n)
	prop, ok := indexedFirstKey(page, p)
	if !ok {
		return fmt.Sprintf("%s WITH %s ORDER BY %s LIMIT %s", page.match(parent, r, n), page.carried(r, n), order, limit)
	}
	// With a value, from the cursor's on; the order's first key (its IS NULL) is then
	// constant, and dropping it lets the index give the order.
	withValue, from := page, prop+" IS NOT NULL"
	if p.after != nil {
		op := ">="
		if p.keys[1].desc {
			op = "<="
		}
		from = prop + " " + op + " " + b.param(p.after[1])
	}
	withValue.where = strings.Join(nonEmpty(page.where, from), " AND ")
	withoutValue := page
	withoutValue.where = strings.Join(nonEmpty(page.where, prop+" IS NULL"), " AND ")
	head, more, first, rest := b.variable("head"), b.variable("more"), b.variable("n"), b.variable("n")
	return fill("WITH COLLECT { {head match} WITH {first} ORDER BY {head order} LIMIT {limit} RETURN {first} } AS {head} "+
		"UNWIND {head} + COLLECT { UNWIND CASE WHEN size({head}) < {limit} THEN [true] ELSE [] END AS {more} "+
		"{rest match} WITH {rest} ORDER BY {rest order} LIMIT {limit} RETURN {rest} } AS {n} WITH {n} ORDER BY {order} LIMIT {limit}",
		"head match", withValue.match(parent, r, first), "first", first, "head order", expand(orderText(p.keys[1:], false), parent, r, first),
		"limit", limit, "head", head, "more", more, "rest match", withoutValue.match(parent, r, rest), "rest", rest,
		"rest order", expand(page.orderBy, parent, r, rest), "n", n, "order", order)
}

// indexedFirstKey returns the property that a forward page of a whole label is ordered by
// first (the {n}.x of the order's leading `{n}.x IS NULL, {n}.x`), when the page can be
// read from that property's index: ok is false for other relations, for backward pages
// and for a cursor on an item without the property (the page is then among the items
// without it, which no index holds).
func indexedFirstKey(page relation, p pageArgs) (prop string, ok bool) {
	if p.backward || page.distinct || !wholeLabel.MatchString(page.pattern) || len(p.keys) < 3 {
		return "", false
	}
	prop = p.keys[1].expr
	if !nodeProperty.MatchString(prop) || p.keys[0].expr != prop+" IS NULL" || p.keys[0].desc {
		return "", false
	}
	if p.after != nil {
		if null, isBool := p.after[0].(bool); !isBool || null || p.after[1] == nil {
			return "", false
		}
	}
	return prop, true
}

var (
	wholeLabel   = regexp.MustCompile(`^\(\{n\}:\w+\)$`)
	nodeProperty = regexp.MustCompile(`^\{n\}\.\w+$`)
)

// nonEmpty returns the non-empty ones of parts.
func nonEmpty(parts ...string) []string {
	var out []string
	for _, p := range parts {
		if p != "" {
			out = append(out, p)
		}
	}
	return out
}
