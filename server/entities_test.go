package server

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"filmgraph/cypher"
	"filmgraph/graph"
	"filmgraph/internal/neo4jtest"
	"filmgraph/internal/translatetest"
	"filmgraph/relay"
)

// Tests of the catalogue's entities and feeds: external ids, tags, site-wide feeds, search
// as a connection. Expected values come from plain Cypher written without package cypher.

// runTag keeps this file's member names apart from an earlier run's on a reused database
// (NEO4J_URI).
var runTag = strconv.FormatInt(time.Now().UnixNano()%(36*36*36*36), 36)

// statementFor translates the first top-level field of query (no variables) with translate,
// given the field's typed arguments as gqlgen would, so a test can EXPLAIN the statement
// the API runs.
func statementFor[A any](t *testing.T, query string, translate func(cypher.Request, A) (cypher.Statement, error)) cypher.Statement {
	t.Helper()
	return statementWithVars(t, query, nil, translate)
}

// statementWithVars is statementFor with the operation's variables.
func statementWithVars[A any](t *testing.T, query string, variables map[string]any, translate func(cypher.Request, A) (cypher.Statement, error)) cypher.Statement {
	t.Helper()
	return translatetest.StatementWithVars(t, graph.NewExecutableSchema(graph.Config{}).Schema(), query, variables, translate)
}

// planOperators returns the operators of stmt's plan, e.g. "NodeIndexSeek". It runs the
// statement with PROFILE (a read): the driver's EXPLAIN plan (v5.28) repeats the last child
// for every child of an operator (Plan.Children takes the address of its loop variable),
// while the profiled plan's children are right.
func planOperators(t *testing.T, stmt cypher.Statement) []string {
	t.Helper()
	result, err := neo4j.ExecuteQuery(context.Background(), neo4jtest.Driver(t), "PROFILE "+stmt.Text, stmt.Params,
		neo4j.EagerResultTransformer, neo4j.ExecuteQueryWithDatabase(neo4jtest.Database()), neo4j.ExecuteQueryWithReadersRouting())
	if err != nil {
		t.Fatal(err)
	}
	var ops []string
	var walk func(p neo4j.ProfiledPlan)
	walk = func(p neo4j.ProfiledPlan) {
		ops = append(ops, strings.Split(p.Operator(), "@")[0])
		for _, c := range p.Children() {
			walk(c)
		}
	}
	walk(result.Summary.Profile())
	return ops
}

// assertIndexSeek fails unless the plan of stmt seeks an index (and scans no label).
func assertIndexSeek(t *testing.T, stmt cypher.Statement) {
	t.Helper()
	assertPlanUses(t, stmt, "IndexSeek")
}

// assertPlanUses fails unless the plan of stmt has, for each of operators, an operator whose
// name contains it ("IndexSeek": NodeIndexSeek, NodeUniqueIndexSeek, ...), and scans no
// whole label or relationship type.
func assertPlanUses(t *testing.T, stmt cypher.Statement, operators ...string) {
	t.Helper()
	ops := planOperators(t, stmt)
	t.Logf("plan: %v", ops)
	joined := " " + strings.Join(ops, " ")
	for _, op := range operators {
		if !strings.Contains(joined, op) {
			t.Errorf("the plan has no %s: %v", op, ops)
		}
	}
	for _, scan := range []string{"NodeByLabelScan", "AllNodesScan", "DirectedRelationshipTypeScan", "UndirectedRelationshipTypeScan", "DirectedAllRelationshipsScan"} {
		if strings.Contains(joined, " "+scan) {
			t.Errorf("the plan scans (%s): %v", scan, ops)
		}
	}
}

