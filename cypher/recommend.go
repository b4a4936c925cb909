package cypher

import (
	"fmt"
	"strings"

	"filmgraph/apperr"
)

// Recommendations read the precomputed (:Movie)-[:SIMILAR {collaborative, content}]->(:Movie)
// edges (package recommend computes them) and explain each pick with live traversals from
// the seed film, so every reason lies on a path that exists when it is read.
//
// Precomputed edges rather than traversals aggregated at request time: Neo4j 5.26 rejects
// aggregating functions inside a subquery expression nested in a projection ("Aggregation
// column contains implicit grouping expressions"), and a recommendation field sits inside
// the film's projection. Reading the edges needs no aggregation, and costs the same for a
// blockbuster and an obscure film.

// Strategy selects which similarity scores rank a recommendation.
type Strategy string

// The strategies of the schema's RecommendationStrategy, plus Popular, the baseline the
// offline evaluation compares with.
const (
	Hybrid        Strategy = "HYBRID"
	Collaborative Strategy = "COLLABORATIVE"
	Content       Strategy = "CONTENT"
	Popular       Strategy = "POPULAR"
)

const (
	// LikedScore is the lowest score (1-10) that counts as "loved".
	LikedScore = 8
	// MaxSeeds caps the films a personal pick starts from: the user's latest ratings, the
	// k-th latest (0 first) weighted SeedDecay^k, as what one watches next follows what
	// one watched last. Every seed counts through its "rated soon after" neighbours; only
	// those rated SeedScore or more count through their collaborative and content ones
	// (a film one disliked says what one watches, not what one likes).
	MaxSeeds  = 10
	SeedDecay = 0.8
	SeedScore = 6
	// MinPopularRatings is the least number of ratings of a cold-start pick.
	MinPopularRatings = 20
	// MinSupport is the least number of people a collaborative or "rated after" reason
	// rests on: below it the reason is not shown (the pick may still be made, on the
	// other reasons or on its score), as "3 people" is anecdote, not evidence.
	MinSupport = 5
)

// Blend weighs the three scores of a SIMILAR edge: followed ("rated soon after", in
// (0, 1]), collaborative (loved by the same fans, mostly below 1) and content (shared
// people, tags, genres and title, in [0, 1)).
type Blend struct{ Followed, Collaborative, Content float64 }

// Weights of a film's HYBRID recommendations (Movie.recommended): score =
// WeightFollowed*followed + WeightCollaborative*collaborative + WeightContent*content.
// Content leads, so that a franchise stays together and the most rated films do not fill
// every list (see README, "Recommendations").
var (
	WeightFollowed      = 0.2
	WeightCollaborative = 0.2
	WeightContent       = 0.6
)

// PageBlend is the blend of a film's HYBRID recommendations.
func PageBlend() Blend {
	return Blend{Followed: WeightFollowed, Collaborative: WeightCollaborative, Content: WeightContent}
}

// PicksBlend is the blend of personal picks (HYBRID), chosen on the validation split by
// `go run . eval -tune` (see README, "Recommendations").
var PicksBlend = Blend{Followed: 1, Collaborative: 0.1, Content: 0.3}

// weights returns the blend of a strategy: COLLABORATIVE keeps the two scores that come
// from ratings (followed and collaborative), CONTENT the content score alone.
func weights(strategy Strategy, b Blend) Blend {
	switch strategy {
	case Collaborative:
		if b.Followed == 0 && b.Collaborative == 0 {
			return Blend{Collaborative: 1}
		}
		return Blend{Followed: b.Followed, Collaborative: b.Collaborative}
	case Content:
		return Blend{Content: 1}
	}
	return b
}

// Reason kinds (the schema's RecommendationReasonKind).
const (
	ReasonYouRated      = "YOU_RATED"
	ReasonFollowed      = "FOLLOWED"
	ReasonCollaborative = "COLLABORATIVE"
	ReasonDirector      = "DIRECTOR"
	ReasonCast          = "CAST"
	ReasonTag           = "TAG"
	ReasonGenre         = "GENRE"
	ReasonPopular       = "POPULAR"
)

