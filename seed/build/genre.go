package main

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