func TestMovieByExternalID(t *testing.T) {
	// Every 500th film by MovieLens id, and the films that share a TMDB id.
	films := cypherRows(t, `MATCH (m:Movie) WHERE m.movieLensId IS NOT NULL AND (m.movieId % 500 = 1 OR COUNT { MATCH (o:Movie) WHERE o.tmdbId = m.tmdbId } > 1)
		RETURN m.movieId AS movieId, m.imdbId AS imdb, m.tmdbId AS tmdb,
		       COLLECT { MATCH (o:Movie) WHERE o.tmdbId = m.tmdbId RETURN o.movieId ORDER BY o.movieId LIMIT 1 }[0] AS tmdbFirst`, nil)
	if len(films) < 15 {
		t.Fatalf("only %d films to check", len(films))
	}
	shared := 0
	const query = `query($s: ExternalIdSource!, $id: String!) { movieByExternalId(source: $s, id: $id) { id movieLensId imdbId tmdbId title } }`
	for _, f := range films {
		imdb, tmdb, want := f["imdb"].(string), f["tmdb"], f["movieId"].(int64)
		for _, lookup := range []struct {
			source, id string
			want       int64
		}{
			{"MOVIELENS", fmt.Sprint(want), want},
			{"IMDB", "tt" + imdb, want},
			{"IMDB", imdb, want},
		} {
			d := mustDo(t, "", query, map[string]any{"s": lookup.source, "id": lookup.id}, 1)
			if at(d, "movieByExternalId.movieLensId") != float64(lookup.want) || at(d, "movieByExternalId.imdbId") != "tt"+imdb ||
				at(d, "movieByExternalId.id") != movieID(int(want)) {
				t.Errorf("%s %s: %v, want film %d", lookup.source, lookup.id, d, lookup.want)
			}
		}
		if tmdb == nil {
			continue
		}
		first := f["tmdbFirst"].(int64)
		if first != want {
			shared++
		}
		d := mustDo(t, "", query, map[string]any{"s": "TMDB", "id": tmdb}, 1)
		if at(d, "movieByExternalId.movieLensId") != float64(first) || fmt.Sprint(at(d, "movieByExternalId.tmdbId")) != tmdb {
			t.Errorf("TMDB %s: %v, want film %d", tmdb, d, first)
		}
	}
	if shared == 0 {
		t.Error("no film shares a TMDB id with a film of a lower MovieLens id: the tie rule went unchecked")
	}
	// The reference film, by what its IMDb page says.
	d := mustDo(t, "", query, map[string]any{"s": "IMDB", "id": "tt1334260"}, 1)
	if at(d, "movieByExternalId.title") != "Never Let Me Go" {
		t.Errorf("tt1334260: %v", d)
	}
	for _, unknown := range []map[string]any{{"s": "IMDB", "id": "tt9999999"}, {"s": "TMDB", "id": "999999999"}, {"s": "MOVIELENS", "id": "999999999"}} {
		if d := mustDo(t, "", query, unknown, 1); at(d, "movieByExternalId") != nil {
			t.Errorf("unknown %v: %v", unknown, d)
		}
	}
	for _, bad := range []map[string]any{{"s": "IMDB", "id": "nm0000158"}, {"s": "TMDB", "id": "tt862"}, {"s": "MOVIELENS", "id": "-3"}, {"s": "MOVIELENS", "id": ""}} {
		wantError(t, "", query, bad, "BAD_USER_INPUT")
	}
	wantError(t, "", query, map[string]any{"s": "WIKIDATA", "id": "1"}, "GRAPHQL_VALIDATION_FAILED")
}

func TestMovieByExternalIDSeeksAnIndex(t *testing.T) {
	for _, source := range []string{"IMDB", "TMDB", "MOVIELENS"} {
		stmt := statementFor(t, `{ movieByExternalId(source: `+source+`, id: "862") { title genres { name } } }`, func(req cypher.Request, _ struct{}) (cypher.Statement, error) {
			return cypher.MovieByExternalID(req, source, "862")
		})
		assertIndexSeek(t, stmt)
	}
}

