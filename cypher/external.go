package cypher

import (
	"fmt"
	"regexp"
	"strconv"

	"filmgraph/apperr"
)

// Films' ids in other catalogues. The seed keeps them as MovieLens's links file gives them:
// imdbId as the seven-digit (or longer) number without "tt", tmdbId as a decimal string;
// movieLensId is the MovieLens id (Wikipedia-only films have none). Each has an index
// (seed/schema.go).

func init() {
	define(movieType, map[string]fieldFunc{
		"imdbId": func(_ *builder, s scope, _ Field) (string, error) {
			return "'tt' + " + s.node + ".imdbId", nil // null + 'tt' is null
		},
		"tmdbId": func(_ *builder, s scope, _ Field) (string, error) {
			return "toInteger(" + s.node + ".tmdbId)", nil
		},
	})
}

// externalIDPattern is what an id of each catalogue looks like; the number is group 1.
var externalIDPattern = map[string]*regexp.Regexp{
	"MOVIELENS": regexp.MustCompile(`^([0-9]{1,10})$`),
	"IMDB":      regexp.MustCompile(`^(?:tt)?([0-9]{1,10})$`),
	"TMDB":      regexp.MustCompile(`^([0-9]{1,10})$`),
}

// ExternalKey validates id as an id of catalogue source (an ExternalIdSource value) and
// returns the Movie property that holds it with the value as stored.
func ExternalKey(source, id string) (property string, value any, err error) {
	pattern, known := externalIDPattern[source]
	if !known {
		return "", nil, apperr.New(apperr.BadUserInput, "unknown id source %q", source)
	}
	m := pattern.FindStringSubmatch(id)
	var n int64
	if m != nil {
		n, _ = strconv.ParseInt(m[1], 10, 64) // at most 10 digits: never overflows
	}
	if n < 1 {
		example := `"862"`
		if source == "IMDB" {
			example = `"tt0114709"`
		}
		return "", nil, apperr.New(apperr.BadUserInput, "`id` is not a %s id: expected a positive number such as %s", source, example)
	}
	switch source {
	case "MOVIELENS":
		return "movieLensId", n, nil // Wikipedia-only films have a movieId but none
	case "IMDB":
		return "imdbId", fmt.Sprintf("%07d", n), nil
	default:
		return "tmdbId", strconv.FormatInt(n, 10), nil
	}
}

// MovieByExternalID returns the statement for the current field (a Movie) of the film whose
// id in catalogue source is id: one index seek, the lowest movieId when several share it.
// It yields no row when there is no such film.
func MovieByExternalID(req Request, source, id string) (Statement, error) {
	property, value, err := ExternalKey(source, id)
	if err != nil {
		return Statement{}, err
	}
	b := newBuilder(req)
	b.root = "this"
	match := "MATCH (this:Movie {" + property + ": " + b.param(value) + "}) WITH this ORDER BY this.movieId LIMIT 1"
	proj, err := b.project(movieType, scope{node: b.root}, req.Field.Selections)
	if err != nil {
		return Statement{}, err
	}
	for _, call := range b.calls {
		match += "\n" + call
	}
	return b.statement(match + " RETURN " + proj + " AS this"), nil
}
