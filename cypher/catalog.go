package cypher

import (
	"strings"

	"filmgraph/apperr"
)

// The catalogue's browsing fields: tags, rating histograms, co-stars, and the top-level
// lists of films, genres and people with their filters and orders.

var (
	tagCountType   = &objectType{name: "TagCount"}
	coStarType     = &objectType{name: "CoStar"}
	genreEdgeType  = &objectType{name: "GenreEdge"}
	personEdgeType = &objectType{name: "PersonEdge"}
)

func init() {
	define(movieType, map[string]fieldFunc{
		"tags": list(relation{
			pattern: "({p})-[{r}:TAGGED]->({n})",
			orderBy: "{r}.count DESC, {n}.name",
		}, tagCountType),
	})
	define(ratingSummaryType, map[string]fieldFunc{
		"histogram": ratingHistogram,
	})
	define(tagCountType, map[string]fieldFunc{
		"name":  property("name"),
		"count": relProperty("count"),
	})
	define(personType, map[string]fieldFunc{
		"coStars": coStars,
	})
	define(coStarType, map[string]fieldFunc{
		"person":       nested(personType),
		"sharedMovies": relValue, // the count of shared films
	})
	define(genreEdgeType, map[string]fieldFunc{
		"cursor": computed,
		"node":   nested(genreType),
	})
	define(personEdgeType, map[string]fieldFunc{
		"cursor": computed,
		"node":   nested(personType),
	})
}

// relValue is a value the enclosing statement computed and carries in the rel slot.
func relValue(_ *builder, s scope, _ Field) (string, error) { return s.rel, nil }

// ratingHistogram counts the scores bound in scope (see ratingSummary) per value 1..10.
func ratingHistogram(_ *builder, s scope, _ Field) (string, error) {
	return "[bucket IN range(1, 10) | size([score IN " + s.rel + " WHERE score = bucket])]", nil
}

// coStars ranks the actors of the person's films (acted in or directed) by shared films;
// for a director who never acts, the actors they directed most. It counts with COUNT {} rather than
// count(), since aggregating functions cannot appear inside a projection (see builder).
// The person's films are collected once and each co-star's films are checked against
// that list: counting the pattern person->film<-co-star per co-star instead re-expanded
// every film of the person for each co-star, 15 to 17 times the db hits on the example
// person pages (Carey Mulligan 31,645 -> 2,158; Kevin Bacon 83,563 -> 4,790) for the
// same ranking. With one ACTED_IN per person and film (the loader MERGEs them) both
// count shared films.
func coStars(b *builder, s scope, f Field) (string, error) {
	page, err := pageOf(f)
	if err != nil {
		return "", err
	}
	first, err := pageSize(f, page.First)
	if err != nil {
		return "", err
	}
	other, shared := b.variable("n"), b.variable("shared")
	proj, err := b.project(coStarType, scope{node: other, rel: shared}, f.Selections)
	if err != nil {
		return "", err
	}
	// On the root person (a person page), count shared films with count(*) in a CALL
	// subquery, as one would by hand: 2,739 -> 738 db hits for the example person page
	// (the baseline's statement: 727).
	if hoisted, ok := b.hoist(s, func(result string) string {
		item := b.variable("item")
		film := b.variable("m")
		return fill("MATCH ({person})-[:ACTED_IN|DIRECTED]->({film}:Movie)<-[:ACTED_IN]-({other}:Person) WHERE {other} <> {person} "+
			"WITH {other}, count(DISTINCT {film}) AS {shared} ORDER BY {shared} DESC, {other}.name, {other}.personId LIMIT {first} "+
			"WITH {costar} AS {item} RETURN collect({item}) AS {result}",
			"person", s.node, "other", other, "shared", shared, "first", b.param(first), "costar", proj, "item", item, "result", result, "film", film)
	}); ok {
		return hoisted, nil
	}
	films, film, common := b.variable("films"), b.variable("m"), b.variable("m")
	return fill("COLLECT { WITH COLLECT { MATCH ({person})-[:ACTED_IN|DIRECTED]->({film}:Movie) RETURN DISTINCT {film} } AS {films} "+
		"MATCH ({person})-[:ACTED_IN|DIRECTED]->(:Movie)<-[:ACTED_IN]-({other}:Person) WHERE {other} <> {person} "+
		"WITH DISTINCT {other}, {films} WITH {other}, COUNT { ({other})-[:ACTED_IN]->({common}) WHERE {common} IN {films} } AS {shared} "+
		"ORDER BY {shared} DESC, {other}.name, {other}.personId LIMIT {first} RETURN {costar} }",
		"person", s.node, "other", other, "shared", shared, "first", b.param(first), "costar", proj, "film", film, "films", films, "common", common), nil
}

// maxTextLength bounds the free-text arguments (contains filters, search).
const maxTextLength = 200

// textArg validates an optional free-text argument; "" means absent.
func textArg(field string, text *string) (string, error) {
	if text == nil {
		return "", nil
	}
	if n := len([]rune(*text)); n < 1 || n > maxTextLength {
		return "", apperr.New(apperr.BadUserInput, "`%s` must be 1 to %d characters long, got %d", field, maxTextLength, n)
	}
	return *text, nil
}

