package server

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"filmgraph/graph"
	"filmgraph/relay"
)

// TestPureDataPathAnswersAsGqlgen is the differential test of graph's pure-data path
// (graph/puredata.go): every example operation, every document of the translation goldens
// and a set of hostile shapes are posted to the real server with the path on and off, as
// a visitor and as a member, and the response bodies must be the same bytes (request ids
// aside). The example pages must be written, at least in part, by the path.
func TestPureDataPathAnswersAsGqlgen(t *testing.T) {
	type document struct {
		name, query string
		variables   map[string]any
		multipart   bool // posted with Accept: multipart/mixed (@defer)
	}
	var docs []document
	for _, pattern := range []string{"../docs/queries/*.graphql", "../cypher/testdata/*.graphql"} {
		files, _ := filepath.Glob(pattern)
		if len(files) < 5 {
			t.Fatalf("%s: %d documents", pattern, len(files))
		}
		for _, file := range files {
			query, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			docs = append(docs, document{name: filepath.Base(filepath.Dir(file)) + "/" + filepath.Base(file), query: string(query)})
		}
	}
	film := movieID(referenceMovieLensID)
	// A film without a title, which no translation's projection can give a value for.
	const untitled = -17017
	cypherRows(t, `CREATE (:Movie {movieId: $id, year: 2026})`, map[string]any{"id": untitled})
	t.Cleanup(func() {
		cypherRows(t, `MATCH (m:Movie {movieId: $id}) DETACH DELETE m`, map[string]any{"id": untitled})
	})
	person := relay.ID("Person", "2363")
	docs = append(docs,
		document{name: "one field twice under aliases with different arguments", query: `query($id: ID!) { movie(id: $id) {
  a: cast(first: 2) { order person { name } } b: cast(first: 5) { order person { id } } title t: title
  one: tags(first: 1) { name } three: tags(first: 3) { name count } } }`, variables: map[string]any{"id": film}},
		document{name: "fragments on interfaces", query: `query($id: ID!, $p: ID!) {
  node(id: $id) { __typename id ... on Movie { title genres { __typename name } ...credits } }
  nodes(ids: [$id, $p]) { __typename ... on Person { name directed(first: 2) { edges { node { title } } } } ...credits }
  search(text: "romanek", first: 5) { edges { node { __typename ... on Movie { title year } ... on Person { id name } } } }
}
fragment credits on Movie { directors { ... on Node { id } ... on Person { name } } }`, variables: map[string]any{"id": film, "p": person}},
		document{name: "the reasons' via through fragments", query: `query($id: ID!, $skip: Boolean!) {
  movie(id: $id) { recommended(first: 6) { edges { node { movie { title } reasons { kind
    via { __typename ... on Node { id } ...via ... on RecommendationVia { t: __typename } }
    only: via { __typename }
    skipped: via { ... on Movie { title year @skip(if: $skip) } ... @skip(if: $skip) { __typename } } } } } } }
  search(text: "romanek", first: 5) { edges { node { ... on Node { id } ...via } } } }
fragment via on RecommendationVia { ... on Movie { title } ... on Person { name } ... on Genre { name } ... on Tag { name } }`,
			variables: map[string]any{"id": film, "skip": true}},
		document{name: "@skip and @include with variables", query: `query($id: ID!, $no: Boolean!, $yes: Boolean!) { movie(id: $id) {
  title @skip(if: $no) year @include(if: $no) genres @include(if: $yes) { name @skip(if: $yes) id }
  ... on Movie @skip(if: $yes) { plot } ratingSummary { count average @include(if: $yes) } } }`,
			variables: map[string]any{"id": film, "no": true, "yes": true}},
		document{name: "@skip and @include, the other way", query: `query($id: ID!, $no: Boolean!, $yes: Boolean!) { movie(id: $id) {
  title @skip(if: $no) year @include(if: $no) genres @include(if: $yes) { name @skip(if: $yes) id } } }`,
			variables: map[string]any{"id": film, "no": false, "yes": false}},
		document{name: "@defer", multipart: true, query: `query($id: ID!) { movie(id: $id) { id title
  ... @defer(label: "more") { genres { name } cast(first: 3) { person { name } }
    recommended(first: 3) { edges { node { movie { title } } } } } } }`,
			variables: map[string]any{"id": film}},
		document{name: "a projection without a non-null value", query: `query($id: ID!, $other: ID!) {
  movie(id: $id) { id title year genres { name } }
  other: movie(id: $other) { title } }`, variables: map[string]any{"id": movieID(untitled), "other": film}},
	)

	// Random valid queries (see TestRandomValidQueries): random fields of every type,
	// aliases, arguments valid or not.
	seed := uint64(rand.Int64())
	if s := os.Getenv("FILMGRAPH_GENERATOR_SEED"); s != "" {
		seed, _ = strconv.ParseUint(s, 10, 64)
	}
	t.Logf("FILMGRAPH_GENERATOR_SEED=%d", seed)
	g := &queryGenerator{schema: graph.NewExecutableSchema(graph.Config{}).Schema(), rnd: rand.New(rand.NewPCG(seed, 2))}
	for i := range 30 {
		g.maxDepth = 2 + g.rnd.IntN(testConfig.graphql.MaxDepth-1)
		docs = append(docs, document{name: fmt.Sprintf("generated query %d", i), query: g.query()})
	}

	member := signUp(t, "puredata")
	pages := map[string]bool{"queries/moviePage.graphql": true, "queries/personPage.graphql": true, "queries/browseByGenre.graphql": true,
		"queries/recommendedMovies.graphql": true, "testdata/genres_page.graphql": true, "testdata/genres_ids.graphql": true}
	for _, doc := range docs {
		for _, token := range []string{"", member.Token} {
			var pure, gqlgen string
			var written int64
			// Another part of the server (the recommendations' refresher) may change the
			// data between the two requests, and a loaded machine may time one out: up to
			// three tries.
			for range 3 {
				before := graph.PureDataWrites()
				pure = postRaw(t, token, doc.query, doc.variables, doc.multipart)
				written = graph.PureDataWrites() - before
				graph.SetPureData(false)
				gqlgen = postRaw(t, token, doc.query, doc.variables, doc.multipart)
				graph.SetPureData(true)
				if sameResponse(pure, gqlgen) && !strings.Contains(pure, `"TIMEOUT"`) {
					break
				}
			}
			if !sameResponse(pure, gqlgen) {
				t.Errorf("%s (member: %v):\npure data %s\ngqlgen    %s", doc.name, token != "", pure, gqlgen)
			}
			if pages[doc.name] && (written == 0 || strings.Contains(pure, `"errors"`)) {
				t.Errorf("%s: %d objects written by the pure-data path: %.300s", doc.name, written, pure)
			}
			if doc.name == "a projection without a non-null value" && !strings.Contains(pure, `"path":["movie","title"]`) {
				t.Errorf("the untitled film answered no error at its title: %s", pure)
			}
		}
	}
}

