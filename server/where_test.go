package server

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/vektah/gqlparser/v2/ast"

	"filmgraph/cypher"
	"filmgraph/graph"
	"filmgraph/relay"
)

// Tests of `where` and multi-key `orderBy`. Each expectation is a plain Cypher query
// written here, independently of package cypher's compiler.

// personKey is the personId of the person named name in the seed.
func personKey(t *testing.T, name string) int64 {
	t.Helper()
	rows := cypherRows(t, `MATCH (p:Person {name: $name}) RETURN p.personId AS id ORDER BY id LIMIT 1`, map[string]any{"name": name})
	if len(rows) == 0 {
		t.Fatalf("no person %q in the seed", name)
	}
	return rows[0]["id"].(int64)
}

// moviesWhereQuery reads films by where and orderBy, paged for walk.
var moviesWhereQuery = `query($w: MovieWhere, $o: [MovieOrder!], ` + pageVars + `) {
	movies(where: $w, orderBy: $o, ` + pageArgs + `) { totalCount ` + fmt.Sprintf(pageInfoAndEdges, "id") + ` } }`

func TestMovieWhereOperators(t *testing.T) {
	hanks := personKey(t, "Tom Hanks")
	hanksID := relay.ID("Person", fmt.Sprint(hanks))
	params := map[string]any{"hanks": hanks}
	byTitle := " RETURN m.movieId AS id ORDER BY m.title, m.movieId"
	cases := []struct {
		name   string
		where  map[string]any
		order  []map[string]any
		cypher string
	}{
		{"title eq", map[string]any{"title": map[string]any{"eq": "Toy Story"}},
			nil, `MATCH (m:Movie) WHERE m.title = 'Toy Story'` + byTitle},
		{"title in", map[string]any{"title": map[string]any{"in": []string{"Heat", "Casino", "Fargo", "Nope, no such film"}}},
			nil, `MATCH (m:Movie) WHERE m.title IN ['Heat', 'Casino', 'Fargo']` + byTitle},
		{"title contains (case-sensitive)", map[string]any{"title": map[string]any{"contains": "Star Wars"}},
			nil, `MATCH (m:Movie) WHERE m.title CONTAINS 'Star Wars'` + byTitle},
		{"title startsWith", map[string]any{"title": map[string]any{"startsWith": "The Lord"}},
			nil, `MATCH (m:Movie) WHERE left(m.title, 8) = 'The Lord'` + byTitle},
		{"year eq and lte", map[string]any{"year": map[string]any{"eq": 1950, "lte": 1950}},
			nil, `MATCH (m:Movie) WHERE m.year = 1950` + byTitle},
		{"year in", map[string]any{"year": map[string]any{"in": []int{1931, 1932}}},
			nil, `MATCH (m:Movie) WHERE m.year = 1931 OR m.year = 1932` + byTitle},
		{"year gt", map[string]any{"year": map[string]any{"gt": 2017}},
			nil, `MATCH (m:Movie) WHERE m.year >= 2018` + byTitle},
		{"year gte and lt", map[string]any{"year": map[string]any{"gte": 1994, "lt": 1995}},
			nil, `MATCH (m:Movie) WHERE m.year = 1994` + byTitle},
		{"averageRating gte with ratingCount gt", map[string]any{"averageRating": map[string]any{"gte": 8.5}, "ratingCount": map[string]any{"gt": 10}},
			nil, `MATCH (m:Movie)<-[r:RATED]-(:User) WITH m, count(r) AS n, toFloat(sum(r.score)) / count(r) AS average
				WHERE n > 10 AND average >= 8.5` + byTitle},
		{"averageRating lt and lte", map[string]any{"averageRating": map[string]any{"lt": 3.0, "lte": 2.9}, "ratingCount": map[string]any{"gte": 5}},
			nil, `MATCH (m:Movie)<-[r:RATED]-(:User) WITH m, count(r) AS n, toFloat(sum(r.score)) / count(r) AS average
				WHERE n >= 5 AND average <= 2.9` + byTitle},
		{"averageRating eq and in", map[string]any{"OR": []any{
			map[string]any{"averageRating": map[string]any{"eq": 10.0}}, map[string]any{"averageRating": map[string]any{"in": []float64{1.0}}}}},
			nil, `MATCH (m:Movie)<-[r:RATED]-(:User) WITH m, min(r.score) AS low, max(r.score) AS high
				WHERE low = high AND low IN [1, 10]` + byTitle},
		{"ratingCount eq, in, gt", map[string]any{"OR": []any{
			map[string]any{"ratingCount": map[string]any{"eq": 100}}, map[string]any{"ratingCount": map[string]any{"in": []int{150, 151}}},
			map[string]any{"ratingCount": map[string]any{"gt": 300}}}},
			nil, `MATCH (m:Movie) WITH m, COUNT { (m)<-[:RATED]-(:User) } AS n WHERE n IN [100, 150, 151] OR n > 300` + byTitle},
		{"genres any", map[string]any{"genres": map[string]any{"any": []string{"Film-Noir"}}},
			nil, `MATCH (m:Movie)-[:IN_GENRE]->(:Genre {name: 'Film-Noir'})` + byTitle},
		{"genres all", map[string]any{"genres": map[string]any{"all": []string{"Animation", "Musical", "Animation"}}},
			nil, `MATCH (m:Movie)-[:IN_GENRE]->(:Genre {name: 'Animation'}) MATCH (m)-[:IN_GENRE]->(:Genre {name: 'Musical'})` + byTitle},
		{"genres none, with a year", map[string]any{"year": map[string]any{"eq": 1995}, "genres": map[string]any{"none": []string{"Drama", "Comedy"}}},
			nil, `MATCH (m:Movie {year: 1995}) WHERE NOT (m)-[:IN_GENRE]->(:Genre {name: 'Drama'}) AND NOT (m)-[:IN_GENRE]->(:Genre {name: 'Comedy'})` + byTitle},
		{"credit as actor", map[string]any{"credit": map[string]any{"person": hanksID, "as": "ACTOR"}},
			nil, `MATCH (:Person {personId: $hanks})-[:ACTED_IN]->(m:Movie)` + byTitle},
		{"credit as director", map[string]any{"credit": map[string]any{"person": hanksID, "as": "DIRECTOR"}},
			nil, `MATCH (:Person {personId: $hanks})-[:DIRECTED]->(m:Movie)` + byTitle},
		{"credit either way", map[string]any{"credit": map[string]any{"person": hanksID}},
			nil, `MATCH (p:Person {personId: $hanks}) MATCH (m:Movie) WHERE (p)-[:ACTED_IN]->(m) OR (p)-[:DIRECTED]->(m)` + byTitle},
		{"tag", map[string]any{"tag": "pixar"},
			nil, `MATCH (m:Movie)-[:TAGGED]->(:Tag {name: 'pixar'})` + byTitle},
		{"OR of two", map[string]any{"OR": []any{map[string]any{"year": map[string]any{"eq": 1931}}, map[string]any{"genres": map[string]any{"any": []string{"Film-Noir"}}}}},
			nil, `MATCH (m:Movie) WHERE m.year = 1931 OR (m)-[:IN_GENRE]->(:Genre {name: 'Film-Noir'})` + byTitle},
		{"NOT keeps films without a year", map[string]any{"NOT": map[string]any{"year": map[string]any{"lt": 2017}}},
			nil, `MATCH (m:Movie) WHERE m.year IS NULL OR m.year >= 2017` + byTitle},
		{"AND of NOT and OR", map[string]any{"AND": []any{
			map[string]any{"genres": map[string]any{"any": []string{"Western"}}},
			map[string]any{"NOT": map[string]any{"OR": []any{map[string]any{"year": map[string]any{"lt": 1960}}, map[string]any{"year": map[string]any{"gt": 1970}}}}}}},
			nil, `MATCH (m:Movie)-[:IN_GENRE]->(:Genre {name: 'Western'}) WHERE m.year IS NULL OR 1960 <= m.year <= 1970` + byTitle},
		{"empty OR matches nothing, empty AND everything", map[string]any{"AND": []any{}, "OR": []any{}},
			nil, `MATCH (m:Movie) WHERE false` + byTitle},
		{"Drama films with Tom Hanks after 1990, best rated first",
			map[string]any{"genres": map[string]any{"any": []string{"Drama"}}, "credit": map[string]any{"person": hanksID, "as": "ACTOR"}, "year": map[string]any{"gt": 1990}},
			[]map[string]any{{"field": "AVERAGE_RATING", "direction": "DESC"}},
			`MATCH (:Person {personId: $hanks})-[:ACTED_IN]->(m:Movie)-[:IN_GENRE]->(:Genre {name: 'Drama'}) WHERE m.year > 1990
				OPTIONAL MATCH (m)<-[r:RATED]-(:User) WITH m, avg(r.score) AS average
				RETURN m.movieId AS id ORDER BY average IS NULL, m.ratingAverage DESC, m.movieId`},
		{"three keys: year down, rating count down, title",
			map[string]any{"genres": map[string]any{"any": []string{"Film-Noir"}}},
			[]map[string]any{{"field": "YEAR", "direction": "DESC"}, {"field": "RATING_COUNT", "direction": "DESC"}, {"field": "TITLE"}},
			`MATCH (m:Movie)-[:IN_GENRE]->(:Genre {name: 'Film-Noir'}) WITH m, COUNT { (m)<-[:RATED]-(:User) } AS n
				RETURN m.movieId AS id ORDER BY m.year IS NULL, m.year DESC, n DESC, m.title, m.movieId`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			want := column(cypherRows(t, tc.cypher, params), "id")
			if len(want) == 0 && !strings.HasPrefix(tc.name, "empty") {
				t.Fatal("the expectation is empty; pick a condition that finds films")
			}
			vars := map[string]any{"w": tc.where}
			if tc.order != nil {
				vars["o"] = tc.order
			}
			got := entityKeys(t, walk(t, "", moviesWhereQuery, vars, "movies", "id", 100, true, nil))
			assertEqual(t, "films", got, want)
		})
	}
}