var (
	recommendationEdgeType = &objectType{name: "RecommendationEdge"}
	recommendationType     = &objectType{name: "Recommendation"}
	reasonType             = &objectType{name: "RecommendationReason"}
	tagType                = &objectType{name: "Tag", label: "Tag", interfaces: []string{"Node"}, key: "name"}
)

func init() {
	define(movieType, map[string]fieldFunc{
		"recommended": recommended,
	})
	define(recommendationEdgeType, map[string]fieldFunc{
		"cursor": computed,
		"node":   nested(recommendationType),
	})
	// A Recommendation is read with the film as the node and the ranked row as the
	// "relationship": a map {movie, score, seed, collab, content, followed, followers, rated,
	// fixed}
	// (rated: the viewer's score of the seed, in personal picks); the row's seed
	// film and its reasons are bound to the variables named seedVar(row) and
	// reasonsVar(row).
	define(recommendationType, map[string]fieldFunc{
		"movie":   nested(movieType),
		"score":   relProperty("score"),
		"reasons": reasons,
	})
	define(reasonType, map[string]fieldFunc{
		"kind": relProperty("kind"),
		"text": relProperty("text"),
		"via":  via,
	})
	define(tagType, map[string]fieldFunc{
		"name": property("name"),
	})
}

// recommended translates Movie.recommended: the film is the seed of every row.
func recommended(b *builder, s scope, f Field) (string, error) {
	strategy, err := strategyArg(b, f)
	if err != nil {
		return "", err
	}
	w := weights(strategy, PageBlend())
	c, sim, score := b.variable("c"), b.variable("sim"), b.variable("score")
	ranking := fill("COLLECT { MATCH ({seed})-[{sim}:SIMILAR]->({c}:Movie) "+
		"WITH {c}, {sim}.followers AS {followers}, {wf} * coalesce({sim}.followed, 0.0) + {wc} * coalesce({sim}.collaborative, 0.0) + {wk} * coalesce({sim}.content, 0.0) AS {score} WHERE {score} > 0 "+
		"ORDER BY {score} DESC, {c}.movieId LIMIT {max} "+
		"RETURN {movie: {c}, score: {score}, seed: {seed}, collab: {collab}, content: {content}, followed: {followed}, followers: {followers}} }",
		"seed", s.node, "sim", sim, "c", c, "score", score, "wc", b.param(w.Collaborative), "wk", b.param(w.Content), "max", b.param(int64(MaxPageSize)),
		"collab", b.param(w.Collaborative > 0), "content", b.param(w.Content > 0), "wf", b.param(w.Followed), "followed", b.param(w.Followed > 0),
		"followers", b.variable("followers"))
	ranked := b.variable("ranked")
	page, err := pageOf(f)
	if err != nil {
		return "", err
	}
	conn, err := b.rankedConnection(f, page, ranked)
	if err != nil {
		return "", err
	}
	return "head([" + ranked + " IN [" + ranking + "] | " + conn + "])", nil
}

// strategyArg reads the strategy argument. gqlgen has already checked it against the
// enum, so another value only reaches here through a translation bug; it is still coded.
func strategyArg(b *builder, f Field) (Strategy, error) {
	raw, _ := f.Args["strategy"].(string)
	switch Strategy(raw) {
	case Hybrid, Collaborative, Content:
		return Strategy(raw), nil
	case "":
		return Hybrid, nil
	}
	return "", apperr.New(apperr.BadUserInput,
		"argument `strategy` of field `%s` must be HYBRID, COLLABORATIVE or CONTENT, got %q", f.Name, raw)
}