// sameResponse says whether two responses of postRaw are the same: the same status and
// the same members byte for byte, except that the errors may come in another order (the
// root fields of a query run at once, so errors of two of them are listed as they occur).
func sameResponse(a, b string) bool {
	if a == b {
		return true
	}
	statusA, bodyA, _ := strings.Cut(a, " {")
	statusB, bodyB, _ := strings.Cut(b, " {")
	var membersA, membersB map[string]json.RawMessage
	if statusA != statusB || json.Unmarshal([]byte("{"+bodyA), &membersA) != nil || json.Unmarshal([]byte("{"+bodyB), &membersB) != nil ||
		len(membersA) != len(membersB) {
		return false
	}
	for name, valueA := range membersA {
		valueB, ok := membersB[name]
		if name == "errors" {
			valueA, valueB = sortedErrors(valueA), sortedErrors(valueB)
		}
		if !ok || string(valueA) != string(valueB) {
			return false
		}
	}
	return true
}

// sortedErrors returns a response's error list with its errors in byte order.
func sortedErrors(list json.RawMessage) json.RawMessage {
	var errs []json.RawMessage
	if json.Unmarshal(list, &errs) != nil {
		return list
	}
	slices.SortFunc(errs, func(x, y json.RawMessage) int { return strings.Compare(string(x), string(y)) })
	out, _ := json.Marshal(errs)
	return out
}

// requestIDs are the request ids in error extensions, which differ between two requests.
var requestIDs = regexp.MustCompile(`"requestId":"[^"]*"`)

// postRaw posts an operation and returns the response's status and body as they came,
// request ids masked.
func postRaw(t *testing.T, token, query string, variables map[string]any, multipart bool) string {
	t.Helper()
	body, _ := json.Marshal(map[string]any{"query": query, "variables": variables})
	req, _ := http.NewRequest(http.MethodPost, testServer.URL+"/graphql", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if multipart {
		req.Header.Set("Accept", "multipart/mixed;deferSpec=20220824, application/json")
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.Status + " " + requestIDs.ReplaceAllString(string(raw), `"requestId":"…"`)
}
