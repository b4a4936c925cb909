package server

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"filmgraph/internal/apitest"
	"filmgraph/internal/neo4jtest"
	"filmgraph/internal/programtest"
	"filmgraph/observe"
	"filmgraph/relay"
	"filmgraph/seed"
	"filmgraph/store"
)

// The tests in this file run the real HTTP handler against a real Neo4j loaded with the
// bundled seed. Expected values come from the reference page or from plain Cypher queries.

var (
	testServer *httptest.Server
	testStore  *store.Store
	testConfig config // the defaults, as loadConfig reads them, but for the log-in and sign-up limits
)

// preparedDatabase names the environment variable that holds the URI of the database
// TestMain has prepared, for the fuzz workers this binary starts.
const preparedDatabase = "FILMGRAPH_TEST_PREPARED_NEO4J"

// prepareDatabase loads the seed if missing, gives the members their keys as the server's
// start does, and computes the similarity edges the tests read.
func prepareDatabase(ctx context.Context, d neo4j.DriverWithContext) error {
	if seeded, err := seed.Seeded(ctx, d, neo4jtest.Database()); err != nil || !seeded {
		if _, err := seed.Load(ctx, d, neo4jtest.Database(), nil); err != nil {
			return err
		}
	}
	if err := seed.EnsureSchema(ctx, d, neo4jtest.Database()); err != nil { // as the server's start does
		return err
	}
	if _, err := seed.EnsureAccountKeys(ctx, d, neo4jtest.Database()); err != nil {
		return err
	}
	return setupRecommendations(ctx, d)
}

func TestMain(m *testing.M) {
	status := neo4jtest.Run(m, func(ctx context.Context, d neo4j.DriverWithContext) error {
		// Fuzzing runs this binary again as worker processes, which inherit the
		// environment: pointing them at this Neo4j spares each its own start and seed load.
		os.Setenv("NEO4J_URI", neo4jtest.URI())
		os.Setenv("NEO4J_USERNAME", neo4jtest.Username())
		os.Setenv("NEO4J_PASSWORD", neo4jtest.Password())
		// A worker finds the database prepared by the process that started it, and must not
		// prepare it again: workers refreshing the same films at once conflict, and a worker
		// whose setup fails dies before it fuzzes.
		if os.Getenv(preparedDatabase) != neo4jtest.URI() {
			if err := prepareDatabase(ctx, d); err != nil {
				return err
			}
			os.Setenv(preparedDatabase, neo4jtest.URI())
		}
		var err error
		testStore, err = store.Open(ctx, store.Config{
			URI: neo4jtest.URI(), Username: neo4jtest.Username(), Password: neo4jtest.Password(), Database: neo4jtest.Database(),
		}, 10*time.Second)
		if err != nil {
			return err
		}
		// The shared server's log-in limits leave room for every test's attempts, whatever
		// their order: the limits are tested on servers of their own (ratelimit_test.go).
		os.Setenv("FILMGRAPH_LOGIN_PER_MINUTE_PER_ADDRESS", "1000")
		os.Setenv("FILMGRAPH_LOGIN_PER_MINUTE_PER_ACCOUNT", "1000")
		testConfig, err = loadConfig()
		if err != nil {
			return err
		}
		// The suite signs up hundreds of members, all from 127.0.0.1; the sign-up limit is
		// tested on servers of its own (hostile_accounts_test.go).
		testConfig.signUp.Burst = 1 << 20
		// Errors the server logs (warnings and worse) show in the test output.
		testLog := observe.NewLogger(os.Stderr, false, slog.LevelWarn)
		testServer = httptest.NewServer((&server{log: testLog, db: testStore, cfg: testConfig, issuer: testIssuer}).routes())
		return nil
	})
	programtest.RemoveBinary()
	os.Exit(status)
}

// gqlResponse is a GraphQL response with its data left raw for each test to decode.
type gqlResponse struct{ apitest.Response }

func (r gqlResponse) codes() []string { return r.Codes() }

// post sends a GraphQL request over HTTP and returns the status, the decoded response and
// how many statements the store ran for it.
func post(t *testing.T, query string, variables map[string]any) (int, gqlResponse, int64) {
	t.Helper()
	return postAs(t, "", query, variables)
}

