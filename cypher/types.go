package cypher

// The object types of the schema and how each field is read from the graph. This table is
// the one place where GraphQL names meet labels, relationship types and properties.
//
// Patterns below a parent name no label at the far end: each relationship type joins one
// pair of labels (see seed/doc.go), and a bare end lets Neo4j count a connection from the
// node's degree instead of expanding every relationship to check a label.
var (
	movieType         = &objectType{name: "Movie", label: "Movie", interfaces: []string{"Node"}, key: "movieId"}
	personType        = &objectType{name: "Person", label: "Person", interfaces: []string{"Node"}, key: "personId"}
	genreType         = &objectType{name: "Genre", label: "Genre", interfaces: []string{"Node"}, key: "name"}
	imageType         = &objectType{name: "Image"}
	castCreditType    = &objectType{name: "CastCredit"}
	ratingSummaryType = &objectType{name: "RatingSummary"}
	movieEdgeType     = &objectType{name: "MovieEdge"}
	actingEdgeType    = &objectType{name: "ActingEdge"}
)

// The fields are defined in init because the types refer to each other; other files add
// the fields of their feature with define too.
func init() {
	define(movieType, map[string]fieldFunc{
		"id":          computed,
		"movieLensId": property("movieLensId"), // absent on Wikipedia-only films (seed/doc.go)
		"title":       property("title"),
		"year":        property("year"),
		"synopsis":    property("synopsis"),
		"plot":        property("plot"),
		"cover":       cover,
		"genres": list(relation{
			pattern: "({p})-[{r}:IN_GENRE]->({n})",
			where:   "{r}.implied IS NULL", // implied: a parent of a listed genre (seed/doc.go)
			orderBy: "{n}.name",
		}, genreType),
		"directors": list(relation{
			pattern: "({p})<-[{r}:DIRECTED]-({n})",
			orderBy: "{n}.name, {n}.personId",
		}, personType),
		"cast": list(relation{
			pattern: "({p})<-[{r}:ACTED_IN]-({n})",
			orderBy: "{r}.order, {n}.personId",
		}, castCreditType),
		"ratingSummary": ratingSummary,
	})
	define(imageType, map[string]fieldFunc{
		"id":      imageKey("cover"),
		"url":     posterURL,
		"width":   property("posterWidth"),
		"height":  property("posterHeight"),
		"caption": property("coverCaption"),
	})
	define(castCreditType, map[string]fieldFunc{
		"order":  relProperty("order"),
		"person": nested(personType),
	})
	define(ratingSummaryType, map[string]fieldFunc{
		"id":      property("movieId"), // the film's key; the Go side builds the id
		"average": ratingAverage,
		"count":   ratingCount,
	})
	define(personType, map[string]fieldFunc{
		"id":   computed,
		"name": property("name"),
		"directed": connection(relation{
			pattern: "({p})-[{r}:DIRECTED]->({n})",
			orderBy: "coalesce({n}.year, -1) DESC, {n}.title, {n}.movieId",
		}, movieEdgeType),
		"actedIn": connection(relation{
			pattern: "({p})-[{r}:ACTED_IN]->({n})",
			orderBy: "coalesce({n}.year, -1) DESC, {n}.title, {n}.movieId",
		}, actingEdgeType),
	})
	define(genreType, map[string]fieldFunc{
		"id":         computed,
		"name":       property("name"),
		"movieCount": movieCount,
		"movies":     connection(moviesInGenre, movieEdgeType),
		"parent":     one(relation{pattern: "({p})-[{r}:SUBGENRE_OF]->({n})", orderBy: "{n}.name"}, genreType),
		"subgenres":  list(relation{pattern: "({p})<-[{r}:SUBGENRE_OF]-({n})", orderBy: "{n}.name"}, genreType),
	})
	define(movieEdgeType, map[string]fieldFunc{
		"cursor": computed,
		"node":   nested(movieType),
	})
	define(actingEdgeType, map[string]fieldFunc{
		"cursor": computed,
		"order":  relProperty("order"),
		"node":   nested(movieType),
	})
}

var (
	moviesInGenre = relation{pattern: "({p})<-[{r}:IN_GENRE]-({n})", orderBy: "{n}.title, {n}.movieId"}
)

// cover is the film's poster image, captioned where the data has a caption; null without
// a poster. The poster's URL is read once, into a variable that the image's url reads
// (passed as the scope's rel, as ratingSummary passes its scores): read for the test and
// again for the url, it cost a db hit per film in every list of films.
func cover(b *builder, s scope, f Field) (string, error) {
	url := b.variable("url")
	img, err := b.project(imageType, scope{node: s.node, rel: url}, f.Selections)
	if err != nil {
		return "", err
	}
	return "head([" + url + " IN [" + s.node + ".posterUrl] WHERE " + url + " IS NOT NULL | " + img + "])", nil
}

// posterURL is the URL cover bound.
func posterURL(_ *builder, s scope, _ Field) (string, error) {
	return s.rel, nil
}

// imageKey is the key of a film's image used as use ("cover", "poster"): "movieId:use".
// The Go side builds the id from it.
func imageKey(use string) fieldFunc {
	return func(_ *builder, s scope, _ Field) (string, error) {
		return "toString(" + s.node + ".movieId) + ':" + use + "'", nil
	}
}

// ratingSummary reads the film's cached summary (ratingCount and ratingAverage, kept
// equal to its RATED edges by every write) and, only when the histogram is selected,
// collects the scores of its RATED edges, the one part the cache lacks. Below the root,
// the scores are bound with a one-element list comprehension, because aggregating
// functions inside a subquery expression of a RETURN are taken for aggregations of the
// RETURN itself.
func ratingSummary(b *builder, s scope, f Field) (string, error) {
	if !selects(b, f, "histogram") {
		return b.project(ratingSummaryType, scope{node: s.node}, f.Selections)
	}
	collect := func(r string) string {
		return "COLLECT { MATCH (" + s.node + ")<-[" + r + ":RATED]-() RETURN " + r + ".score }"
	}
	// On the root film, the scores are bound before the RETURN (see hoistValue).
	if b.atRoot(s) {
		scores, _ := b.hoistValue(s, collect(b.variable("r")))
		return b.project(ratingSummaryType, scope{node: s.node, rel: scores}, f.Selections)
	}
	scores, r := b.variable("scores"), b.variable("r")
	proj, err := b.project(ratingSummaryType, scope{node: s.node, rel: scores}, f.Selections)
	if err != nil {
		return "", err
	}
	return "head([" + scores + " IN [" + collect(r) + "] | " + proj + "])", nil
}

// selects reports whether the selection of f includes the field name.
func selects(b *builder, f Field, name string) bool {
	for _, cf := range Collect(f.Selections, []string{f.Type}) {
		if cf.Name == name {
			return true
		}
	}
	return false
}

// ratingAverage is the film's cached mean score, rounded to one decimal; null for none.
func ratingAverage(_ *builder, s scope, _ Field) (string, error) {
	return "round(" + s.node + ".ratingAverage, 1)", nil
}

// ratingCount is the film's cached number of ratings.
func ratingCount(_ *builder, s scope, _ Field) (string, error) {
	return s.node + ".ratingCount", nil
}

func movieCount(b *builder, s scope, _ Field) (string, error) {
	return "COUNT { (" + s.node + ")<-[:IN_GENRE]-() }", nil
}