func TestTagsAreEntities(t *testing.T) {
	// The tag with the most films, and its films in the documented order.
	top := cypherRows(t, `MATCH (t:Tag)<-[:TAGGED]-(m:Movie) WITH t, count(m) AS films ORDER BY films DESC, t.name LIMIT 1
		RETURN t.name AS name, films`, nil)[0]
	name, films := top["name"].(string), top["films"].(int64)
	if films <= 20 {
		t.Fatalf("the most used tag has only %d films: paging goes unchecked", films)
	}
	want := column(cypherRows(t, `MATCH (:Tag {name: $name})<-[r:TAGGED]-(m:Movie) RETURN m.title AS title ORDER BY r.count DESC, m.title, m.movieId`,
		map[string]any{"name": name}), "title")

	const page = `query($name: String!, $after: String) { tag(name: $name) { id name movieCount
		movies(first: 7, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { node { title } } } } }`
	var got []string
	var id any
	var after any
	for i := 0; i < 100; i++ {
		d := mustDo(t, "", page, map[string]any{"name": strings.ToUpper(name), "after": after}, 1)
		if at(d, "tag.name") != name || at(d, "tag.movieCount") != float64(films) || at(d, "tag.movies.totalCount") != float64(films) {
			t.Fatalf("tag %q: %v (want %d films)", name, d, films)
		}
		id = at(d, "tag.id")
		for _, e := range at(d, "tag.movies.edges").([]any) {
			got = append(got, at(e, "node.title").(string))
		}
		if at(d, "tag.movies.pageInfo.hasNextPage") != true {
			break
		}
		after = at(d, "tag.movies.pageInfo.endCursor")
	}
	assertEqual(t, "films of "+name, got, want)

	// From a film's tags to the tag, and back through node() and nodes().
	film := cypherRows(t, `MATCH (m:Movie)-[r:TAGGED]->(t:Tag {name: $name}) RETURN m.movieId AS id ORDER BY r.count DESC, m.movieId LIMIT 1`,
		map[string]any{"name": name})[0]["id"].(int64)
	d := mustDo(t, "", `query($m: ID!) { movie(id: $m) { tags(first: 100) { name count tag { id name movieCount } } } }`,
		map[string]any{"m": movieID(int(film))}, 1)
	found := false
	for _, tc := range at(d, "movie.tags").([]any) {
		if at(tc, "name") == name {
			found = at(tc, "tag.id") == id && at(tc, "tag.movieCount") == float64(films)
		}
	}
	if !found {
		t.Errorf("film %d's tags do not lead to %q (%v): %v", film, name, id, d)
	}
	n := mustDo(t, "", `query($id: ID!) { node(id: $id) { __typename id ... on Tag { name movies(first: 1) { edges { node { title } } } } }
		nodes(ids: [$id]) { id ... on Tag { movieCount } } }`, map[string]any{"id": id}, 1)
	if at(n, "node.__typename") != "Tag" || at(n, "node.name") != name || at(n, "node.movies.edges.0.node.title") != want[0] ||
		at(n, "nodes.0.id") != id || at(n, "nodes.0.movieCount") != float64(films) {
		t.Errorf("node(%v): %v", id, n)
	}
	if d := mustDo(t, "", `{ tag(name: "no such tag, surely") { id } }`, nil, 1); at(d, "tag") != nil {
		t.Errorf("unknown tag: %v", d)
	}
	unknown := relay.ID("Tag", "no such tag, surely")
	if d := mustDo(t, "", `query($id: ID!) { node(id: $id) { id } nodes(ids: [$id]) { id } }`, map[string]any{"id": unknown}, 0); at(d, "node") != nil || at(d, "nodes.0") != nil {
		t.Errorf("unknown tag id: %v", d)
	}
	wantError(t, "", `{ tag(name: "drama") { movies(first: 101) { totalCount } } }`, nil, "BAD_USER_INPUT")
}

func TestRecentReviews(t *testing.T) {
	older, newer := signUp(t, "feed"+runTag), signUp(t, "feed"+runTag)
	const write = `mutation($m: ID!, $t: String!) { writeReview(movieId: $m, text: $t, score: 7) { id } }`
	first := at(mustDo(t, older.Token, write, map[string]any{"m": movieID(2), "t": "older"}, 1), "writeReview.id")
	second := at(mustDo(t, newer.Token, write, map[string]any{"m": movieID(3), "t": "newer"}, 1), "writeReview.id")

	want := column(cypherRows(t, `MATCH (r:Review) RETURN r.reviewId AS id ORDER BY r.addedAt DESC, r.reviewId`, nil), "id")
	const page = `query($after: String) { recentReviews(first: 2, after: $after) { totalCount pageInfo { hasNextPage hasPreviousPage endCursor }
		edges { node { id text author { username } movie { movieLensId } } } } }`
	var got []string
	var after any
	for i := 0; i < 200; i++ {
		d := mustDo(t, "", page, map[string]any{"after": after}, 1)
		if at(d, "recentReviews.totalCount") != float64(len(want)) || at(d, "recentReviews.pageInfo.hasPreviousPage") != (i > 0) {
			t.Fatalf("page %d: %v (want %d reviews)", i, d, len(want))
		}
		if i == 0 && (at(d, "recentReviews.edges.0.node.id") != second || at(d, "recentReviews.edges.0.node.author.username") != newer.Username ||
			at(d, "recentReviews.edges.1.node.id") != first || at(d, "recentReviews.edges.1.node.movie.movieLensId") != float64(2)) {
			t.Errorf("the two newest reviews: %v", d)
		}
		for _, e := range at(d, "recentReviews.edges").([]any) {
			got = append(got, mustKey(at(e, "node.id").(string)))
		}
		if at(d, "recentReviews.pageInfo.hasNextPage") != true {
			break
		}
		after = at(d, "recentReviews.pageInfo.endCursor")
	}
	assertEqual(t, "reviews", got, want)
	wantError(t, "", `{ recentReviews(first: 0) { totalCount } }`, nil, "BAD_USER_INPUT")
	wantError(t, "", `{ recentReviews(after: "bm9wZQ") { totalCount } }`, nil, "BAD_USER_INPUT")
	assertPlanUses(t, statementFor(t, `{ recentReviews(first: 5) { edges { node { text } } } }`, cypher.RecentReviews), "NodeIndexScan")
}