func TestMovieWhereInList(t *testing.T) {
	owner := signUp(t, "where-list")
	films := []int{1, 2, 3}
	listOf := func(public bool) string {
		d := mustDo(t, owner.Token, `mutation($p: Boolean) { createList(title: "where", public: $p) { id } }`, map[string]any{"p": public}, 0)
		id := at(d, "createList.id").(string)
		for _, m := range films {
			mustDo(t, owner.Token, `mutation($l: ID!, $m: ID!) { addToList(listId: $l, movieId: $m) { id } }`, map[string]any{"l": id, "m": movieID(m)}, 0)
		}
		return id
	}
	public, private := listOf(true), listOf(false)
	want := column(cypherRows(t, `MATCH (:UserList {listId: $l})-[:CONTAINS]->(m:Movie) RETURN m.movieId AS id ORDER BY m.title, m.movieId`,
		map[string]any{"l": mustKey(public)}), "id")
	if len(want) != len(films) {
		t.Fatalf("the list holds %v", want)
	}
	for _, tc := range []struct {
		name, token, list string
		want              []string
	}{
		{"a public list, anonymously", "", public, want},
		{"a private list, by its owner", owner.Token, private, want},
		{"a private list, anonymously", "", private, nil},
		{"a private list, by another member", signUp(t, "where-other").Token, private, nil},
	} {
		got := entityKeys(t, walk(t, tc.token, moviesWhereQuery, map[string]any{"w": map[string]any{"inList": tc.list}}, "movies", "id", 100, true, nil))
		assertEqual(t, tc.name, got, tc.want)
	}
}