// mustQuery posts a query that must succeed and decodes its data into out.
func mustQuery(t *testing.T, query string, variables map[string]any, out any) int64 {
	t.Helper()
	status, resp, trips := post(t, query, variables)
	if status != http.StatusOK || len(resp.Errors) > 0 {
		t.Fatalf("status %d, errors %+v", status, resp.Errors)
	}
	if err := json.Unmarshal(resp.Data, out); err != nil {
		t.Fatal(err)
	}
	return trips
}

// cypherRows runs an independent Cypher query and returns its rows.
func cypherRows(t *testing.T, query string, params map[string]any) []map[string]any {
	t.Helper()
	result, err := neo4j.ExecuteQuery(context.Background(), neo4jtest.Driver(t), query, params,
		neo4j.EagerResultTransformer, neo4j.ExecuteQueryWithDatabase(neo4jtest.Database()))
	if err != nil {
		t.Fatal(err)
	}
	rows := make([]map[string]any, len(result.Records))
	for i, rec := range result.Records {
		rows[i] = rec.AsMap()
	}
	return rows
}

const referenceMovieLensID = 80969 // "Never Let Me Go" (2010), the film of the reference page

func TestReferenceMovieMatchesThePage(t *testing.T) {
	var data struct {
		Movie struct {
			ID          string
			MovieLensID int
			Title       string
			Year        int
			Cover       struct{ URL, Caption string }
			Synopsis    *string
			Genres      []struct{ Name string }
			Directors   []struct{ Name string }
			Cast        []struct {
				Order  int
				Person struct{ Name string }
			}
			RatingSummary struct {
				Average *float64
				Count   int
			}
		}
	}
	id := relay.ID("Movie", "80969")
	mustQuery(t, `query($id: ID!) { movie(id: $id) {
		id movieLensId title year cover { url caption } synopsis
		genres { name } directors { name } cast { order person { name } }
		ratingSummary { average count } } }`, map[string]any{"id": id}, &data)
	m := data.Movie

	// Expected values as the page shows them (../shared/reference/movie-page.txt).
	if m.ID != id || m.MovieLensID != referenceMovieLensID || m.Title != "Never Let Me Go" || m.Year != 2010 {
		t.Errorf("identity: got %q %d %q %d", m.ID, m.MovieLensID, m.Title, m.Year)
	}
	if m.Cover.Caption != "DVD Cover (Fox Searchlight)" || !strings.HasPrefix(m.Cover.URL, "https://") {
		t.Errorf("cover: got %+v", m.Cover)
	}
	if m.Synopsis != nil {
		t.Errorf("synopsis: the page has none yet, got %q", *m.Synopsis)
	}
	var genres, directors, cast []string
	for _, g := range m.Genres {
		genres = append(genres, g.Name)
	}
	for _, d := range m.Directors {
		directors = append(directors, d.Name)
	}
	for i, c := range m.Cast {
		if c.Order != i {
			t.Errorf("cast[%d] has billing order %d", i, c.Order)
		}
		cast = append(cast, c.Person.Name)
	}
	assertEqual(t, "genres", genres, []string{"Escape Film", "Psychological Sci-Fi", "Science Fiction"})
	assertEqual(t, "directors", directors, []string{"Mark Romanek"})
	if len(cast) < 5 {
		t.Fatalf("cast: got %v", cast)
	}
	assertEqual(t, "top-billed cast", cast[:5], []string{"Carey Mulligan", "Andrew Garfield", "Izzy Meikle-Small", "Charlie Rowe", "Ella Purnell"})

	// The rating summary is recomputed from the RATED edges.
	want := cypherRows(t, `MATCH (:User)-[r:RATED]->(:Movie {movieId: $id}) RETURN avg(toFloat(r.score)) AS average, count(r) AS count`,
		map[string]any{"id": referenceMovieLensID})[0]
	if int64(m.RatingSummary.Count) != want["count"].(int64) || m.RatingSummary.Count == 0 {
		t.Errorf("rating count: got %d, want %v", m.RatingSummary.Count, want["count"])
	}
	if m.RatingSummary.Average == nil || abs(*m.RatingSummary.Average-want["average"].(float64)) > 0.05 {
		t.Errorf("rating average: got %v, want %v rounded to one decimal", m.RatingSummary.Average, want["average"])
	}
}