// rankedConnection projects the connection f over ranked, a Cypher list of ranked rows
// (see recommendationType), best first, paged by page.
func (b *builder) rankedConnection(f Field, page Page, ranked string) (string, error) {
	offset, limit, err := b.page(f, page)
	if err != nil {
		return "", err
	}
	connectionType := f.Type
	fields := Collect(f.Selections, []string{connectionType})
	var parts []string
	if needsTotal(b, fields) {
		parts = append(parts, "`"+KeyTotal+"`: size("+ranked+")")
	}
	parts = append(parts, "`"+KeyOffset+"`: "+offset, "`"+KeyFirst+"`: "+limit)
	for _, cf := range fields {
		switch cf.Name {
		case "totalCount", "pageInfo", "__typename":
			continue // derived in Go from the values above
		case "edges":
			i, row, n := b.variable("i"), b.variable("row"), b.variable("n")
			edge, err := b.project(recommendationEdgeType, scope{node: n, rel: row}, cf.Selections)
			if err != nil {
				return "", err
			}
			key, err := mapKey(cf.Alias)
			if err != nil {
				return "", err
			}
			// The reasons' evidence (the seed's fans, a count per pick, shared people) is
			// most of the statement's work: it is gathered only when reasons are selected.
			evidence := ""
			if b.reasonRows[row] {
				evidence = " " + b.reasons(row, n)
			}
			parts = append(parts, key+": "+fill(
				"COLLECT { UNWIND range({offset}, size({ranked}) - 1) AS {i} WITH {ranked}[{i}] AS {row}, {i} ORDER BY {i} LIMIT {limit} "+
					"WITH {row}, {row}.movie AS {n}, {row}.seed AS {seed}{evidence} RETURN {edge} }",
				"ranked", ranked, "offset", offset, "limit", limit, "i", i, "row", row, "n", n, "seed", seedVar(row), "edge", edge, "evidence", evidence))
		default:
			return "", fmt.Errorf("cypher: no translation for %s.%s", connectionType, cf.Name)
		}
	}
	return "{" + strings.Join(parts, ", ") + "}", nil
}

// seedVar names the variable that holds the seed film of the ranked row variable row.
func seedVar(row string) string { return row + "seed" }

