package cypher

import (
	"fmt"
	"strings"

	"github.com/99designs/gqlgen/graphql"

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
func relValue(_ *builder, s scope, _ graphql.CollectedField) (string, error) { return s.rel, nil }

// ratingHistogram counts the scores bound in scope (see ratingSummary) per value 1..10.
func ratingHistogram(_ *builder, s scope, _ graphql.CollectedField) (string, error) {
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
func coStars(b *builder, s scope, f graphql.CollectedField) (string, error) {
	first, err := pageSize(f, b.args(f)["first"])
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
		return fmt.Sprintf("MATCH (%[1]s)-[:ACTED_IN|DIRECTED]->(%[8]s:Movie)<-[:ACTED_IN]-(%[2]s:Person) WHERE %[2]s <> %[1]s "+
			"WITH %[2]s, count(DISTINCT %[8]s) AS %[3]s ORDER BY %[3]s DESC, %[2]s.name, %[2]s.personId LIMIT %[4]s "+
			"WITH %[5]s AS %[6]s RETURN collect(%[6]s) AS %[7]s", s.node, other, shared, b.param(first), proj, item, result, film)
	}); ok {
		return hoisted, nil
	}
	films, film, common := b.variable("films"), b.variable("m"), b.variable("m")
	return fmt.Sprintf("COLLECT { WITH COLLECT { MATCH (%[1]s)-[:ACTED_IN|DIRECTED]->(%[6]s:Movie) RETURN DISTINCT %[6]s } AS %[7]s "+
		"MATCH (%[1]s)-[:ACTED_IN|DIRECTED]->(:Movie)<-[:ACTED_IN]-(%[2]s:Person) WHERE %[2]s <> %[1]s "+
		"WITH DISTINCT %[2]s, %[7]s WITH %[2]s, COUNT { (%[2]s)-[:ACTED_IN]->(%[8]s) WHERE %[8]s IN %[7]s } AS %[3]s "+
		"ORDER BY %[3]s DESC, %[2]s.name, %[2]s.personId LIMIT %[4]s RETURN %[5]s }",
		s.node, other, shared, b.param(first), proj, film, films, common), nil
}

// maxTextLength bounds the free-text arguments (contains filters, search).
const maxTextLength = 200

// textArg validates an optional free-text argument; "" means absent.
func textArg(field string, raw any) (string, error) {
	if raw == nil {
		return "", nil
	}
	text, _ := raw.(string)
	if n := len([]rune(text)); n < 1 || n > maxTextLength {
		return "", apperr.New(apperr.BadUserInput, "`%s` must be 1 to %d characters long, got %d", field, maxTextLength, n)
	}
	return text, nil
}

// orderArg reads an order input: its field (an enum value, looked up in keys, never
// spliced in) and its direction.
func orderArg(raw any, keys map[string]string) (key, direction string, err error) {
	order, _ := raw.(map[string]any)
	field, _ := order["field"].(string)
	key, ok := keys[field]
	if !ok {
		return "", "", apperr.New(apperr.BadUserInput, "unknown order field %q", field)
	}
	direction = "ASC"
	if d, _ := order["direction"].(string); d == "DESC" {
		direction = "DESC"
	}
	return key, direction, nil
}

// orderClause sorts by key in direction with missing values last, then by the unique id.
func orderClause(key, direction, id string) string {
	return key + " IS NULL, " + key + " " + direction + ", " + id
}

var movieOrderKeys = map[string]string{
	"TITLE":          "{n}.title",
	"YEAR":           "{n}.year",
	"AVERAGE_RATING": "{n}.ratingAverage",
	"RATING_COUNT":   "{n}.ratingCount",
}

// browseMovies is the relation of Query.movies: every film, filtered and ordered by the
// field's arguments. Filter values go in as parameters.
func browseMovies(b *builder, args map[string]any) (relation, error) {
	key, direction, err := orderArg(args["orderBy"], movieOrderKeys)
	if err != nil {
		return relation{}, err
	}
	rel := relation{pattern: "({n}:Movie)", orderBy: orderClause(key, direction, "{n}.movieId")}
	filter, _ := args["filter"].(map[string]any)
	var where []string
	switch genres, _ := filter["genres"].([]any); len(genres) {
	case 0:
	case 1:
		// One genre (the common case): start from it, so only its films are visited.
		rel.pattern = "({n}:Movie)-[:IN_GENRE]->(:Genre {name: " + b.param(genres[0]) + "})"
	default:
		where = append(where, "EXISTS { ({n})-[:IN_GENRE]->(genre:Genre) WHERE genre.name IN "+b.param(genres)+" }")
	}
	yearFrom, hasFrom := toInt(filter["yearFrom"])
	yearTo, hasTo := toInt(filter["yearTo"])
	if hasFrom && hasTo && yearFrom > yearTo {
		return relation{}, apperr.New(apperr.BadUserInput, "`filter.yearFrom` (%d) must not be after `filter.yearTo` (%d)", yearFrom, yearTo)
	}
	if hasFrom {
		where = append(where, "{n}.year >= "+b.param(yearFrom))
	}
	if hasTo {
		where = append(where, "{n}.year <= "+b.param(yearTo))
	}
	for _, bound := range []struct{ arg, op string }{{"minAverageRating", ">="}, {"maxAverageRating", "<="}} {
		raw, present := filter[bound.arg]
		if !present || raw == nil {
			continue
		}
		v, ok := toFloat(raw)
		if !ok || v < 0 || v > 10 {
			return relation{}, apperr.New(apperr.BadUserInput, "`filter.%s` must be between 0 and 10, got %v", bound.arg, raw)
		}
		where = append(where, "{n}.ratingAverage "+bound.op+" "+b.param(v))
	}
	if raw, present := filter["minRatingCount"]; present && raw != nil {
		n, ok := toInt(raw)
		if !ok || n < 0 {
			return relation{}, apperr.New(apperr.BadUserInput, "`filter.minRatingCount` must be 0 or more, got %v", raw)
		}
		where = append(where, "{n}.ratingCount >= "+b.param(n))
	}
	title, err := textArg("filter.titleContains", filter["titleContains"])
	if err != nil {
		return relation{}, err
	}
	if title != "" {
		where = append(where, "toLower({n}.title) CONTAINS "+b.param(strings.ToLower(title)))
	}
	rel.where = strings.Join(where, " AND ")
	return rel, nil
}

var personOrderKeys = map[string]string{
	"NAME":        "{n}.name",
	"MOVIE_COUNT": "COUNT { ({n})-[:ACTED_IN|DIRECTED]->(:Movie) }",
}

// browsePeople is the relation of Query.people.
func browsePeople(b *builder, args map[string]any) (relation, error) {
	key, direction, err := orderArg(args["orderBy"], personOrderKeys)
	if err != nil {
		return relation{}, err
	}
	rel := relation{pattern: "({n}:Person)", orderBy: orderClause(key, direction, "{n}.personId")}
	filter, _ := args["filter"].(map[string]any)
	name, err := textArg("filter.nameContains", filter["nameContains"])
	if err != nil {
		return relation{}, err
	}
	if name != "" {
		rel.where = "toLower({n}.name) CONTAINS " + b.param(strings.ToLower(name))
	}
	return rel, nil
}

var allGenres = relation{pattern: "({n}:Genre)", orderBy: "{n}.name"}