func TestNestedMovieQueryIsOneRoundTrip(t *testing.T) {
	var data struct {
		Movie struct {
			Genres    []struct{ Name string }
			Directors []struct{ Name string }
			Cast      []struct {
				Person struct {
					ID      string
					Name    string
					ActedIn struct {
						TotalCount int
						Edges      []struct {
							Node struct {
								Title     string
								Directors []struct{ Name string }
							}
						}
					}
				}
			}
		}
	}
	trips := mustQuery(t, `query($id: ID!) { movie(id: $id) {
		genres { name } directors { name }
		cast { person { id name actedIn(first: 100) { totalCount edges { node { title directors { name } } } } } } } }`,
		map[string]any{"id": relay.ID("Movie", "80969")}, &data)
	if trips != 1 {
		t.Errorf("round trips: got %d, want 1", trips)
	}
	if len(data.Movie.Cast) == 0 {
		t.Fatal("no cast")
	}
	// Every cast member's credits, checked against an independent traversal.
	for _, c := range data.Movie.Cast {
		rows := cypherRows(t, `MATCH (:Person {name: $name})-[:ACTED_IN]->(m:Movie) RETURN m.title AS title`, map[string]any{"name": c.Person.Name})
		if c.Person.ActedIn.TotalCount != len(rows) || len(c.Person.ActedIn.Edges) != min(len(rows), 100) {
			t.Errorf("%s: totalCount %d, %d edges; the graph has %d credits", c.Person.Name, c.Person.ActedIn.TotalCount, len(c.Person.ActedIn.Edges), len(rows))
		}
		found := false
		for _, e := range c.Person.ActedIn.Edges {
			found = found || e.Node.Title == "Never Let Me Go"
		}
		if !found {
			t.Errorf("%s: credits do not include Never Let Me Go", c.Person.Name)
		}
	}
}

func TestAliasesWithDifferentArguments(t *testing.T) {
	var data struct {
		Movie struct {
			Top2  []struct{ Person struct{ Name string } }
			All   []struct{ Person struct{ Name string } }
			Named string
		}
	}
	mustQuery(t, `{ movie(id: "`+relay.ID("Movie", "80969")+`") { named: title top2: cast(first: 2) { person { name } } all: cast { person { name } } } }`, nil, &data)
	if data.Movie.Named != "Never Let Me Go" || len(data.Movie.Top2) != 2 || len(data.Movie.All) <= 2 {
		t.Errorf("got %+v", data.Movie)
	}
	if data.Movie.Top2[0].Person.Name != data.Movie.All[0].Person.Name {
		t.Errorf("aliased lists disagree on top billing: %+v", data.Movie)
	}
}

func TestUnknownIDsAreNull(t *testing.T) {
	var data map[string]any
	mustQuery(t, `query($m: ID!, $p: ID!) { movie(id: $m) { title } person(id: $p) { name } node(id: $m) { id } genre(name: "No Such Genre") { name } }`,
		map[string]any{"m": relay.ID("Movie", "999999999"), "p": relay.ID("Person", "999999999")}, &data)
	for _, field := range []string{"movie", "person", "node", "genre"} {
		if v, ok := data[field]; !ok || v != nil {
			t.Errorf("%s: got %v, want null", field, v)
		}
	}
}

// Clients that build ids themselves (btoa, graphql-relay-js's toGlobalId) send padded
// standard base64; the API answers with its own form, so caches key the film the same way.
func TestPaddedIDsFindTheFilm(t *testing.T) {
	for id, movieLensID := range map[string]int64{"TW92aWU6ODA5Njk=": 80969, "TW92aWU6MjU3MQ==": 2571, "TW92aWU6MQ==": 1} {
		var data struct {
			Movie *struct{ ID, Title string } `json:"movie"`
			Node  *struct{ ID string }        `json:"node"`
		}
		mustQuery(t, `query($id: ID!) { movie(id: $id) { id title } node(id: $id) { id } }`, map[string]any{"id": id}, &data)
		want := cypherRows(t, `MATCH (m:Movie {movieId: $n}) RETURN m.title AS title`, map[string]any{"n": movieLensID})[0]["title"]
		canonical := strings.TrimRight(id, "=")
		if data.Movie == nil || data.Movie.Title != want || data.Movie.ID != canonical || data.Node == nil || data.Node.ID != canonical {
			t.Errorf("%s: got %+v, %+v; want %q with id %s", id, data.Movie, data.Node, want, canonical)
		}
	}
}