// reasons returns the clauses that bind reasonsVar(row) to the reasons of the ranked row
// variable row, whose recommended film is n and seed film seedVar(row): the row's fixed
// reasons (cold start); in personal picks, the viewer's own rating of the seed ("Because
// you rated Toy Story 9/10"); then, from the seed film to the recommended one, the fans
// who loved both (counted live) and the people who rated it within their next 10 films
// after the seed (the count stored with the "rated soon after" edge, as fresh as the
// edge), when the row's strategy uses ratings and only from MinSupport people on; shared
// directors, cast
// (best billed first), tags and the rarest shared genre (when it is content based). Each
// is found by a traversal at read time, so its `via` lies on a path that exists then.
//
// The seed's fans are collected once, in a WITH of their own: counting the
// pattern seed<-fan->film instead expanded every rating of every fan (70,842 db hits for
// six personal picks of MovieLens user 1, against 6,459), and a COLLECT nested in that
// count's WHERE is evaluated again for each rater.
func (b *builder) reasons(row, n string) string {
	names := []string{"n", n, "row", row, "s", seedVar(row), "liked", b.param(LikedScore),
		"reasons", reasonsVar(row), "support", b.param(MinSupport)}
	for _, name := range []string{"k", "a", "r", "u", "p", "t", "g", "fans"} {
		names = append(names, name, b.variable(name))
	}
	// No CASE around the subqueries: Neo4j 5.26 loses the outer nodes of a subquery
	// expression inside CASE or a list comprehension ("VirtualNodeValue.id() ... is
	// null"), so the strategy is tested in each WHERE and the list is bound by a WITH.
	// The rarest genre is ranked by its degree, which the store keeps: `()` rather than
	// `(:Movie)` at the far end, or Neo4j expands every film of the genre.
	list := `WITH *, COLLECT { MATCH ({s})<-[{a}:RATED]-({u}:User) WHERE {row}.collab AND {a}.score >= {liked} RETURN {u} } AS {fans}
WITH *, coalesce({row}.fixed, [])
+ [{k} IN [{row}.rated] WHERE {k} IS NOT NULL |
  {kind: '` + ReasonYouRated + `', via: {s}, text: 'Because you rated ' + {s}.title + ' ' + toString({k}) + '/10'}]
+ [{k} IN [COUNT { ({n})<-[{r}:RATED]-({u}:User) WHERE {r}.score >= {liked} AND {u} IN {fans} }] WHERE {k} >= {support} AND {row}.collab |
  {kind: '` + ReasonCollaborative + `', via: {s}, text: 'Rated 8+ by ' + toString({k}) + ' people who loved ' + {s}.title}]
+ [{k} IN [{row}.followers] WHERE {k} >= {support} AND {row}.followed |
  {kind: '` + ReasonFollowed + `', via: {s}, text: toString({k}) + ' people rated it within their next 10 films after ' + {s}.title}]
+ COLLECT { MATCH ({s})<-[:DIRECTED]-({p}:Person)-[:DIRECTED]->({n}) WHERE {row}.content WITH {p} ORDER BY {p}.name, {p}.personId
  RETURN {kind: '` + ReasonDirector + `', via: {p}, text: 'Also directed by ' + {p}.name} }
+ COLLECT { MATCH ({s})<-[{a}:ACTED_IN]-({p}:Person)-[{r}:ACTED_IN]->({n}) WHERE {row}.content WITH {p}, {a}, {r} ORDER BY {a}.order + {r}.order, {p}.personId LIMIT 3
  RETURN {kind: '` + ReasonCast + `', via: {p}, text: 'Also stars ' + {p}.name} }
+ COLLECT { MATCH ({s})-[:TAGGED]->({t}:Tag)<-[:TAGGED]-({n}) WHERE {row}.content WITH {t} ORDER BY {t}.name LIMIT 2
  RETURN {kind: '` + ReasonTag + `', via: {t}, text: 'Also tagged "' + {t}.name + '"'} }
+ COLLECT { MATCH ({s})-[:IN_GENRE]->({g}:Genre)<-[:IN_GENRE]-({n}) WHERE {row}.content WITH {g} ORDER BY COUNT { ({g})<-[:IN_GENRE]-() }, {g}.name LIMIT 1
  RETURN {kind: '` + ReasonGenre + `', via: {g}, text: 'Also in ' + {g}.name} } AS {reasons}`
	return fill(list, names...)
}

// reasonsVar names the variable that holds the reasons of the ranked row variable row
// (see reasons).
func reasonsVar(row string) string { return row + "reasons" }

// reasons projects up to three reasons of a recommendation, strongest kind first.
func reasons(b *builder, s scope, f Field) (string, error) {
	b.reasonRows[s.rel] = true // see rankedConnection
	x := b.variable("reason")
	proj, err := b.project(reasonType, scope{node: x + ".via", rel: x}, f.Selections)
	if err != nil {
		return "", err
	}
	return "[" + x + " IN " + reasonsVar(s.rel) + "[..3] | " + proj + "]", nil
}

// viaTypes are the members of the RecommendationVia union, with the label that tells them
// apart.
var viaTypes = []*objectType{movieType, personType, genreType, tagType}

// via projects the node a reason goes through as whichever union member it is; the
// projection carries KeyType for the Go side. A reason through no node is null.
func via(b *builder, s scope, f Field) (string, error) {
	v := b.variable("via")
	var cases []string
	for _, t := range viaTypes {
		proj, err := b.project(t, scope{node: v}, f.Selections)
		if err != nil {
			return "", err
		}
		proj = typed(proj, t.name)
		cases = append(cases, "WHEN "+v+":"+t.label+" THEN "+proj)
	}
	return "head([" + v + " IN [" + s.node + "] WHERE " + v + " IS NOT NULL | CASE " + strings.Join(cases, " ") + " END])", nil
}

