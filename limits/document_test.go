package limits

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler/lru"
	"github.com/vektah/gqlparser/v2/ast"
)

// fanOut is a document whose fragments each spread the next one twice, levels deep: it
// selects 2^levels fields once expanded.
func fanOut(levels int) string {
	var b strings.Builder
	b.WriteString("{ ...F0 }")
	for i := range levels {
		fmt.Fprintf(&b, " fragment F%d on Query { ...F%d ...F%d }", i, i+1, i+1)
	}
	fmt.Fprintf(&b, " fragment F%d on Query { __typename }", levels)
	return b.String()
}

// check runs the extension on query as gqlgen would, returning the code it answers ("" when
// it lets the query through) and its message.
func check(t *testing.T, d Document, query string) (code, message string) {
	t.Helper()
	err := d.MutateOperationParameters(context.Background(), &graphql.RawParams{Query: query})
	if err == nil {
		return "", ""
	}
	code, _ = err.Extensions["code"].(string)
	return code, err.Message
}

func TestDocumentCountsFieldsAsExpanded(t *testing.T) {
	cases := []struct {
		name, query string
		fields      int // counted by hand
	}{
		{"flat", `{ a b c }`, 3},
		{"nested", `{ a { b { c } } }`, 3},
		{"inline fragments add no field", `{ ... on Query { a ... { b } } }`, 2},
		{"a fragment counts each time it is spread", `{ x { ...F } y { ...F ...F } } fragment F on T { a b }`, 8},
		{"nested fragments", `{ ...A } fragment A on Query { b ...B ...B } fragment B on Query { c { d } }`, 5},
		{"a fragment no operation spreads counts once", `{ a } fragment U on Query { b c }`, 3},
		{"every operation counts", `query A { a b } query B { c }`, 3},
		{"an unknown fragment counts nothing", `{ a b ...Missing }`, 2},
		{"fan-out 10", fanOut(10), 1 << 10},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if code, msg := check(t, Document{MaxFields: tc.fields}, tc.query); code != "" {
				t.Errorf("at the limit of %d: %s %s", tc.fields, code, msg)
			}
			code, msg := check(t, Document{MaxFields: tc.fields - 1}, tc.query)
			if code != "FIELD_LIMIT_EXCEEDED" || !strings.Contains(msg, fmt.Sprintf(" %d fields", tc.fields)) {
				t.Errorf("over the limit by one: %q %q, want FIELD_LIMIT_EXCEEDED counting %d", code, msg, tc.fields)
			}
		})
	}
}

func TestDocumentFanOutIsMeasuredWithoutExpanding(t *testing.T) {
	for _, levels := range []int{20, 30, 60, 200} {
		start := time.Now()
		code, msg := check(t, Document{MaxFields: 2000, MaxSelectionFields: 200}, fanOut(levels))
		if code != "FIELD_LIMIT_EXCEEDED" {
			t.Errorf("%d levels: %q %q", levels, code, msg)
		}
		// 2^60 and more do not fit the count: it saturates instead of overflowing.
		if levels < 40 && !strings.Contains(msg, fmt.Sprint(uint64(1)<<levels)) {
			t.Errorf("%d levels: %q does not count 2^%d fields", levels, msg, levels)
		}
		if elapsed := time.Since(start); elapsed > 5*time.Second {
			t.Errorf("%d levels took %v", levels, elapsed)
		}
	}
}

func TestDocumentMergesSelectionSetsAsTheResponseDoes(t *testing.T) {
	cases := []struct {
		name, query string
		largest     int // fields of the largest merged selection set, by hand
	}{
		{"repeated field", `{ a a a }`, 3},
		{"same-named fields merge their selections", `{ a { x x } a { x y } b }`, 4},
		{"aliases are different response names", `{ p: a { x x } q: a { x } }`, 2},
		{"fragments are spread into the set", `{ a ...F ...F } fragment F on Query { b c }`, 5},
		{"inline fragments too", `{ a ... on Query { b ... { c d } } }`, 4},
		{"merged below fragments", `{ ...F ...F } fragment F on Query { m { x y z } }`, 6},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if code, msg := check(t, Document{MaxFields: 100, MaxSelectionFields: tc.largest}, tc.query); code != "" {
				t.Errorf("at the limit of %d: %s %s", tc.largest, code, msg)
			}
			if code, msg := check(t, Document{MaxFields: 100, MaxSelectionFields: tc.largest - 1}, tc.query); code != "SELECTION_LIMIT_EXCEEDED" {
				t.Errorf("over the limit by one: %q %q", code, msg)
			}
		})
	}
}