func TestNodeResolvesEveryEntityType(t *testing.T) {
	var data struct {
		Movie struct {
			ID        string
			Directors []struct{ ID, Name string }
			Genres    []struct{ ID, Name string }
		}
	}
	mustQuery(t, `{ movie(id: "`+relay.ID("Movie", "80969")+`") { id directors { id name } genres { id name } } }`, nil, &data)
	var nodes struct {
		M struct{ Title string }
		P struct{ Name string }
		G struct{ Name string }
	}
	mustQuery(t, `query($m: ID!, $p: ID!, $g: ID!) {
		m: node(id: $m) { ... on Movie { title } }
		p: node(id: $p) { ... on Person { name } }
		g: node(id: $g) { ... on Genre { name } } }`,
		map[string]any{"m": data.Movie.ID, "p": data.Movie.Directors[0].ID, "g": data.Movie.Genres[0].ID}, &nodes)
	if nodes.M.Title != "Never Let Me Go" || nodes.P.Name != "Mark Romanek" || nodes.G.Name != data.Movie.Genres[0].Name {
		t.Errorf("got %+v", nodes)
	}
}

func TestBadInputIsCoded(t *testing.T) {
	movie := relay.ID("Movie", "80969")
	cases := []struct {
		name, query string
		vars        map[string]any
		mention     string
	}{
		{"malformed id", `{ movie(id: "not an id") { title } }`, nil, "not a valid id"},
		{"id of another type", `query($id: ID!) { movie(id: $id) { title } }`, map[string]any{"id": relay.ID("Person", "1")}, "not the id of a Movie"},
		{"first above 100", `{ movies(first: 101) { totalCount } }`, nil, "between 1 and 100"},
		{"first zero", `{ movies(first: 0) { totalCount } }`, nil, "between 1 and 100"},
		{"negative first in a variable", `query($n: Int) { movies(first: $n) { totalCount } }`, map[string]any{"n": -5}, "between 1 and 100"},
		{"nested first out of range", `query($id: ID!) { movie(id: $id) { cast(first: 1000) { order } } }`, map[string]any{"id": movie}, "between 1 and 100"},
		{"cursor that does not decode", `{ movies(after: "garbage!") { totalCount } }`, nil, "not a valid cursor"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			status, resp, _ := post(t, tc.query, tc.vars)
			if status != http.StatusOK {
				t.Errorf("status %d", status)
			}
			if len(resp.Errors) != 1 || resp.codes()[0] != "BAD_USER_INPUT" || !strings.Contains(resp.Errors[0].Message, tc.mention) {
				t.Fatalf("got errors %+v, want one BAD_USER_INPUT mentioning %q", resp.Errors, tc.mention)
			}
		})
	}
}

