package cypher

import (
	"reflect"
	"strings"
	"testing"
)

func TestCombineRenamesParametersApart(t *testing.T) {
	got, err := Combine([]Statement{
		{Text: "MATCH (m:Movie {movieId: $p0}) RETURN m {.title} AS this", Params: map[string]any{"p0": int64(1)}},
		{Text: "RETURN {n: $p0, w: $w1_0} AS this", Params: map[string]any{"p0": "x", "w1_0": 2}},
	})
	if err != nil {
		t.Fatal(err)
	}
	want := "CALL () { CALL () { MATCH (m:Movie {movieId: $s0_p0}) RETURN m {.title} AS this } RETURN collect(this) AS r0 }\n" +
		"CALL () { CALL () { RETURN {n: $s1_p0, w: $s1_w1_0} AS this } RETURN collect(this) AS r1 }\n" +
		"RETURN [r0, r1] AS this"
	if got.Text != want {
		t.Errorf("text:\n%s\nwant:\n%s", got.Text, want)
	}
	wantParams := map[string]any{"s0_p0": int64(1), "s1_p0": "x", "s1_w1_0": 2}
	if !reflect.DeepEqual(got.Params, wantParams) {
		t.Errorf("params %v, want %v", got.Params, wantParams)
	}
}

func TestPrefixParamsLeavesQuotedTextAndCommentsAlone(t *testing.T) {
	for text, want := range map[string]string{
		"RETURN '$p0' + $p0":                 "RETURN '$p0' + $x_p0",
		`RETURN "a\"$p1" + $p1`:              `RETURN "a\"$p1" + $x_p1`,
		"RETURN 'it\\'s $p' AS `$p`, $p":     "RETURN 'it\\'s $p' AS `$p`, $x_p",
		"RETURN `a``$b` AS this, $b":         "RETURN `a``$b` AS this, $x_b",
		"RETURN 1 // $p0\n, $p0":             "RETURN 1 // $p0\n, $x_p0",
		"RETURN /* $p0 */ $p0":               "RETURN /* $p0 */ $x_p0",
		"RETURN {`#first`: $p0}[$k] AS this": "RETURN {`#first`: $x_p0}[$x_k] AS this",
	} {
		got, err := prefixParams(text, "x_")
		if err != nil || got != want {
			t.Errorf("prefixParams(%q) = %q, %v; want %q", text, got, err, want)
		}
	}
}

func TestCombineRefusesWhatItCannotNest(t *testing.T) {
	for _, text := range []string{
		"CYPHER runtime=slotted RETURN 1 AS this",
		"  profile RETURN 1 AS this",
		"EXPLAIN RETURN 1 AS this",
		"USE neo4j RETURN 1 AS this",
		"RETURN $`odd name` AS this",
		"RETURN 'unterminated AS this",
		"RETURN 1 /* unterminated AS this",
	} {
		if got, err := Combine([]Statement{{Text: "RETURN 1 AS this"}, {Text: text}}); err == nil {
			t.Errorf("Combine of %q: no error, got %q", text, got.Text)
		} else if !strings.HasPrefix(err.Error(), "cypher: ") {
			t.Errorf("Combine of %q: error %q", text, err)
		}
	}
}
