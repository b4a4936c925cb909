package cypher

import (
	"strings"
	"testing"
)

// TestExpandMatchesReplacer checks fill, through expand, against strings.Replacer, which
// it replaced.
func TestExpandMatchesReplacer(t *testing.T) {
	templates := []string{
		"", "({p})<-[{r}:DIRECTED]-({n})", "{n}.name, {n}.personId", "coalesce({n}.year, -1) DESC",
		"COUNT { {p} } {x} {{n}} {n", "{", "}{r}{", "{n}{n}{p}", "a {q} b {nn} c",
		"{movie: {n}, score: {r}}", "{p", "{}", "{{}}", "{n}}", "x{p}y{r}z{n}",
	}
	for _, tpl := range templates {
		want := strings.NewReplacer("{p}", "this", "{r}", "r1", "{n}", "n2").Replace(tpl)
		if got := expand(tpl, "this", "r1", "n2"); got != want {
			t.Errorf("expand(%q) = %q, want %q", tpl, got, want)
		}
	}
}

func TestIsGraphQLName(t *testing.T) {
	for name, want := range map[string]bool{
		"title": true, "_x": true, "a1": true, "A_b9": true,
		"": false, "1a": false, "a-b": false, "a b": false, "a`": false, "é": false,
	} {
		if got := isGraphQLName(name); got != want {
			t.Errorf("isGraphQLName(%q) = %v, want %v", name, got, want)
		}
	}
}