// Cursors are opaque, but a client can forge one: every offset that this API never hands
// out (past the maximum, overflowing, negative, not a number, not canonical) is refused as
// BAD_USER_INPUT on every kind of connection, never run as a Cypher SKIP.
func TestForgedCursorsAreBadInput(t *testing.T) {
	forge := func(raw string) string { return base64.RawURLEncoding.EncodeToString([]byte(raw)) }
	movie, person := relay.ID("Movie", "80969"), relay.ID("Person", "1")
	connections := map[string]string{
		"movies":         `query($after: String) { movies(after: $after) { edges { cursor } } }`,
		"people":         `query($after: String) { people(after: $after) { edges { cursor } } }`,
		"genres":         `query($after: String) { genres(after: $after) { edges { cursor } } }`,
		"genre movies":   `query($after: String) { genre(name: "Drama") { movies(after: $after) { edges { cursor } } } }`,
		"film reviews":   `query($after: String) { movie(id: "` + movie + `") { reviews(after: $after) { edges { cursor } } } }`,
		"recommended":    `query($after: String) { movie(id: "` + movie + `") { recommended(after: $after) { edges { cursor } } } }`,
		"acting credits": `query($after: String) { node(id: "` + person + `") { ... on Person { actedIn(after: $after) { edges { cursor } } } } }`,
	}
	forged := map[string]string{
		"max int64":        forge("offset:9223372036854775807"),
		"beyond int64":     forge("offset:99999999999999999999"),
		"past the maximum": forge("offset:1000001"),
		"negative":         forge("offset:-1"),
		"not a number":     forge("offset:abc"),
		"signed":           forge("offset:+5"),
		"empty offset":     forge("offset:"),
		"keys, not JSON":   forge("keys:{"),
		"keys of no order": forge(`keys:{"o":"zzz","k":["i:1"]}`),
		"an untyped key":   forge(`keys:{"o":"zzz","k":["1"]}`),
		"keys and junk":    forge(`keys:{"o":"zzz","k":[]}junk`),
	}
	for conn, query := range connections {
		for name, cursor := range forged {
			t.Run(conn+"/"+name, func(t *testing.T) {
				status, resp, _ := post(t, query, map[string]any{"after": cursor})
				if status != http.StatusOK || len(resp.Errors) != 1 || resp.codes()[0] != "BAD_USER_INPUT" ||
					!strings.Contains(resp.Errors[0].Message, "not a valid cursor") {
					t.Fatalf("status %d, errors %+v, want one BAD_USER_INPUT about the cursor", status, resp.Errors)
				}
			})
		}
		// On the ranked list (read by position) the largest accepted offset is a page past
		// the end: empty, not an error. Keyset lists refuse every position cursor, as
		// cursors of an earlier version.
		t.Run(conn+"/at the maximum", func(t *testing.T) {
			status, resp, _ := post(t, query, map[string]any{"after": forge("offset:1000000")})
			if conn != "recommended" {
				if len(resp.Errors) != 1 || resp.codes()[0] != "BAD_USER_INPUT" || !strings.Contains(resp.Errors[0].Message, "earlier version") {
					t.Fatalf("status %d, errors %+v: want BAD_USER_INPUT about an earlier version's cursor", status, resp.Errors)
				}
				return
			}
			if status != http.StatusOK || len(resp.Errors) != 0 || strings.Contains(string(resp.Data), "cursor\":") {
				t.Fatalf("status %d, errors %+v, data %s: want an empty page", status, resp.Errors, resp.Data)
			}
		})
	}
}

// TestMalformedRequestsAreCoded checks the statuses of the GraphQL-over-HTTP spec: a
// request that is not a GraphQL request is 400; a document that does not parse or validate,
// or variables that do not coerce, are 200 with application/json and 400 with
// application/graphql-response+json. None of them has a data entry: nothing ran.
func TestMalformedRequestsAreCoded(t *testing.T) {
	cases := []struct {
		name, accept, body string
		status             int
		code               string
	}{
		{"syntax error", "application/json", `{"query": "{ movie(id: "}`, 200, "GRAPHQL_PARSE_FAILED"},
		{"unknown field", "application/json", `{"query": "{ film { title } }"}`, 200, "GRAPHQL_VALIDATION_FAILED"},
		{"variable of the wrong type", "application/json", `{"query": "query($n: Int) { movies(first: $n) { totalCount } }", "variables": {"n": "ten"}}`, 200, "GRAPHQL_VALIDATION_FAILED"},
		{"syntax error, graphql-response+json", graphqlResponseJSON, `{"query": "{ movie(id: "}`, 400, "GRAPHQL_PARSE_FAILED"},
		{"unknown field, graphql-response+json", graphqlResponseJSON, `{"query": "{ film { title } }"}`, 400, "GRAPHQL_VALIDATION_FAILED"},
		{"not JSON", "application/json", `this is not json`, 400, "BAD_REQUEST"},
		{"empty body", "application/json", ``, 400, "BAD_REQUEST"},
		{"query misspelt", "application/json", `{"qeury": "{ __typename }"}`, 400, "BAD_REQUEST"},
		{"query misspelt, no Accept", "", `{"qeury": "{ __typename }"}`, 400, "BAD_REQUEST"},
		{"query missing, graphql-response+json", graphqlResponseJSON, `{"variables": {}}`, 400, "BAD_REQUEST"},
		{"query is an object", "application/json", `{"query": {"obj": "ect"}}`, 400, "BAD_REQUEST"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			status, out, _ := request(t, testServer.URL, tc.accept, []byte(tc.body))
			if status != tc.status || len(out.Errors) == 0 || out.codes()[0] != tc.code {
				t.Errorf("status %d, errors %+v; want %d with %s", status, out.Errors, tc.status, tc.code)
			}
			if out.Data != nil {
				t.Errorf("the response has a data entry (%s); nothing was executed", out.Data)
			}
		})
	}
}

