package cypher

import "filmgraph/auth"

// Request is everything a translation reads besides its typed top-level arguments: the
// selected field and who asks. It is built once, at the resolver boundary (package
// graph/selection), so that translations are pure functions of their inputs.
type Request struct {
	Field Field
	// Viewer is the signed-in member; nil when the request is anonymous.
	Viewer *auth.Viewer
}

// Field is one selected field of an operation as translations read it: fragments
// flattened, @skip and @include applied, arguments decoded.
type Field struct {
	Alias string // the response name
	Name  string // the field's name in the schema
	Type  string // the named type of its value, lists and non-null unwrapped, e.g. "MovieConnection"
	// Args holds the argument values with variables and schema defaults applied, as
	// GraphQL decodes them: int64 or json.Number for Int, []any for lists, map[string]any
	// for input objects.
	Args map[string]any
	// Given names the arguments the query writes, as a value or as a variable the request
	// sets: a schema default is in Args but not given (`last: 5` alone reads the last five
	// although `first` has a default).
	Given []string
	// On lists the type conditions of the fragments the field was selected in: it applies
	// to an object whose type satisfies every one of them (see Collect).
	On []string
	// Selections is the field's selection set; nil for a leaf.
	Selections []Field
}

// Gives reports whether the query writes argument name of f (see Given).
func (f Field) Gives(name string) bool { return contains(f.Given, name) }

// Collect returns the fields of selections that apply to an object whose type satisfies
// the names in satisfies (its own name and its interfaces'), in document order; a
// response name selected more than once gives one field whose selections are all of
// theirs, as GraphQL merges them.
func Collect(selections []Field, satisfies []string) []Field {
	if simple(selections) {
		return selections // the common case: no fragment, no repeated name
	}
	out := make([]Field, 0, len(selections))
next:
	for _, f := range selections {
		for _, cond := range f.On {
			if !contains(satisfies, cond) {
				continue next
			}
		}
		for i := range out {
			if out[i].Alias == f.Alias && out[i].Name == f.Name {
				out[i].Selections = append(out[i].Selections[:len(out[i].Selections):len(out[i].Selections)], f.Selections...)
				continue next
			}
		}
		f.On = nil
		out = append(out, f)
	}
	return out
}

// simple reports whether selections has no type condition and no repeated response name,
// so that collecting them changes nothing.
func simple(selections []Field) bool {
	for i, f := range selections {
		if len(f.On) > 0 {
			return false
		}
		for _, g := range selections[:i] {
			if g.Alias == f.Alias {
				return false
			}
		}
	}
	return true
}

func contains(names []string, name string) bool {
	for _, n := range names {
		if n == name {
			return true
		}
	}
	return false
}
