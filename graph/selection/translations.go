package selection

import (
	"context"
	"crypto/sha256"
	"strconv"

	"github.com/99designs/gqlgen/graphql"
	lru "github.com/hashicorp/golang-lru/v2"
	"github.com/vektah/gqlparser/v2/ast"

	"filmgraph/auth"
	"filmgraph/cypher"
)

// Translations caches the statements of reads. A statement is cached under everything it is a
// function of: the query document, the operation, the field (alias, name), the translation,
// the viewer, and the values of the variables the field reads. Entity reads (cypher.Movie,
// Person, Genre, User: Entity), whose text does not depend on the entity's key, which they
// pass as cypher.EntityKeyParam, are cached without the key and the variables of the
// field's own arguments, so that a page asked for any film hits; other reads (Whole) need
// the same values of all the field's variables. A hit skips building the selection and
// translating it.
//
// The key is a SHA-256 of those inputs, so no request text is kept and no other client's
// request can collide with an entry. The cache holds at most its number of entries, each at
// most its bytes (the statement and its parameters): larger statements are not cached.
// Failed translations are not cached. It is safe for concurrent use; a nil *Translations
// caches nothing.
type Translations struct {
	entries       *lru.Cache[[sha256.Size]byte, *template]
	maxEntryBytes int
}

// template is a cached statement; Params lacks nothing but its key's value.
type template struct {
	text   string
	params map[string]any
}

// NewTranslations returns a cache of at most entries statements of at most entryBytes each.
func NewTranslations(entries, entryBytes int) *Translations {
	cache, err := lru.New[[sha256.Size]byte, *template](entries)
	if err != nil {
		panic(err) // entries <= 0: a programming error
	}
	return &Translations{entries: cache, maxEntryBytes: entryBytes}
}

// Len is the number of cached statements.
func (t *Translations) Len() int { return t.entries.Len() }

// Entity returns the statement of the field being resolved, an entity read of the given kind
// ("Movie", the translation's name) for key: translate(req, key) on a miss, the cached text
// with key in cypher.EntityKeyParam on a hit. translate must put its key in that parameter
// and nowhere else (package cypher tests that of its entity reads).
func Entity[K any](ctx context.Context, t *Translations, kind string, translate func(cypher.Request, K) (cypher.Statement, error), key K) (cypher.Statement, error) {
	return t.statement(ctx, kind, true, key, func() (cypher.Statement, error) { return translate(Request(ctx), key) })
}

// Whole returns the statement of the field being resolved, translate(req), which must be a
// function of the request alone (the selection, the field's own arguments, the viewer). It
// is cached under the values of every variable the field reads, its arguments' included:
// a hit needs the same values.
func Whole(ctx context.Context, t *Translations, kind string, translate func(cypher.Request) (cypher.Statement, error)) (cypher.Statement, error) {
	return t.statement(ctx, kind, false, nil, func() (cypher.Statement, error) { return translate(Request(ctx)) })
}

// statement looks the field being resolved up, and translates and caches it on a miss. keyed
// statements hold key in cypher.EntityKeyParam and are cached without it, and without the
// field's own arguments, which their translations do not read.
func (t *Translations) statement(ctx context.Context, kind string, keyed bool, key any, translate func() (cypher.Statement, error)) (cypher.Statement, error) {
	if t == nil || !graphql.HasOperationContext(ctx) || graphql.GetFieldContext(ctx) == nil {
		return translate()
	}
	id, ok := t.key(ctx, kind, !keyed)
	if !ok {
		return translate()
	}
	if tmpl, hit := t.entries.Get(id); hit {
		params := make(map[string]any, len(tmpl.params)+1)
		for name, v := range tmpl.params {
			params[name] = v
		}
		if keyed {
			params[cypher.EntityKeyParam] = key
		}
		return cypher.Statement{Text: tmpl.text, Params: params}, nil
	}
	stmt, err := translate()
	if err != nil {
		return stmt, err
	}
	params := make(map[string]any, len(stmt.Params))
	for name, v := range stmt.Params {
		if !keyed || name != cypher.EntityKeyParam {
			params[name] = v
		}
	}
	if size, ok := sizeOf(params, t.maxEntryBytes-len(stmt.Text)); ok && len(stmt.Text)+size <= t.maxEntryBytes {
		t.entries.Add(id, &template{text: stmt.Text, params: params})
	}
	return stmt, nil
}