func TestDocumentLiteralLimits(t *testing.T) {
	cases := []struct {
		name  string
		limit Document
		query string
		code  string
	}{
		{"spreads within", Document{MaxFragmentSpreads: 3}, `{ ...F ...F a { ...F } } fragment F on Query { b }`, ""},
		{"spreads over", Document{MaxFragmentSpreads: 2}, `{ ...F ...F a { ...F } } fragment F on Query { b }`, "FRAGMENT_LIMIT_EXCEEDED"},
		{"spreads in fragments count", Document{MaxFragmentSpreads: 1}, `{ ...F } fragment F on Query { ...G } fragment G on Query { b }`, "FRAGMENT_LIMIT_EXCEEDED"},
		{"directives within", Document{MaxDirectives: 2}, `{ a @skip(if: false) @include(if: true) }`, ""},
		{"directives on a field", Document{MaxDirectives: 1}, `{ a @skip(if: false) @include(if: true) }`, "DIRECTIVE_LIMIT_EXCEEDED"},
		{"directives on a spread", Document{MaxDirectives: 1}, `{ ...F @a @b } fragment F on Query { b }`, "DIRECTIVE_LIMIT_EXCEEDED"},
		{"directives on an operation", Document{MaxDirectives: 1}, `query @a @b { a }`, "DIRECTIVE_LIMIT_EXCEEDED"},
		{"directives on a fragment", Document{MaxDirectives: 1}, `{ ...F } fragment F on Query @a @b { b }`, "DIRECTIVE_LIMIT_EXCEEDED"},
		{"variables within", Document{MaxVariables: 2}, `query($a: Int, $b: Int) { f(a: $a, b: $b) }`, ""},
		{"variables over", Document{MaxVariables: 1}, `query($a: Int, $b: Int) { f(a: $a, b: $b) }`, "VARIABLE_LIMIT_EXCEEDED"},
		{"not UTF-8", Document{}, "{ a(s: \"\xff\") }", "GRAPHQL_PARSE_FAILED"},
		{"does not parse", Document{}, `{ a `, "GRAPHQL_PARSE_FAILED"},
		{"over the token limit", Document{TokenLimit: 5}, `{ a b c d e }`, "GRAPHQL_PARSE_FAILED"},
		{"no query: gqlgen answers", Document{MaxFields: 1}, ``, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if code, msg := check(t, tc.limit, tc.query); code != tc.code {
				t.Errorf("got %q %q, want %q", code, msg, tc.code)
			}
		})
	}
}

func TestDocumentCountsVariableValues(t *testing.T) {
	vars := map[string]any{"ids": []any{"a", "b", "c"}, "filter": map[string]any{"genres": []any{"x"}, "yearFrom": 1990}, "n": nil}
	// ids, its 3 elements, filter, genres, its element, yearFrom, n: 9 values.
	for limit, want := range map[int]string{9: "", 8: "VARIABLE_LIMIT_EXCEEDED", 1: "VARIABLE_LIMIT_EXCEEDED"} {
		err := Document{MaxVariableValues: limit}.MutateOperationParameters(context.Background(), &graphql.RawParams{Query: `{ a }`, Variables: vars})
		code := ""
		if err != nil {
			code, _ = err.Extensions["code"].(string)
		}
		if code != want {
			t.Errorf("limit %d: got %v, want %q", limit, err, want)
		}
	}
	// A huge list is not walked to its end.
	huge := make([]any, 1_000_000)
	start := time.Now()
	if got := countValues(huge, 10); got != 11 {
		t.Errorf("counted %d, want 11: the list and 10 elements, one over the limit", got)
	}
	if elapsed := time.Since(start); elapsed > time.Second {
		t.Errorf("took %v", elapsed)
	}
}

func TestDocumentLeavesCyclesToValidation(t *testing.T) {
	limits := Document{MaxFields: 2000, MaxSelectionFields: 200}
	// A cycle through spreads alone selects nothing: validation names the cycle.
	if code, msg := check(t, limits, `{ ...A } fragment A on Query { ...B } fragment B on Query { ...A }`); code != "" {
		t.Errorf("spread cycle: %q %q", code, msg)
	}
	// A cycle through a field nests without end: the walk stops at the field limit.
	code, msg := check(t, limits, `{ ...A } fragment A on Query { a { ...A } }`)
	if code != "FIELD_LIMIT_EXCEEDED" {
		t.Errorf("field cycle: %q %q", code, msg)
	}
}

func TestDocumentRespectsTheDeadline(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	err := Document{}.MutateOperationParameters(ctx, &graphql.RawParams{Query: `{ a }`})
	if err == nil || err.Extensions["code"] != "TIMEOUT" {
		t.Errorf("got %v, want TIMEOUT", err)
	}
}

func TestDocumentTrustsValidatedQueries(t *testing.T) {
	validated := lru.New[*ast.QueryDocument](10)
	query := `{ a b }`
	limits := Document{MaxFields: 1, Validated: validated}
	if code, _ := check(t, limits, query); code != "FIELD_LIMIT_EXCEEDED" {
		t.Fatalf("not cached: got %q", code)
	}
	// gqlgen caches only documents that passed every check: the limits in force then.
	validated.Add(context.Background(), query, &ast.QueryDocument{})
	if code, msg := check(t, limits, query); code != "" {
		t.Errorf("cached: got %q %q", code, msg)
	}
}