// userRanking returns the clauses of a top-level statement that bind the variable ranked
// to the films picked for the user $userId (param), as ranked rows (see
// recommendationType), best first, at most MaxPageSize. me is the user's variable.
//
// The seeds are the user's MaxSeeds latest ratings (ties by movieId, as the "rated soon
// after" sequences), the k-th latest weighted SeedDecay^k; a candidate's score sums the
// blend of its similarity to each seed (collaborative and content only from seeds rated
// SeedScore or more), and its reasons start from the seed that contributed most. Films the
// user rated, collected or hid never appear. With no pick (no rating, or no neighbour)
// the user gets cold-start picks: films with at least MinPopularRatings ratings, best
// average first, those in the genres of the films the user rated or collected before the
// others (so the list is full even when those genres are small). Popular ranks by number
// of ratings alone (the evaluation's baseline).
func (b *builder) userRanking(userID int64, strategy Strategy, blend Blend, me, ranked string) string {
	w := weights(strategy, blend)
	names := []string{
		"me", me, "ranked", ranked, "user", b.param(userID), "seedScore", b.param(SeedScore),
		"maxSeeds", b.param(MaxSeeds), "decay", b.param(SeedDecay), "wf", b.param(w.Followed),
		"wc", b.param(w.Collaborative), "wk", b.param(w.Content),
		"collab", b.param(w.Collaborative > 0), "content", b.param(w.Content > 0), "followed", b.param(w.Followed > 0),
		"max", b.param(int64(MaxPageSize)), "minPopular", b.param(MinPopularRatings),
	}
	for _, name := range []string{"r", "s", "sim", "c", "part", "score", "seed", "picks", "cold", "g", "genres", "n", "avg", "via", "x", "seen", "seeds", "i", "rated"} {
		names = append(names, name, b.variable(name))
	}
	picks := `WITH {me}, COLLECT { MATCH ({me})-[:RATED|COLLECTED|HID]->({x}:Movie) RETURN {x} } AS {seen}
  MATCH ({me})-[{r}:RATED]->({s}:Movie)
  WITH {seen}, {s}, {r} ORDER BY {r}.ratedAt DESC, {s}.movieId DESC LIMIT {maxSeeds}
  WITH {seen}, collect({s: {s}, rated: {r}.score}) AS {seeds}
  UNWIND range(0, size({seeds}) - 1) AS {i}
  WITH {seen}, {seeds}[{i}].s AS {s}, {seeds}[{i}].rated AS {rated}, {decay} ^ {i} AS {x}
  MATCH ({s})-[{sim}:SIMILAR]->({c}:Movie)
  WHERE NOT {c} IN {seen}
  WITH {s}, {rated}, {c}, {sim}.followers AS {n}, {x} * ({wf} * coalesce({sim}.followed, 0.0) + CASE WHEN {rated} >= {seedScore}
    THEN {wc} * coalesce({sim}.collaborative, 0.0) + {wk} * coalesce({sim}.content, 0.0) ELSE 0.0 END) AS {part}
  WHERE {part} > 0
  ORDER BY {part} DESC, {s}.movieId
  WITH {c}, sum({part}) AS {score}, collect({s: {s}, rated: {rated}, followers: {n}})[0] AS {seed}
  ORDER BY {score} DESC, {c}.movieId LIMIT {max}
  RETURN collect({movie: {c}, score: {score}, seed: {seed}.s, rated: {seed}.rated,
    collab: {collab} AND {seed}.rated >= {seedScore}, content: {content} AND {seed}.rated >= {seedScore}, followed: {followed}, followers: {seed}.followers}) AS {picks}`
	if strategy == Popular {
		picks = `MATCH ({c}:Movie) WHERE NOT EXISTS { ({me})-[:RATED|COLLECTED|HID]->({c}) }
  WITH {c}, COUNT { ({c})<-[:RATED]-(:User) } AS {n}
  ORDER BY {n} DESC, {c}.movieId LIMIT {max}
  RETURN collect({movie: {c}, score: toFloat({n}), seed: null, collab: false, content: false, followed: false,
    fixed: [{kind: '` + ReasonPopular + `', via: null, text: 'Rated by ' + toString({n}) + ' people'}]}) AS {picks}`
	}
	text := `MATCH ({me}:User {userId: {user}})
CALL ({me}) {
  ` + picks + `
}
CALL ({me}, {picks}) {
  WITH {me} WHERE size({picks}) = 0
  CALL ({me}) {
    OPTIONAL MATCH ({me})-[:RATED|COLLECTED]->(:Movie)-[:IN_GENRE]->({g}:Genre)
    WITH {g}, count({g}) AS {n} ORDER BY {n} DESC, {g}.name
    RETURN collect({g}) AS {genres}
  }
  MATCH ({c}:Movie)<-[{r}:RATED]-(:User)
  WHERE NOT EXISTS { ({me})-[:RATED|COLLECTED|HID]->({c}) }
  WITH {c}, {genres}, count({r}) AS {n}, avg({r}.score) AS {avg} WHERE {n} >= {minPopular}
  WITH {c}, {n}, {avg}, head([{g} IN {genres} WHERE EXISTS { ({c})-[:IN_GENRE]->({g}) }]) AS {via}
  ORDER BY {via} IS NULL, {avg} DESC, {n} DESC, {c}.movieId LIMIT {max}
  RETURN collect({movie: {c}, score: {avg} / 10.0, seed: null, collab: false, content: false,
    fixed: [{kind: '` + ReasonPopular + `', via: {via}, text: 'Rated ' + toString(round({avg}, 1)) + ' on average by ' + toString({n}) + ' people' +
      CASE WHEN {via} IS NULL THEN '' ELSE ', in ' + {via}.name + ', a genre you watch' END}]}) AS {cold}
}
WITH {me}, {picks} + {cold} AS {ranked}`
	return fill(text, names...)
}

