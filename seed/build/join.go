package main

import (
	"fmt"
	"strconv"
)

// joinKind says how a MovieLens film met its Wikipedia entry; a lower value
// is a stronger match and wins when two films claim one entry.
type joinKind int

const (
	joinNone     joinKind = iota
	joinExact             // main title, same year
	joinAlt               // alternate title ("a.k.a.", original language), same year
	joinNear              // main title, year ±1, the only candidate
	joinAltNear           // alternate title, year ±1, the only candidate
	joinSubtitle          // series name or subtitle alone, same year, the only candidate
)

var joinKindNames = map[joinKind]string{
	joinExact: "title+year", joinAlt: "alternate title+year", joinNear: "title+year±1",
	joinAltNear: "alternate title+year±1", joinSubtitle: "subtitle part+year",
}

func (k joinKind) String() string { return joinKindNames[k] }

// wikiIndex finds Wikipedia entries by title key and year. Each map goes
// from indexKey(key, year) to the entries with that key.
type wikiIndex struct {
	full   map[string][]*wikiFilm // normalizeTitle(title)
	strict map[string][]*wikiFilm // strictTitle(title)
	weak   map[string][]*wikiFilm // weakKeys(title)
}

func indexKey(norm string, year int) string { return norm + "|" + strconv.Itoa(year) }

// newWikiIndex indexes films by every key kind.
func newWikiIndex(films []*wikiFilm) *wikiIndex {
	ix := &wikiIndex{full: map[string][]*wikiFilm{}, strict: map[string][]*wikiFilm{}, weak: map[string][]*wikiFilm{}}
	add := func(m map[string][]*wikiFilm, key string, f *wikiFilm) {
		if key != "" {
			m[indexKey(key, f.Year)] = append(m[indexKey(key, f.Year)], f)
		}
	}
	for _, f := range films {
		add(ix.full, normalizeTitle(f.Title), f)
		add(ix.strict, strictTitle(f.Title), f)
		var keys []string
		for _, k := range weakKeys(f.Title) {
			keys = append(keys, k.Key)
		}
		for _, k := range uniqueKeys(keys...) {
			add(ix.weak, k, f)
		}
	}
	return ix
}

// candidates returns the distinct Wikipedia articles listed in m under any
// of keys in any of years, the first entry of each article found.
func candidates(m map[string][]*wikiFilm, keys []string, years ...int) []*wikiFilm {
	var out []*wikiFilm
	seen := map[string]bool{}
	for _, y := range years {
		for _, k := range keys {
			for _, f := range m[indexKey(k, y)] {
				if id := f.identity(); !seen[id] {
					seen[id] = true
					out = append(out, f)
				}
			}
		}
	}
	return out
}

// joinResult is the outcome of matching one MovieLens title.
type joinResult struct {
	Film      *wikiFilm
	Kind      joinKind
	Ambiguous bool // a tier had several candidates, so the film stays unjoined
}

// matchTitle finds the Wikipedia entry of a parsed MovieLens title. Tiers
// are tried strongest first (see joinKind); the first tier with any
// candidate decides: one candidate joins, several leave the film unjoined
// rather than guess. Films without a year are never joined.
func (ix *wikiIndex) matchTitle(t mlTitle) joinResult {
	if t.Year == nil {
		return joinResult{}
	}
	y := *t.Year
	keys := func(f func(string) string, titles ...string) []string {
		var out []string
		for _, s := range titles {
			out = append(out, f(s))
		}
		return uniqueKeys(out...)
	}
	main := keys(normalizeTitle, t.Primary, t.Full)
	alts := keys(normalizeTitle, t.Alternates...)
	strictMain := keys(strictTitle, t.Primary, t.Full)
	strictAlts := keys(strictTitle, t.Alternates...)
	var weak []weakKey
	for _, s := range append([]string{t.Primary}, t.Alternates...) {
		weak = append(weak, weakKeys(s)...)
	}
	tiers := []struct {
		kind joinKind
		find func() []*wikiFilm
	}{
		{joinExact, func() []*wikiFilm { return candidates(ix.full, main, y) }},
		{joinAlt, func() []*wikiFilm { return candidates(ix.full, alts, y) }},
		{joinNear, func() []*wikiFilm { return candidates(ix.strict, strictMain, y-1, y+1) }},
		{joinAltNear, func() []*wikiFilm { return candidates(ix.strict, strictAlts, y-1, y+1) }},
		{joinSubtitle, func() []*wikiFilm { return ix.weakCandidates(main, weak, y) }},
	}
	for _, tier := range tiers {
		switch c := tier.find(); len(c) {
		case 0:
			continue
		case 1:
			return joinResult{Film: c[0], Kind: tier.kind}
		default:
			return joinResult{Ambiguous: true}
		}
	}
	return joinResult{}
}