func TestTrending(t *testing.T) {
	// Two members rate one film and one of them another, so the newest ratings are theirs.
	a, b := signUp(t, "trend"+runTag), signUp(t, "trend"+runTag)
	const rate = `mutation($m: ID!) { rateMovie(movieId: $m, score: 8) { id } }`
	mustDo(t, a.Token, rate, map[string]any{"m": movieID(5)}, 1)
	mustDo(t, b.Token, rate, map[string]any{"m": movieID(5)}, 1)
	mustDo(t, b.Token, rate, map[string]any{"m": movieID(6)}, 1)

	for _, days := range []int{1, 365} {
		newest := cypherRows(t, `MATCH ()-[r:RATED]->() RETURN max(r.ratedAt) AS newest`, nil)[0]["newest"]
		want := cypherRows(t, `MATCH ()-[r:RATED]->() WITH max(r.ratedAt) AS newest
			MATCH (:User)-[r:RATED]->(m:Movie) WHERE newest - duration({days: $days}) < r.ratedAt <= newest
			RETURN m.movieId AS id, count(r) AS n ORDER BY n DESC, id`, map[string]any{"days": days})
		const page = `query($days: Int, $after: String) { trending(days: $days, first: 3, after: $after) { totalCount windowStart windowEnd
			pageInfo { hasNextPage endCursor } edges { ratingCount node { movieLensId } } } }`
		var got []string
		var after any
		for i := 0; i < 200; i++ {
			d := mustDo(t, "", page, map[string]any{"days": days, "after": after}, 1)
			if at(d, "trending.totalCount") != float64(len(want)) {
				t.Fatalf("days %d: totalCount %v, want %d", days, at(d, "trending.totalCount"), len(want))
			}
			end, _ := time.Parse(time.RFC3339Nano, at(d, "trending.windowEnd").(string))
			start, _ := time.Parse(time.RFC3339Nano, at(d, "trending.windowStart").(string))
			if !end.Equal(newest.(time.Time)) || end.Sub(start) != time.Duration(days)*24*time.Hour {
				t.Errorf("days %d: window %v .. %v, want %d days up to %v", days, start, end, days, newest)
			}
			for _, e := range at(d, "trending.edges").([]any) {
				got = append(got, fmt.Sprintf("%v:%v", at(e, "node.movieLensId"), at(e, "ratingCount")))
			}
			if at(d, "trending.pageInfo.hasNextPage") != true {
				break
			}
			after = at(d, "trending.pageInfo.endCursor")
		}
		wantRows := make([]string, len(want))
		for i, r := range want {
			wantRows[i] = fmt.Sprintf("%v:%v", r["id"], r["n"])
		}
		assertEqual(t, fmt.Sprintf("trending over %d days", days), got, wantRows)
		if !slices.Contains(got, "5:"+fmt.Sprint(want[slices.IndexFunc(want, func(r map[string]any) bool { return r["id"] == int64(5) })]["n"])) {
			t.Errorf("days %d: film 5, rated just now, is not trending: %v", days, got)
		}
	}
	for _, days := range []int{0, -1, 366} {
		wantError(t, "", `query($d: Int) { trending(days: $d) { totalCount } }`, map[string]any{"d": days}, "BAD_USER_INPUT")
	}
	wantError(t, "", `{ trending(first: 101) { totalCount } }`, nil, "BAD_USER_INPUT")
	// The newest rating is the last entry of the ratedAt index, and the window a range seek.
	assertPlanUses(t, statementFor(t, `{ trending(days: 30) { edges { node { title } } } }`, cypher.Trending),
		"DirectedRelationshipIndexScan", "DirectedRelationshipIndexSeekByRange")
}