var movieOrderKeys = map[string]string{
	"TITLE":          "{n}.title",
	"YEAR":           "{n}.year",
	"AVERAGE_RATING": "{n}.ratingAverage",
	"RATING_COUNT":   "{n}.ratingCount",
}

// browseMovies is the relation of Query.movies: every film, filtered and ordered by the
// field's arguments. Filter values go in as parameters.
func browseMovies(b *builder, args MoviesArgs) (relation, error) {
	orderBy, err := movieOrder(args.OrderBy)
	if err != nil {
		return relation{}, err
	}
	rel := relation{pattern: "({n}:Movie)", orderBy: orderBy}
	filter := args.Filter
	if filter == nil {
		filter = &MovieFilter{}
	}
	var where []string
	switch genres := filter.Genres; len(genres) {
	case 0:
	case 1:
		// One genre (the common case): start from it, so only its films are visited.
		rel.pattern = "({n}:Movie)-[:IN_GENRE]->(:Genre {name: " + b.param(genres[0]) + "})"
	default:
		where = append(where, "EXISTS { ({n})-[:IN_GENRE]->(genre:Genre) WHERE genre.name IN "+b.param(genres)+" }")
	}
	if filter.YearFrom != nil && filter.YearTo != nil && *filter.YearFrom > *filter.YearTo {
		return relation{}, apperr.New(apperr.BadUserInput, "`filter.yearFrom` (%d) must not be after `filter.yearTo` (%d)", *filter.YearFrom, *filter.YearTo)
	}
	if filter.YearFrom != nil {
		where = append(where, "{n}.year >= "+b.param(*filter.YearFrom))
	}
	if filter.YearTo != nil {
		where = append(where, "{n}.year <= "+b.param(*filter.YearTo))
	}
	for _, bound := range []struct {
		arg, op string
		value   *float64
	}{{"minAverageRating", ">=", filter.MinAverageRating}, {"maxAverageRating", "<=", filter.MaxAverageRating}} {
		if bound.value == nil {
			continue
		}
		if v := *bound.value; v < 0 || v > 10 {
			return relation{}, apperr.New(apperr.BadUserInput, "`filter.%s` must be between 0 and 10, got %v", bound.arg, v)
		}
		where = append(where, "{n}.ratingAverage "+bound.op+" "+b.param(*bound.value))
	}
	if n := filter.MinRatingCount; n != nil {
		if *n < 0 {
			return relation{}, apperr.New(apperr.BadUserInput, "`filter.minRatingCount` must be 0 or more, got %v", *n)
		}
		where = append(where, "{n}.ratingCount >= "+b.param(*n))
	}
	title, err := textArg("filter.titleContains", filter.TitleContains)
	if err != nil {
		return relation{}, err
	}
	if title != "" {
		where = append(where, "toLower({n}.title) CONTAINS "+b.param(strings.ToLower(title)))
	}
	w := args.Where
	if rel.pattern == "({n}:Movie)" {
		var anchor string
		if anchor, w = movieAnchor(b, w); anchor != "" {
			rel.pattern = anchor
		}
	}
	if where, err = addWhere(b, where, CompileMovieWhere, w); err != nil {
		return relation{}, err
	}
	rel.where = strings.Join(where, " AND ")
	return rel, nil
}

var personOrderKeys = map[string]string{
	"NAME":        "{n}.name",
	"MOVIE_COUNT": "COUNT { ({n})-[:ACTED_IN|DIRECTED]->(:Movie) }",
}

// browsePeople is the relation of Query.people.
func browsePeople(b *builder, args PeopleArgs) (relation, error) {
	orderBy, err := personOrder(args.OrderBy)
	if err != nil {
		return relation{}, err
	}
	rel := relation{pattern: "({n}:Person)", orderBy: orderBy}
	var nameContains *string
	if args.Filter != nil {
		nameContains = args.Filter.NameContains
	}
	name, err := textArg("filter.nameContains", nameContains)
	if err != nil {
		return relation{}, err
	}
	var where []string
	if name != "" {
		where = append(where, "toLower({n}.name) CONTAINS "+b.param(strings.ToLower(name)))
	}
	w := args.Where
	// A genre at the top level: start from it and reach its people through its films
	// (each once), rather than testing every person's films (2.3 M db hits for Drama,
	// 4.8 M for Film-Noir).
	// The anchor is the genre condition, so it is not tested again on each of the rows
	// (a person's every film and its genres, for each film of theirs in the genre).
	if w != nil && w.Genre != nil {
		genre, err := filterText("where.genre", *w.Genre)
		if err != nil {
			return relation{}, err
		}
		rel.pattern = "(:Genre {name: " + b.param(genre) + "})<-[:IN_GENRE]-(:Movie)<-[:ACTED_IN|DIRECTED]-({n}:Person)"
		rel.distinct = true
		rest := *w
		rest.Genre = nil
		w = &rest
	}
	if where, err = addWhere(b, where, CompilePersonWhere, w); err != nil {
		return relation{}, err
	}
	rel.where = strings.Join(where, " AND ")
	return rel, nil
}

var allGenres = relation{pattern: "({n}:Genre)", orderBy: "{n}.name"}