// key hashes what the statement of the field being resolved depends on besides its key.
// ok is false when a variable cannot be encoded (then nothing is cached).
// withArguments adds the variables of the field's own arguments.
func (t *Translations) key(ctx context.Context, kind string, withArguments bool) (id [sha256.Size]byte, ok bool) {
	op := graphql.GetOperationContext(ctx)
	fc := graphql.GetFieldContext(ctx)
	k := NewCacheKey()
	k.Part(kind)
	if withArguments {
		k.Part("whole")
	} else {
		k.Part("keyed")
	}
	k.Document(op)
	k.Part(op.OperationName)
	k.Part(fc.Object)
	k.Part(fc.Field.Alias)
	k.Part(fc.Field.Name)
	if v, signedIn := auth.FromContext(ctx); signedIn {
		k.Part("viewer " + strconv.FormatInt(v.UserID, 10) + " " + v.Role)
	} else {
		k.Part("anonymous")
	}
	names := map[string]bool{}
	if withArguments {
		argumentVariables(fc.Field.Arguments, names)
	}
	variablesIn(op.Doc, fc.Field.Selections, names, map[string]bool{})
	if !k.Variables(op.Variables, names) {
		return id, false
	}
	return k.Sum(), true
}

// VariablesIn is the set of variables that set's fields and fragments read, in arguments
// and directives, through the fragments it spreads: what a value computed from set under
// the operation's variables depends on besides the document.
func VariablesIn(doc *ast.QueryDocument, set ast.SelectionSet) map[string]bool {
	names := map[string]bool{}
	variablesIn(doc, set, names, map[string]bool{})
	return names
}

// variablesIn adds to names the variables that set's fields and fragments read, in
// arguments and directives, through the fragments it spreads (each visited once).
func variablesIn(doc *ast.QueryDocument, set ast.SelectionSet, names, fragments map[string]bool) {
	for _, sel := range set {
		switch sel := sel.(type) {
		case *ast.Field:
			argumentVariables(sel.Arguments, names)
			directiveVariables(sel.Directives, names)
			variablesIn(doc, sel.SelectionSet, names, fragments)
		case *ast.InlineFragment:
			directiveVariables(sel.Directives, names)
			variablesIn(doc, sel.SelectionSet, names, fragments)
		case *ast.FragmentSpread:
			directiveVariables(sel.Directives, names)
			if fragments[sel.Name] {
				continue
			}
			fragments[sel.Name] = true
			if f := doc.Fragments.ForName(sel.Name); f != nil {
				directiveVariables(f.Directives, names)
				variablesIn(doc, f.SelectionSet, names, fragments)
			}
		}
	}
}

func directiveVariables(directives ast.DirectiveList, names map[string]bool) {
	for _, d := range directives {
		argumentVariables(d.Arguments, names)
	}
}

func argumentVariables(args ast.ArgumentList, names map[string]bool) {
	for _, arg := range args {
		ValueVariables(arg.Value, names)
	}
}

// ValueVariables adds to names the variables that the argument value v reads.
func ValueVariables(v *ast.Value, names map[string]bool) {
	if v == nil {
		return
	}
	if v.Kind == ast.Variable {
		names[v.Raw] = true
		return
	}
	for _, child := range v.Children {
		ValueVariables(child.Value, names)
	}
}

// sizeOf estimates the bytes v holds (strings and containers, 16 per value); ok is false once
// it passes limit, where it stops, and for a type it does not know (not cached then).
func sizeOf(v any, limit int) (size int, ok bool) {
	size = 16
	switch v := v.(type) {
	case nil, bool, int, int64, float64:
	case string:
		size += len(v)
	case []any:
		for _, e := range v {
			n, ok := sizeOf(e, limit-size)
			if size += n; !ok {
				return size, false
			}
		}
	case []string:
		for _, e := range v {
			size += 16 + len(e)
		}
	case map[string]any:
		for k, e := range v {
			n, ok := sizeOf(e, limit-size-len(k))
			if size += len(k) + n; !ok {
				return size, false
			}
		}
	case []int64:
		size += 8 * len(v)
	default:
		return size, false
	}
	return size, size <= limit
}
