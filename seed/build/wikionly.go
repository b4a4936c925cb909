package main

import (
	"cmp"
	"fmt"
	"slices"

	"filmgraph/seed"
)

// WikipediaMovieIDBase is where the ids of films found only on Wikipedia
// start: film i (0-based, in the order of wikipediaOnly) gets base+1+i. It is
// far above MovieLens's ids (ml-latest-small's largest is 193,609; derive
// refuses a catalogue that reaches it) and below the offsets of the scaled
// benchmark seeds (seed.LoadScaled adds multiples of 1,000,000).
const wikipediaMovieIDBase = seed.FirstWikipediaOnlyMovieID - 1

// wikiJoinStats counts the Wikipedia side of the join for the report.
type wikiJoinStats struct {
	// Entries are the list entries read; Articles the distinct articles they
	// stand for (an article listed under two years is one film).
	Entries, Articles int
	// Matched articles are joined to a MovieLens film; Alone are loaded as
	// films of their own.
	Matched, Alone int
}

func (s wikiJoinStats) String() string {
	return fmt.Sprintf("%d list entries = %d distinct articles: %d matched to a MovieLens film (%.1f%%), %d loaded as films of their own without ratings (%.1f%%)",
		s.Entries, s.Articles, s.Matched, pct(s.Matched, s.Articles), s.Alone, pct(s.Alone, s.Articles))
}

// wikipediaOnly returns one entry per Wikipedia article that no MovieLens
// film joined (joined holds the entry of each joined film, nil when none),
// ordered by year, title and article, so the same inputs always give the
// same films and ids. Of an article listed under two years, the first entry
// (earliest year) stands for it.
func wikipediaOnly(wiki, joined []*wikiFilm) ([]*wikiFilm, wikiJoinStats) {
	st := wikiJoinStats{Entries: len(wiki)}
	matched := map[string]bool{}
	for _, w := range joined {
		if w != nil {
			matched[w.identity()] = true
		}
	}
	first := map[string]*wikiFilm{}
	for _, w := range wiki {
		id := w.identity()
		if f, ok := first[id]; !ok || w.Year < f.Year {
			first[id] = w
		}
	}
	st.Articles = len(first)
	var out []*wikiFilm
	for id, w := range first {
		if matched[id] {
			st.Matched++
			continue
		}
		out = append(out, w)
	}
	st.Alone = len(out)
	slices.SortFunc(out, func(a, b *wikiFilm) int {
		return cmp.Or(cmp.Compare(a.Year, b.Year), cmp.Compare(a.Title, b.Title), cmp.Compare(a.identity(), b.identity()))
	})
	return out, st
}