func TestPeopleWhere(t *testing.T) {
	query := `query($w: PersonWhere, $o: [PersonOrder!], ` + pageVars + `) {
		people(where: $w, orderBy: $o, ` + pageArgs + `) { ` + fmt.Sprintf(pageInfoAndEdges, "id") + ` } }`
	hanks := personKey(t, "Tom Hanks")
	params := map[string]any{"hanks": hanks}
	byName := " RETURN p.personId AS id ORDER BY p.name, p.personId"
	cases := []struct {
		name   string
		where  map[string]any
		order  []map[string]any
		cypher string
	}{
		{"name eq", map[string]any{"name": map[string]any{"eq": "Tom Hanks"}}, nil, `MATCH (p:Person {name: 'Tom Hanks'})` + byName},
		{"name in, contains, startsWith", map[string]any{"OR": []any{
			map[string]any{"name": map[string]any{"in": []string{"Meg Ryan", "Tim Allen"}}},
			map[string]any{"name": map[string]any{"contains": "Mulligan"}},
			map[string]any{"name": map[string]any{"startsWith": "Kevin Ba"}}}},
			nil, `MATCH (p:Person) WHERE p.name IN ['Meg Ryan', 'Tim Allen'] OR p.name CONTAINS 'Mulligan' OR left(p.name, 8) = 'Kevin Ba'` + byName},
		{"has directed", map[string]any{"hasDirected": true, "name": map[string]any{"startsWith": "Tom "}},
			nil, `MATCH (p:Person) WHERE p.name STARTS WITH 'Tom ' AND COUNT { (p)-[:DIRECTED]->(:Movie) } > 0` + byName},
		{"has not directed", map[string]any{"hasDirected": false, "name": map[string]any{"startsWith": "Tom H"}},
			nil, `MATCH (p:Person) WHERE p.name STARTS WITH 'Tom H' AND COUNT { (p)-[:DIRECTED]->(:Movie) } = 0` + byName},
		{"acted with", map[string]any{"actedWith": relay.ID("Person", fmt.Sprint(hanks))},
			nil, `MATCH (h:Person {personId: $hanks})-[:ACTED_IN]->(:Movie)<-[:ACTED_IN]-(p:Person) WHERE p <> h WITH DISTINCT p` + byName},
		{"in a genre, by films then name", map[string]any{"genre": "Film-Noir", "name": map[string]any{"startsWith": "H"}},
			[]map[string]any{{"field": "MOVIE_COUNT", "direction": "DESC"}, {"field": "NAME"}},
			`MATCH (p:Person)-[:ACTED_IN|DIRECTED]->(:Movie)-[:IN_GENRE]->(:Genre {name: 'Film-Noir'}) WHERE p.name STARTS WITH 'H'
				WITH DISTINCT p WITH p, COUNT { (p)-[:ACTED_IN|DIRECTED]->(:Movie) } AS n
				RETURN p.personId AS id ORDER BY n DESC, p.name, p.personId`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			want := column(cypherRows(t, tc.cypher, params), "id")
			if len(want) == 0 {
				t.Fatal("the expectation is empty")
			}
			vars := map[string]any{"w": tc.where}
			if tc.order != nil {
				vars["o"] = tc.order
			}
			ids := walk(t, "", query, vars, "people", "id", 100, true, nil)
			got := make([]string, len(ids))
			for i, id := range ids {
				got[i] = mustKey(id)
			}
			assertEqual(t, "people", got, want)
		})
	}
}

