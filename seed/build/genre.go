package main

import (
	"fmt"
	"maps"
	"slices"

	"filmgraph/seed/internal/seedfile"
)

// wikiGenreSynonyms maps the Wikipedia lists' spelling of a genre to
// MovieLens's where both name the same genre, so that "Science Fiction"
// and "Sci-Fi" are one genre, as are "Sport" and "Sports". Any other
// Wikipedia genre keeps its name.
var wikiGenreSynonyms = map[string]string{
	"Science Fiction": "Sci-Fi",
	"Animated":        "Animation",
	"Noir":            "Film-Noir",
	"Sport":           "Sports",
}

// canonicalGenres maps Wikipedia genre names to the seed's names, dropping
// repeats, in the order given.
func canonicalGenres(wiki []string) []string {
	out := make([]string, 0, len(wiki))
	for _, g := range wiki {
		if c, ok := wikiGenreSynonyms[g]; ok {
			g = c
		}
		out = append(out, g)
	}
	return dedupe(out)
}

// genreParents places the finer genres under the MovieLens genre they are a
// kind of, so that browsing a genre finds the films of its subgenres. The
// reference page's three genres sit under Sci-Fi, as the page files the
// film; "Science Fiction" there is the page's own label, kept because the
// page shows it (the Wikipedia films' "Science Fiction" is Sci-Fi itself).
// Genres absent here are top-level: the MovieLens genres and the Wikipedia
// genres that are forms rather than kinds (Silent, Short, Independent,
// Live Action, Teen, Erotic).
var genreParents = map[string]string{
	"Escape Film": "Sci-Fi", "Psychological Sci-Fi": "Sci-Fi", "Science Fiction": "Sci-Fi",
	"Slasher": "Horror", "Supernatural": "Horror", "Found Footage": "Horror",
	"Superhero": "Action", "Martial Arts": "Action", "Disaster": "Action",
	"Spy": "Thriller", "Suspense": "Thriller",
	"Satire":    "Comedy",
	"Biography": "Drama", "Historical": "Drama", "Legal": "Drama", "Political": "Drama", "Sports": "Drama",
	"Family":      "Children",
	"Dance":       "Musical",
	"Performance": "Documentary",
}

// genreAncestors returns the parents of g up to its top-level genre, nearest first.
func genreAncestors(g string) []string {
	var out []string
	for p, ok := genreParents[g]; ok && !slices.Contains(out, p); p, ok = genreParents[p] {
		out = append(out, p)
	}
	return out
}

// impliedGenres returns the genres a film is in without listing them: the
// ancestors of its listed genres and the extra genres (its MovieLens genres,
// when the reference page replaces them), less those listed, sorted.
func impliedGenres(listed, extra []string) []string {
	var out []string
	for _, g := range append(slices.Clone(extra), listed...) {
		out = append(out, g)
		out = append(out, genreAncestors(g)...)
	}
	out = slices.DeleteFunc(out, func(g string) bool { return slices.Contains(listed, g) })
	slices.Sort(out)
	return slices.Compact(out)
}

// genreTree returns every genre of the films with its parent ("" for a
// top-level one), by name, and checks that each parent is a genre too.
func genreTree(movies []seedfile.Movie) ([]seedfile.Genre, error) {
	names := map[string]bool{}
	for _, m := range movies {
		for _, g := range append(slices.Clone(m.Genres), m.ImpliedGenres...) {
			names[g] = true
		}
	}
	var out []seedfile.Genre
	for _, n := range slices.Sorted(maps.Keys(names)) {
		p := genreParents[n]
		if p != "" && !names[p] {
			return nil, fmt.Errorf("genre %q: parent %q is no film's genre", n, p)
		}
		out = append(out, seedfile.Genre{Name: n, Parent: p})
	}
	return out, nil
}