// searchPages walks Query.search through every page and returns the keys of its hits
// ("Movie:1", "Person:2") and the reported totalCount.
func searchPages(t *testing.T, text string, types []string, pageSize int) ([]string, int) {
	t.Helper()
	const query = `query($text: String!, $types: [SearchType!], $first: Int, $after: String) {
		search(text: $text, types: $types, first: $first, after: $after) { totalCount pageInfo { hasNextPage hasPreviousPage endCursor }
			edges { cursor score node { __typename ... on Movie { id } ... on Person { id } } } } }`
	var keys []string
	total := -1
	var after any
	lastScore := 1e300
	for page := 0; page < 200; page++ {
		d := mustDo(t, "", query, map[string]any{"text": text, "types": types, "first": pageSize, "after": after}, 1)
		total = int(at(d, "search.totalCount").(float64))
		if at(d, "search.pageInfo.hasPreviousPage") != (page > 0) {
			t.Errorf("page %d: hasPreviousPage %v", page, at(d, "search.pageInfo.hasPreviousPage"))
		}
		for _, e := range at(d, "search.edges").([]any) {
			typ, key, _ := relay.ParseID(at(e, "node.id").(string))
			if typ != at(e, "node.__typename") {
				t.Errorf("hit %v is typed %v", at(e, "node.id"), at(e, "node.__typename"))
			}
			if score := at(e, "score").(float64); score > lastScore {
				t.Errorf("scores rise from %v to %v", lastScore, score)
			} else {
				lastScore = score
			}
			keys = append(keys, typ+":"+key)
		}
		if at(d, "search.pageInfo.hasNextPage") != true {
			break
		}
		after = at(d, "search.pageInfo.endCursor")
	}
	return keys, total
}

func TestSearchIsAPagedConnection(t *testing.T) {
	// "love" as the translator writes it: the word, a prefix, one typo.
	const lucene = "+(love^2 love* love~1)"
	want := func(indexes ...string) []string {
		var keys []string
		for _, r := range cypherRows(t, `CALL () {
			CALL db.index.fulltext.queryNodes('movieTitleSearch', $q, {limit: 1000}) YIELD node, score WHERE 'movies' IN $indexes RETURN node, score
			UNION ALL
			CALL db.index.fulltext.queryNodes('personNameSearch', $q, {limit: 1000}) YIELD node, score WHERE 'people' IN $indexes RETURN node, score }
			RETURN CASE WHEN node:Movie THEN 'Movie:' + node.movieId ELSE 'Person:' + node.personId END AS key
			ORDER BY score DESC, coalesce(node.movieId, -1), coalesce(node.personId, -1) LIMIT 1000`,
			map[string]any{"q": lucene, "indexes": indexes}) {
			keys = append(keys, r["key"].(string))
		}
		return keys
	}
	films, people, both := want("movies"), want("people"), want("movies", "people")
	if len(films) <= 100 || len(people) < 5 {
		t.Fatalf("%d films and %d people: pick a word with more hits", len(films), len(people))
	}
	for _, tc := range []struct {
		name  string
		types []string
		want  []string
	}{
		{"films", []string{"MOVIE"}, films},
		{"people", []string{"PERSON"}, people},
		{"both, by default", nil, both},
		{"both, named", []string{"PERSON", "MOVIE"}, both},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, total := searchPages(t, "love", tc.types, 100)
			if total != len(tc.want) {
				t.Errorf("totalCount %d, want %d", total, len(tc.want))
			}
			assertEqual(t, "hits", got, tc.want)
		})
	}
	// A one-letter prefix matches far more than 1,000: the best 1,000 are ranked and paged.
	if got, total := searchPages(t, "a", []string{"MOVIE"}, 100); total != 1000 || len(got) != 1000 {
		t.Errorf(`"a": totalCount %d, %d hits walked; want 1000 of each`, total, len(got))
	}
	wantError(t, "", `{ search(text: "love", types: []) { totalCount } }`, nil, "BAD_USER_INPUT")
	wantError(t, "", `{ search(text: "love", after: "garbage!") { totalCount } }`, nil, "BAD_USER_INPUT")
	wantError(t, "", `{ search(text: "love", types: [FILM]) { totalCount } }`, nil, "GRAPHQL_VALIDATION_FAILED")
}