func TestReviewWhere(t *testing.T) {
	const film = 7
	for _, score := range []int{2, 5, 8, 9} {
		a := signUp(t, "review-where")
		mustDo(t, a.Token, `mutation($m: ID!, $s: Int!) { writeReview(movieId: $m, text: "w", score: $s) { id } }`,
			map[string]any{"m": movieID(film), "s": score}, 0)
	}
	query := `query($m: ID!, $w: ReviewWhere, ` + pageVars + `) { movie(id: $m) {
		reviews(where: $w, orderBy: HIGHEST_SCORE, ` + pageArgs + `) { ` + fmt.Sprintf(pageInfoAndEdges, "id") + ` } } }`
	cases := []struct {
		name   string
		where  map[string]any
		cypher string
	}{
		{"score gte", map[string]any{"score": map[string]any{"gte": 5}}, `WHERE r.score >= 5`},
		{"score in or lt", map[string]any{"OR": []any{map[string]any{"score": map[string]any{"in": []int{8}}}, map[string]any{"score": map[string]any{"lt": 3}}}}, `WHERE r.score IN [8] OR r.score < 3`},
		{"written since an hour ago", map[string]any{"addedAt": map[string]any{"gt": time.Now().Add(-time.Hour).Format(time.RFC3339)}}, `WHERE r.addedAt > datetime() - duration('PT1H')`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			want := column(cypherRows(t, `MATCH (:Movie {movieId: $m})<-[:ABOUT]-(r:Review) `+tc.cypher+`
				RETURN r.reviewId AS id ORDER BY r.score DESC, r.addedAt DESC, r.reviewId`, map[string]any{"m": film}), "id")
			if len(want) < 2 {
				t.Fatalf("the expectation holds %d reviews", len(want))
			}
			ids := walk(t, "", query, map[string]any{"m": movieID(film), "w": tc.where}, "movie.reviews", "id", 2, true, nil)
			got := make([]string, len(ids))
			for i, id := range ids {
				got[i] = mustKey(id)
			}
			assertEqual(t, "reviews", got, want)
		})
	}
}

