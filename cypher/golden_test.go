package cypher_test

import (
	"encoding/json"
	"flag"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"

	"filmgraph/cypher"
	"filmgraph/internal/translatetest"
	"filmgraph/relay"
)

var update = flag.Bool("update", false, "rewrite the golden .cypher files")

// loadSchema parses the real schema, so the golden queries are checked against it.
func loadSchema(t testing.TB) *ast.Schema {
	t.Helper()
	files, _ := filepath.Glob("../schema/*.graphqls")
	var sources []*ast.Source
	for _, f := range files {
		if filepath.Base(f) == "federation.graphqls" {
			continue // Apollo Federation metadata, whose directives gqlgen's plugin defines
		}
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		sources = append(sources, &ast.Source{Name: f, Input: string(b)})
	}
	schema, err := gqlparser.LoadSchema(sources...)
	if err != nil {
		t.Fatal(err)
	}
	return schema
}

// translate plays gqlgen's part: it validates the query and builds the request of its first
// top-level field, then calls the translation for that field.
func translate(t testing.TB, schema *ast.Schema, query string) (cypher.Statement, error) {
	t.Helper()
	return translator(t, schema, query)()
}

// translator parses and validates query once and returns the translation of its first
// top-level field, to be called as often as a benchmark likes: each call builds the
// field's request and translates it, as a request does.
func translator(t testing.TB, schema *ast.Schema, query string) func() (cypher.Statement, error) {
	t.Helper()
	requests := translatetest.Requests(t, schema, query)
	translate := resolver(t, requests().Field)
	return func() (cypher.Statement, error) { return translate(requests()) }
}

// resolver plays the resolvers' part: it returns the translation of field f, called with
// f's typed arguments.
func resolver(t testing.TB, f cypher.Field) func(cypher.Request) (cypher.Statement, error) {
	args := f.Args
	switch f.Name {
	case "movie":
		return func(req cypher.Request) (cypher.Statement, error) {
			id, err := relay.ParseIntID(args["id"].(string), "Movie")
			if err != nil {
				return cypher.Statement{}, err
			}
			return cypher.Movie(req, id)
		}
	case "person":
		return func(req cypher.Request) (cypher.Statement, error) {
			id, err := relay.ParseIntID(args["id"].(string), "Person")
			if err != nil {
				return cypher.Statement{}, err
			}
			return cypher.Person(req, id)
		}
	case "user":
		return func(req cypher.Request) (cypher.Statement, error) { return cypher.User(req, args["username"].(string)) }
	case "genre":
		return func(req cypher.Request) (cypher.Statement, error) { return cypher.Genre(req, args["name"].(string)) }
	case "movies":
		return withArgs(t, f, cypher.Movies)
	case "genres":
		return withArgs(t, f, cypher.Genres)
	case "people":
		return withArgs(t, f, cypher.People)
	case "search":
		return withArgs(t, f, cypher.Search)
	case "pathBetween":
		return func(req cypher.Request) (cypher.Statement, error) {
			from, err := relay.ParseIntID(args["from"].(string), "Person")
			if err != nil {
				return cypher.Statement{}, err
			}
			to, err := relay.ParseIntID(args["to"].(string), "Person")
			if err != nil {
				return cypher.Statement{}, err
			}
			return cypher.PathBetween(req, from, to, args["maxHops"].(int64))
		}
	case "recommendationsForMe":
		return withArgs(t, f, func(req cypher.Request, page cypher.Page) (cypher.Statement, error) {
			return cypher.RecommendationsFor(req, 1, page) // the viewer: MovieLens user 1
		})
	case "pendingSynopsisSubmissions":
		return withArgs(t, f, func(req cypher.Request, page cypher.Page) (cypher.Statement, error) {
			return cypher.PendingSynopsisSubmissions(req, 42, page)
		})
	case "recentReviews":
		return withArgs(t, f, cypher.RecentReviews)
	case "trending":
		return withArgs(t, f, cypher.Trending)
	case "tag":
		return func(req cypher.Request) (cypher.Statement, error) { return cypher.Tag(req, args["name"].(string)) }
	case "movieByExternalId":
		return func(req cypher.Request) (cypher.Statement, error) {
			return cypher.MovieByExternalID(req, args["source"].(string), args["id"].(string))
		}
	case "nodes":
		return func(req cypher.Request) (cypher.Statement, error) {
			var refs []cypher.NodeRef
			for _, id := range args["ids"].([]any) {
				typeName, key, err := relay.ParseID(id.(string))
				if err != nil {
					return cypher.Statement{}, err
				}
				refs = append(refs, cypher.NodeRef{Type: typeName, Key: key})
			}
			return cypher.Nodes(req, refs)
		}
	}
	return func(cypher.Request) (cypher.Statement, error) {
		return cypher.Statement{}, fmt.Errorf("no translation for Query.%s", f.Name)
	}
}