// weakCandidates is the last tier: a subtitle, series name or possessive
// credit on either side, same year. The whole MovieLens title may be a part
// of the Wikipedia one ("Animal House", "National Lampoon's Animal House").
// A part of the MovieLens title only counts when the Wikipedia title or lead
// paragraph also names the part left out, so "Star Wars: Episode V - The
// Empire Strikes Back" meets "The Empire Strikes Back" (a Star Wars film)
// but "Aguirre: The Wrath of God" does not meet a 1972 "The Wrath of God".
func (ix *wikiIndex) weakCandidates(main []string, weak []weakKey, year int) []*wikiFilm {
	all := candidates(ix.weak, main, year)
	for _, w := range weak {
		for _, f := range append(candidates(ix.full, []string{w.Key}, year), candidates(ix.weak, []string{w.Key}, year)...) {
			if w.Rest == "" || containsPhrase(strictTitle(f.Title+" "+f.Extract), w.Rest) {
				all = append(all, f)
			}
		}
	}
	var out []*wikiFilm
	seen := map[string]bool{}
	for _, f := range all {
		if !seen[f.identity()] {
			seen[f.identity()] = true
			out = append(out, f)
		}
	}
	return out
}

// uniqueKeys drops empty and repeated keys, keeping order.
func uniqueKeys(keys ...string) []string {
	var out []string
	for _, k := range keys {
		if k != "" {
			out = append(out, k)
		}
	}
	return dedupe(out)
}

// joinStats counts the outcome of joinAll for the build report.
type joinStats struct {
	Total, Joined, Ambiguous, NoYear, LostClaim int
	ByKind                                      map[joinKind]int
}

func (s joinStats) String() string {
	out := fmt.Sprintf("joined %d of %d films (%.1f%%)", s.Joined, s.Total, pct(s.Joined, s.Total))
	for k := joinExact; k <= joinSubtitle; k++ {
		out += fmt.Sprintf("; %s %d", k, s.ByKind[k])
	}
	return out + fmt.Sprintf("; unjoined: %d ambiguous, %d without year, %d lost the entry to a stronger match",
		s.Ambiguous, s.NoYear, s.LostClaim)
}

func pct(n, d int) float64 {
	if d == 0 {
		return 0
	}
	return 100 * float64(n) / float64(d)
}

// joinAll matches every MovieLens film (indexed like titles) and returns
// the Wikipedia entry of each joined film by index. When several films
// claim one article only the strongest kind keeps it; equal kinds all keep
// it (MovieLens lists a few films twice).
func joinAll(ix *wikiIndex, titles []mlTitle) ([]*wikiFilm, joinStats) {
	st := joinStats{Total: len(titles), ByKind: map[joinKind]int{}}
	results := make([]joinResult, len(titles))
	best := map[string]joinKind{}
	for i, t := range titles {
		r := ix.matchTitle(t)
		results[i] = r
		switch {
		case t.Year == nil:
			st.NoYear++
		case r.Ambiguous:
			st.Ambiguous++
		case r.Film != nil:
			id := r.Film.identity()
			if k, ok := best[id]; !ok || r.Kind < k {
				best[id] = r.Kind
			}
		}
	}
	out := make([]*wikiFilm, len(titles))
	for i, r := range results {
		if r.Film == nil {
			continue
		}
		if best[r.Film.identity()] != r.Kind {
			st.LostClaim++
			continue
		}
		out[i] = r.Film
		st.Joined++
		st.ByKind[r.Kind]++
	}
	return out, st
}