func TestWhereBoundsAreCodedErrors(t *testing.T) {
	deep := map[string]any{"year": map[string]any{"eq": 1}}
	for range 7 {
		deep = map[string]any{"NOT": deep}
	}
	wide := make([]any, 21)
	for i := range wide {
		wide[i] = map[string]any{"year": map[string]any{"eq": i}}
	}
	many := make([]any, 20)
	for i := range many {
		many[i] = map[string]any{"year": map[string]any{"eq": i}, "ratingCount": map[string]any{"gt": i}}
	}
	longIn := make([]int, 101)
	cases := map[string]map[string]any{
		"too deep":              deep,
		"too wide":              {"OR": wide},
		"too many conditions":   {"AND": many},
		"in list too long":      {"year": map[string]any{"in": longIn}},
		"too many genres":       {"genres": map[string]any{"any": strings.Split(strings.Repeat("g,", 21), ",")[:21]}},
		"empty text":            {"title": map[string]any{"contains": ""}},
		"text too long":         {"title": map[string]any{"eq": strings.Repeat("x", 201)}},
		"not a person id":       {"credit": map[string]any{"person": movieID(1)}},
		"not a list id":         {"inList": movieID(1)},
		"a malformed id":        {"inList": "%%%"},
		"two keys of one order": nil,
	}
	for name, where := range cases {
		t.Run(name, func(t *testing.T) {
			vars := map[string]any{"w": where}
			if where == nil {
				vars["o"] = []map[string]any{{"field": "YEAR"}, {"field": "YEAR", "direction": "DESC"}}
			}
			msg := wantError(t, "", moviesWhereQuery, vars, "BAD_USER_INPUT")
			if strings.Contains(msg, "cypher") || strings.Contains(msg, "MATCH") {
				t.Errorf("the message leaks the statement: %s", msg)
			}
		})
	}
}