// withArgs binds translate to the typed arguments of f, decoded once.
func withArgs[A any](t testing.TB, f cypher.Field, translate func(cypher.Request, A) (cypher.Statement, error)) func(cypher.Request) (cypher.Statement, error) {
	args := translatetest.Args[A](t, f)
	return func(req cypher.Request) (cypher.Statement, error) { return translate(req, args) }
}

// goldenExamples are example operations of docs/queries whose statements have golden
// files too, read from where clients read them rather than from a copy that could drift.
var goldenExamples = map[string]string{
	"../docs/queries/moviePage.graphql": "testdata/movie_page_example.cypher",
}

// TestGolden translates each testdata/*.graphql and each of goldenExamples and compares the
// statement and its parameters with its golden file (testdata/*.cypher); run with -update
// to accept a change.
func TestGolden(t *testing.T) {
	schema := loadSchema(t)
	queries, _ := filepath.Glob("testdata/*.graphql")
	if len(queries) == 0 {
		t.Fatal("no golden queries")
	}
	golden := map[string]string{}
	for _, path := range queries {
		golden[path] = strings.TrimSuffix(path, ".graphql") + ".cypher"
	}
	maps.Copy(golden, goldenExamples)
	for path, goldenPath := range golden {
		t.Run(strings.TrimSuffix(filepath.Base(goldenPath), ".cypher"), func(t *testing.T) {
			query, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			stmt, err := translate(t, schema, string(query))
			if err != nil {
				t.Fatal(err)
			}
			compareGolden(t, goldenPath, stmt)
		})
	}
}

// TestGoldenPicksFor covers the statement of the offline evaluation's picks, which no
// GraphQL selection builds.
func TestGoldenPicksFor(t *testing.T) {
	compareGolden(t, "testdata/picks_for.cypher", cypher.PicksFor(1, cypher.Hybrid, cypher.PicksBlend, 6))
	compareGolden(t, "testdata/picks_for_popular.cypher", cypher.PicksFor(1, cypher.Popular, cypher.Blend{}, 6))
}