// PicksFor returns the statement of the films picked for the user userID (see
// userRanking) with the given blend (HYBRID; COLLABORATIVE keeps its two rating scores), as rows {movieId,
// score, reasons: [{kind, text, viaType, viaKey}]}, best first, at most first of them,
// in the single column `this`, one row per film. It serves the offline evaluation and
// tests, which need no GraphQL selection; no row means the user is unknown or gets
// nothing.
func PicksFor(userID int64, strategy Strategy, blend Blend, first int) Statement {
	b := &builder{params: map[string]any{}}
	me, ranked := b.variable("me"), b.variable("ranked")
	i, row, n := b.variable("i"), b.variable("row"), b.variable("n")
	x := b.variable("reason")
	text := b.userRanking(userID, strategy, blend, me, ranked) + fill(`
UNWIND range(0, size({ranked}) - 1) AS {i}
WITH {ranked}[{i}] AS {row}, {i} ORDER BY {i} LIMIT {first}
WITH {row}, {i}, {row}.movie AS {n}, {row}.seed AS {seed}
{evidence}
RETURN {movieId: {n}.movieId, score: {row}.score, reasons: [{x} IN {reasons}[..3] | {kind: {x}.kind, text: {x}.text,
  viaType: head([l IN labels({x}.via) WHERE l IN ['Movie', 'Person', 'Genre', 'Tag']]),
  viaKey: coalesce({x}.via.movieId, {x}.via.personId, {x}.via.name)}]} AS this
ORDER BY {i}`, "ranked", ranked, "i", i, "row", row, "first", b.param(first), "n", n, "seed", seedVar(row),
		"evidence", b.reasons(row, n), "reasons", reasonsVar(row), "x", x)
	return b.statement(text)
}

// RecommendationsFor returns the statement of req's field, a
// RecommendationConnection of the films picked for the user userID (see userRanking), with
// the hybrid blend, paged by page. It yields no row for an unknown user.
func RecommendationsFor(req Request, userID int64, page Page) (Statement, error) {
	b := newBuilder(req)
	me, ranked := b.variable("me"), b.variable("ranked")
	text := b.userRanking(userID, Hybrid, PicksBlend, me, ranked)
	conn, err := b.rankedConnection(req.Field, page, ranked)
	if err != nil {
		return Statement{}, err
	}
	return b.statement(text + "\nRETURN " + conn + " AS this"), nil
}