// TestRandomWhereTrees builds random where trees from the schema's own input types (every
// field, operator and enum value the schema declares, nested through AND / OR / NOT) and
// checks that each answers with data or with coded errors only: never a statement the
// database rejects, a 5xx or an uncoded error. A films tree with a condition an index can
// seek must be planned without scanning the films.
func TestRandomWhereTrees(t *testing.T) {
	schema := graph.NewExecutableSchema(graph.Config{}).Schema()
	seed := time.Now().UnixNano()
	t.Logf("seed %d", seed)
	rnd := rand.New(rand.NewPCG(uint64(seed), 0))
	gen := &treeGen{schema: schema, rnd: rnd, ids: []string{
		relay.ID("Person", fmt.Sprint(personKey(t, "Tom Hanks"))), relay.ID("UserList", "nope"), movieID(1), "!!", relay.ID("Person", "x"),
	}}
	queries := map[string]string{
		"MovieWhere":  `query($w: MovieWhere) { movies(where: $w, first: 3) { totalCount edges { node { id } } } }`,
		"PersonWhere": `query($w: PersonWhere) { people(where: $w, first: 3) { totalCount edges { node { id } } } }`,
		"ReviewWhere": `query($w: ReviewWhere) { movie(id: "TW92aWU6MQ") { reviews(where: $w, first: 3) { totalCount edges { node { id } } } } }`,
	}
	answered, refused, seekable := 0, 0, 0
	for i := range 90 {
		typeName := []string{"MovieWhere", "PersonWhere", "ReviewWhere"}[i%3]
		where := gen.object(schema.Types[typeName], 0)
		status, resp, _ := post(t, queries[typeName], map[string]any{"w": where})
		if status != 200 {
			t.Fatalf("%s %v: status %d, %+v", typeName, where, status, resp.Errors)
		}
		if len(resp.Errors) == 0 {
			answered++
			if typeName == "MovieWhere" && seekableMovieWhere(where) {
				// The rule: where an index applies, the statement uses it. A plan
				// that reads films either scans their label or seeks an index; one for a
				// tree the planner proves empty (`in: []`) reads nothing.
				seekable++
				assertPlanUses(t, statementWithVars(t, queries[typeName], map[string]any{"w": where}, cypher.Movies))
			}
			continue
		}
		refused++
		for _, code := range resp.codes() {
			if code != "BAD_USER_INPUT" && !strings.HasSuffix(code, "_LIMIT_EXCEEDED") {
				t.Errorf("%s %v: code %q: %+v", typeName, where, code, resp.Errors)
			}
		}
	}
	t.Logf("%d trees answered with data (%d of films with an indexed condition, none planned with a scan), %d refused with coded errors",
		answered, seekable, refused)
	if answered < 10 {
		t.Errorf("only %d of 90 random trees answered: the generator builds mostly invalid trees", answered)
	}
}

// treeGen builds random values of the schema's input types.
type treeGen struct {
	schema *ast.Schema
	rnd    *rand.Rand
	ids    []string
}

func (g *treeGen) object(def *ast.Definition, depth int) map[string]any {
	out := map[string]any{}
	for _, f := range def.Fields {
		required := f.Type.NonNull && f.DefaultValue == nil
		// Deeper levels get fewer fields, so that trees stay mostly within the bounds.
		if !required && g.rnd.IntN(100) >= 35-8*depth {
			continue
		}
		out[f.Name] = g.value(f.Type, depth)
	}
	return out
}

func (g *treeGen) value(typ *ast.Type, depth int) any {
	if typ.Elem != nil {
		n := g.rnd.IntN(4)
		if g.rnd.IntN(30) == 0 {
			n = 101 + g.rnd.IntN(10) // now and then, past the bounds
		}
		list := make([]any, n)
		for i := range list {
			list[i] = g.value(typ.Elem, depth+1)
		}
		return list
	}
	def := g.schema.Types[typ.NamedType]
	switch def.Kind {
	case ast.InputObject:
		return g.object(def, depth+1)
	case ast.Enum:
		return def.EnumValues[g.rnd.IntN(len(def.EnumValues))].Name
	}
	switch typ.NamedType {
	case "Int":
		return g.rnd.IntN(2030) - 10
	case "Float":
		return float64(g.rnd.IntN(110)) / 10
	case "Boolean":
		return g.rnd.IntN(2) == 0
	case "ID":
		return g.ids[g.rnd.IntN(len(g.ids))]
	case "Time":
		return []string{"2018-01-01T00:00:00Z", time.Now().Format(time.RFC3339Nano), "not a time"}[g.rnd.IntN(3)]
	}
	return []string{"Drama", "The", "Tom Hanks", "pixar", "", strings.Repeat("é", 201), "x'}) DETACH DELETE n //"}[g.rnd.IntN(7)]
}