func TestMoviesPaginationVisitsEveryFilmInOrder(t *testing.T) {
	// Walk the films of one genre page by page and compare with an independent query.
	want := cypherRows(t, `MATCH (m:Movie)-[:IN_GENRE]->(:Genre {name: 'Film-Noir'}) RETURN m.title AS title ORDER BY m.title, m.movieId`, nil)
	if len(want) < 30 {
		t.Fatalf("seed has only %d Film-Noir films", len(want))
	}
	const pageSize = 50 // Film-Noir holds the Wikipedia lists' noirs too: over a thousand films
	var got []string
	var after *string
	for page := 0; page <= len(want)/pageSize; page++ {
		var data struct {
			Genre struct {
				MovieCount int
				Movies     struct {
					TotalCount int
					PageInfo   struct {
						HasNextPage bool
						EndCursor   *string
					}
					Edges []struct {
						Cursor string
						Node   struct{ Title string }
					}
				}
			}
		}
		trips := mustQuery(t, `query($after: String, $first: Int) { genre(name: "Film-Noir") { movieCount movies(first: $first, after: $after) {
			totalCount pageInfo { hasNextPage endCursor } edges { cursor node { title } } } } }`, map[string]any{"after": after, "first": pageSize}, &data)
		if trips != 1 {
			t.Errorf("page %d: %d round trips", page, trips)
		}
		if data.Genre.Movies.TotalCount != len(want) || data.Genre.MovieCount != len(want) {
			t.Fatalf("totalCount %d, movieCount %d, want %d", data.Genre.Movies.TotalCount, data.Genre.MovieCount, len(want))
		}
		for _, e := range data.Genre.Movies.Edges {
			got = append(got, e.Node.Title)
		}
		if !data.Genre.Movies.PageInfo.HasNextPage {
			break
		}
		after = data.Genre.Movies.PageInfo.EndCursor
	}
	var wantTitles []string
	for _, r := range want {
		wantTitles = append(wantTitles, r["title"].(string))
	}
	assertEqual(t, "titles", got, wantTitles)
}

func TestUnreachableDatabaseStopsTheServer(t *testing.T) {
	bin := programtest.Binary(t)
	cmd := exec.Command(bin)
	cmd.Env = append(os.Environ(), "NEO4J_URI=bolt://127.0.0.1:1", "NEO4J_PASSWORD=x", "FILMGRAPH_ADDR=127.0.0.1:0")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	start := time.Now()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if err == nil {
			t.Fatal("exited with status 0")
		}
		if !strings.Contains(stderr.String(), "cannot reach Neo4j at bolt://127.0.0.1:1") {
			t.Errorf("message does not say what is wrong: %q", stderr.String())
		}
		t.Logf("exited after %v: %s", time.Since(start).Round(time.Millisecond), strings.TrimSpace(stderr.String()))
	case <-time.After(60 * time.Second): // a bound for the test, not a timing assertion
		cmd.Process.Kill()
		t.Fatal("still running after 60 s")
	}
}

func assertEqual(t *testing.T, what string, got, want []string) {
	t.Helper()
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("%s:\n got %q\nwant %q", what, got, want)
	}
}

func abs(f float64) float64 {
	if f < 0 {
		return -f
	}
	return f
}
