package cypher

import (
	"errors"
	"strconv"
	"strings"
)

// Combine returns one statement that runs stmts, each in its own CALL subquery, and whose
// `this` is a list holding, for each of stmts in order, the list of its `this` values
// (empty when it yields no row). A query's root fields are translated one statement each;
// combined, they cost Neo4j one transaction and the driver one round trip instead of one
// per field.
//
// Each statement's parameters are renamed apart ($p0 of the second becomes $s1_p0), in its
// text and its Params. A statement that cannot run inside a subquery, or whose parameters
// cannot be renamed safely, is an error: run such statements apart.
func Combine(stmts []Statement) (Statement, error) {
	var text strings.Builder
	params := make(map[string]any)
	results := make([]string, len(stmts))
	for i, stmt := range stmts {
		prefix := "s" + strconv.Itoa(i) + "_"
		renamed, err := prefixParams(stmt.Text, prefix)
		if err != nil {
			return Statement{}, err
		}
		for name, value := range stmt.Params {
			params[prefix+name] = value
		}
		results[i] = "r" + strconv.Itoa(i)
		// The outer CALL aggregates: it yields one row even when the statement yields none,
		// without grouping by the lists collected before it.
		text.WriteString(fill("CALL () { CALL () { {statement} } RETURN collect(this) AS {result} }\n",
			"statement", renamed, "result", results[i]))
	}
	text.WriteString("RETURN [" + strings.Join(results, ", ") + "] AS this")
	return Statement{Text: text.String(), Params: params}, nil
}

// notInSubquery are the clauses that may only begin a whole statement.
var notInSubquery = []string{"CYPHER", "EXPLAIN", "PROFILE", "USE"}

// prefixParams renames every parameter of the statement text ($name) to $prefix+name. It
// reads the text as Cypher's lexer does, so a `$` inside a string literal, a quoted name
// or a comment is left alone.
func prefixParams(text, prefix string) (string, error) {
	if first, _, _ := strings.Cut(strings.TrimSpace(text), " "); first != "" {
		for _, clause := range notInSubquery {
			if strings.EqualFold(first, clause) {
				return "", errors.New("cypher: a statement beginning with " + clause + " cannot run in a subquery")
			}
		}
	}
	var out strings.Builder
	out.Grow(len(text) + len(text)/8)
	for i := 0; i < len(text); {
		c := text[i]
		switch {
		case c == '\'' || c == '"' || c == '`':
			end := closing(text, i)
			if end < 0 {
				return "", errors.New("cypher: unterminated quote in a statement")
			}
			out.WriteString(text[i:end])
			i = end
		case c == '/' && strings.HasPrefix(text[i:], "//"):
			end := strings.IndexByte(text[i:], '\n')
			if end < 0 {
				end = len(text) - i
			}
			out.WriteString(text[i : i+end])
			i += end
		case c == '/' && strings.HasPrefix(text[i:], "/*"):
			end := strings.Index(text[i+2:], "*/")
			if end < 0 {
				return "", errors.New("cypher: unterminated comment in a statement")
			}
			out.WriteString(text[i : i+2+end+2])
			i += 2 + end + 2
		case c == '$':
			name := i + 1
			for name < len(text) && isNameByte(text[name]) {
				name++
			}
			if name == i+1 {
				return "", errors.New("cypher: a parameter without a plain name cannot be renamed")
			}
			out.WriteString("$" + prefix)
			out.WriteString(text[i+1 : name])
			i = name
		default:
			out.WriteByte(c)
			i++
		}
	}
	return out.String(), nil
}

// closing returns the index just past the quote that closes the one at text[open], or -1.
// Inside string literals a backslash escapes the next character; inside `names` a quote is
// escaped by doubling it, which reads as two quoted names side by side and ends the same.
func closing(text string, open int) int {
	quote := text[open]
	for i := open + 1; i < len(text); i++ {
		switch text[i] {
		case '\\':
			if quote != '`' {
				i++
			}
		case quote:
			return i + 1
		}
	}
	return -1
}

func isNameByte(c byte) bool {
	return c == '_' || '0' <= c && c <= '9' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z'
}
