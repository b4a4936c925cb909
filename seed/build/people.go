package main

import (
	"cmp"
	"maps"
	"slices"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// personKey is what two spellings of one person's name share: the letters
// without accents ("Toshirō" = "Toshiro"), case ("DeVine" = "Devine"),
// periods and commas ("D.W." = "D. W.", "Hale, Jr." = "Hale Jr."), with
// spaces collapsed. The Wikipedia lists spell one person several ways from
// film to film; nothing else tells two people of one name apart, so a name
// already stands for one person.
func personKey(name string) string {
	var b strings.Builder
	for _, r := range norm.NFKD.String(name) {
		switch {
		case unicode.Is(unicode.Mn, r):
		case r == '.' || r == ',':
			b.WriteRune(' ')
		default:
			b.WriteRune(unicode.ToLower(r))
		}
	}
	return strings.Join(strings.Fields(b.String()), " ")
}

// personNames groups the names that share a personKey and returns, for each
// name, the one spelling its person goes by: the one credited most, then the
// one with more accented letters (Wikipedia's article titles keep them), then
// the first in byte order. merged counts the spellings folded into another.
func personNames(credits map[string]int) (canonical map[string]string, merged int) {
	groups := map[string][]string{}
	for n := range credits {
		k := personKey(n)
		groups[k] = append(groups[k], n)
	}
	canonical = make(map[string]string, len(credits))
	for _, names := range groups {
		slices.SortFunc(names, func(a, b string) int {
			return cmp.Or(-cmp.Compare(credits[a], credits[b]), -cmp.Compare(nonASCII(a), nonASCII(b)), strings.Compare(a, b))
		})
		for _, n := range names {
			canonical[n] = names[0]
		}
		merged += len(names) - 1
	}
	return canonical, merged
}

func nonASCII(s string) int {
	n := 0
	for _, r := range s {
		if r > unicode.MaxASCII {
			n++
		}
	}
	return n
}

// personIDs numbers the people (canonical maps every spelling to its person's
// name) so that ids stay put as the catalogue grows: the names credited on
// MovieLens films keep the ids they had before the Wikipedia-only films and the
// merging of spellings came (1.. by name in byte order, over every spelling
// credited there); a person merged from several of them takes the id of its
// own spelling, or else the smallest (the others' ids are left unused); the
// people credited only on Wikipedia-only films follow, by name. It returns
// the id of every spelling.
func personIDs(canonical map[string]string, movieLensNames []string) map[string]int {
	old := slices.Sorted(maps.Keys(setOf(movieLensNames)))
	oldID := make(map[string]int, len(old))
	for i, n := range old {
		oldID[n] = i + 1
	}
	byPerson := map[string]int{}
	for _, n := range old {
		c := canonical[n]
		if id, ok := oldID[c]; ok {
			byPerson[c] = id
		} else if _, ok := byPerson[c]; !ok {
			byPerson[c] = oldID[n] // the first of the sorted spellings: the smallest id
		}
	}
	restSet := map[string]bool{}
	for _, c := range canonical {
		if _, ok := byPerson[c]; !ok {
			restSet[c] = true
		}
	}
	rest := slices.Sorted(maps.Keys(restSet))
	for i, c := range rest {
		byPerson[c] = len(old) + 1 + i
	}
	ids := make(map[string]int, len(canonical))
	for n, c := range canonical {
		ids[n] = byPerson[c]
	}
	return ids
}

func setOf(xs []string) map[string]bool {
	out := make(map[string]bool, len(xs))
	for _, x := range xs {
		out[x] = true
	}
	return out
}