// TestWhereUsesIndexes plans the statements of conditions on indexed properties, alone
// and with a genre, and checks that each seeks an index rather than scanning every film.
func TestWhereUsesIndexes(t *testing.T) {
	cases := map[string]string{
		"year range":           `{ movies(where: {year: {gte: 1990, lt: 2000}}) { totalCount edges { node { title } } } }`,
		"title starts with":    `{ movies(where: {title: {startsWith: "The"}}, orderBy: [{field: YEAR}]) { totalCount edges { node { title } } } }`,
		"title in":             `{ movies(where: {title: {in: ["Heat", "Fargo"]}}) { totalCount edges { node { title } } } }`,
		"rating count":         `{ movies(where: {ratingCount: {gt: 200}}) { totalCount edges { node { title } } } }`,
		"average rating":       `{ movies(where: {averageRating: {gte: 9}}) { totalCount edges { node { title } } } }`,
		"and of two":           `{ movies(where: {year: {eq: 1994}, title: {startsWith: "The"}}) { totalCount edges { node { title } } } }`,
		"year and a genre":     `{ movies(where: {year: {eq: 1994}, genres: {any: ["Drama"]}}) { totalCount edges { node { title } } } }`,
		"title and a genre":    `{ movies(where: {title: {startsWith: "The"}, genres: {any: ["Comedy"]}}) { totalCount edges { node { title } } } }`,
		"years in and a genre": `{ movies(where: {year: {in: [1994, 1995]}, genres: {any: ["Drama"], none: ["Comedy"]}}) { totalCount edges { node { title } } } }`,
		"a genre in an AND":    `{ movies(where: {AND: [{genres: {any: ["Drama"]}}, {ratingCount: {eq: 100}}]}) { totalCount edges { node { title } } } }`,
		"person name":          `{ people(where: {name: {startsWith: "Tom"}}) { totalCount edges { node { name } } } }`,
	}
	for name, query := range cases {
		t.Run(name, func(t *testing.T) {
			// NodeIndexSeek (and ...ByRange): a films' or people's index, not the genre's.
			assertPlanUses(t, translateTop(t, query), "NodeIndexSeek")
		})
	}
	// A range and a genre: the planner picks the start (see cypher.movieAnchor), from an
	// index either way.
	assertIndexSeek(t, translateTop(t, `{ movies(where: {ratingCount: {gte: 20}, genres: {any: ["Sci-Fi"]}}) { totalCount edges { node { title } } } }`))
}

// seekableMovieWhere reports whether a random MovieWhere tree requires, at its top level or
// in its AND, a condition that one of the films' indexes (seed/schema.go) can seek, or a
// credit of one person in one role (found by the people's id index). Its statement must
// then start from an index (a film's, a person's or, with a range, a genre's).
func seekableMovieWhere(where map[string]any) bool {
	for field, value := range where {
		ops, _ := value.(map[string]any)
		switch field {
		case "year", "averageRating", "ratingCount":
			if len(ops) > 0 {
				return true
			}
		case "title":
			if ops["eq"] != nil || ops["in"] != nil || ops["startsWith"] != nil {
				return true
			}
		case "credit":
			if ops["as"] == "ACTOR" || ops["as"] == "DIRECTOR" {
				return true
			}
		case "AND":
			list, _ := value.([]any)
			for _, sub := range list {
				if m, ok := sub.(map[string]any); ok && seekableMovieWhere(m) {
					return true
				}
			}
		}
	}
	return false
}

// translateTop returns the statement the API runs for query's movies or people field.
func translateTop(t *testing.T, query string) cypher.Statement {
	t.Helper()
	if strings.HasPrefix(strings.TrimSpace(strings.TrimPrefix(query, "{")), "people") {
		return statementFor(t, query, cypher.People)
	}
	return statementFor(t, query, cypher.Movies)
}