// compareGolden compares stmt with the golden file at goldenPath (rewritten with -update).
func compareGolden(t *testing.T, goldenPath string, stmt cypher.Statement) {
	t.Helper()
	params, _ := json.MarshalIndent(stmt.Params, "", "  ")
	got := format(stmt.Text) + "\n\n// params\n" + string(params) + "\n"
	if *update {
		if err := os.WriteFile(goldenPath, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(goldenPath)
	if err != nil {
		t.Fatalf("%v (run go test ./cypher -update)", err)
	}
	if got != string(want) {
		t.Errorf("statement changed; run go test ./cypher -update and review the diff\n got:\n%s\nwant:\n%s", got, want)
	}
}

// format breaks a statement before each subquery, so golden diffs stay readable.
func format(text string) string {
	return strings.ReplaceAll(text, "COLLECT {", "\n  COLLECT {")
}

func TestUserTextNeverReachesTheStatement(t *testing.T) {
	schema := loadSchema(t)
	hostile := `x'}) DETACH DELETE n //`
	stmt, err := translate(t, schema, `{ genre(name: "`+hostile+`") { name } }`)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(stmt.Text, "DETACH") || stmt.Params["p0"] != hostile {
		t.Errorf("user text is not a parameter: %s %v", stmt.Text, stmt.Params)
	}
}

func TestArgumentErrors(t *testing.T) {
	schema := loadSchema(t)
	cases := map[string]string{
		`{ movies(first: 0) { totalCount } }`:                                                         "between 1 and 100",
		`{ movies(first: 101) { totalCount } }`:                                                       "between 1 and 100",
		`{ movies(after: "bm9wZQ") { totalCount } }`:                                                  "not a valid cursor",
		`{ genre(name: "Drama") { movies(first: -1) { totalCount } } }`:                               "between 1 and 100",
		`{ movies(filter: {yearFrom: 2001, yearTo: 2000}) { totalCount } }`:                           "must not be after",
		`{ movies(filter: {minAverageRating: 11}) { totalCount } }`:                                   "between 0 and 10",
		`{ movies(filter: {minRatingCount: -1}) { totalCount } }`:                                     "0 or more",
		`{ movies(filter: {titleContains: ""}) { totalCount } }`:                                      "1 to 200 characters",
		`{ pathBetween(from: "UGVyc29uOjE", to: "UGVyc29uOjI", maxHops: 7) { length } }`:              "between 1 and 6",
		`{ pathBetween(from: "UGVyc29uOjE", to: "UGVyc29uOjE") { length } }`:                          "two different people",
		`{ movies(where: {title: {contains: ""}}) { totalCount } }`:                                   "1 to 200 characters",
		`{ movies(where: {credit: {person: "bm9wZQ"}}) { totalCount } }`:                              "not a valid id",
		`{ movies(where: {inList: "UGVyc29uOjE"}) { totalCount } }`:                                   "id of a UserList",
		`{ movies(where: {NOT: {NOT: {NOT: {NOT: {NOT: {NOT: {year: {eq: 1}}}}}}}}) { totalCount } }`: "more than 5 levels",
		`{ movies(orderBy: [{field: YEAR}, {field: YEAR}]) { totalCount } }`:                          "names YEAR twice",
		`{ people(where: {genre: ""}) { totalCount } }`:                                               "1 to 200 characters",
		`{ movie(id: "TW92aWU6MQ") { reviews(where: {addedAt: {gt: "yesterday"}}) { totalCount } } }`: "RFC 3339",
		`{ search(text: "  ") { totalCount } }`:                                                       "must hold a word",
		`{ search(text: "x", first: 101) { totalCount } }`:                                            "between 1 and 100",
		`{ search(text: "x", types: []) { totalCount } }`:                                             "must name MOVIE, PERSON or both",
	}
	for query, want := range cases {
		_, err := translate(t, schema, query)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: got %v, want an error mentioning %q", query, err, want)
		}
	}
}

func TestLuceneQuery(t *testing.T) {
	cases := map[string]string{
		"romanik":       "+(romanik^2 romanik* romanik~1)",
		"Never Let":     "+(never^2 never* never~1) +(let^2 let*)",
		"C++ (1999)":    `+(c\+\+^2 c\+\+*) +(\(1999\)^2 \(1999\)* \(1999\)~1)`,
		`a:b "quoted"`:  `+(a\:b^2 a\:b*) +(\"quoted\"^2 \"quoted\"* \"quoted\"~2)`,
		"spielberg-ish": "+(spielberg^2 spielberg* spielberg~2) +(ish^2 ish*)",
	}
	for text, want := range cases {
		got, err := cypher.LuceneQuery(text)
		if err != nil || got != want {
			t.Errorf("LuceneQuery(%q) = %q, %v; want %q", text, got, err, want)
		}
	}
}
