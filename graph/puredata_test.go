package graph

import (
	"bytes"
	"encoding/json"
	"io"
	"log/slog"
	"math"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler"
	"github.com/99designs/gqlgen/graphql/handler/transport"

	"filmgraph/cypher"
	"filmgraph/graph/model"
)

// testPlans is the plan cache of every servePaths, so that a plan cached for one document,
// operation or value of a variable would answer for another if its key were too loose.
var testPlans = NewPureDataPlanCache(1000, 16<<20)

// servePaths executes query against movie (a projection standing in for a translation's,
// see projected) with the pure-data path on and off, and returns both response bodies and
// how many objects the path wrote. The path answers twice, the second time from cached
// plans, and must answer the same.
func servePaths(t *testing.T, movie model.Record, query string, variables map[string]any) (pure, gqlgen string, written int64) {
	t.Helper()
	srv := handler.New(NewExecutableSchema(Config{Resolvers: projected{&Resolver{}, movie}}))
	srv.AddTransport(transport.POST{})
	srv.SetQueryCache(newDocumentCache())
	srv.Use(pureDataExtension{testPlans})
	srv.SetErrorPresenter(presentError(slog.New(slog.NewTextHandler(io.Discard, nil))))
	body, err := json.Marshal(map[string]any{"query": query, "variables": variables})
	if err != nil {
		t.Fatal(err)
	}
	post := func() string {
		req := httptest.NewRequest(http.MethodPost, "/graphql", strings.NewReader(string(body)))
		req.Header.Set("Content-Type", "application/json")
		rec := httptest.NewRecorder()
		srv.ServeHTTP(rec, req)
		return rec.Body.String()
	}
	before := PureDataWrites()
	pure = post()
	written = PureDataWrites() - before
	if again := post(); again != pure {
		t.Errorf("the path answered differently with cached plans:\nfirst  %s\nagain  %s", pure, again)
	}
	SetPureData(false)
	defer SetPureData(true)
	return pure, post(), written
}

// TestPureDataAnswersAsGqlgen: the pure-data path writes the bytes that gqlgen's field
// execution writes, for right projections (scalars, enums, floats, times, lists, aliases,
// fragments, __typename, @skip and @include) and for projections that lack a non-null
// value or hold one of a wrong type, whose error and null propagation gqlgen reports.
func TestPureDataAnswersAsGqlgen(t *testing.T) {
	person := func(key int64, name any) map[string]any {
		p := map[string]any{cypher.KeyID: key}
		if name != nil {
			p["name"] = name
		}
		return p
	}
	summary := map[string]any{"id": int64(1), "average": 3.5, "count": int64(3), "histogram": []any{int64(0), int64(2), int64(1)}}
	good := func() model.Record {
		return model.Record{
			cypher.KeyID: int64(1), "title": "Toy Story", "other": "Toy Story (1995)", "year": int64(1995),
			"cover":         map[string]any{"id": "1:cover", "url": "https://example.org/t.jpg", "width": int64(200)},
			"genres":        []any{map[string]any{cypher.KeyID: "Animation", "name": "Animation", "movieCount": int64(12)}},
			"directors":     []any{person(7, "John Lasseter")},
			"cast":          []any{map[string]any{"order": int64(0), "person": person(31, "Tom Hanks")}, map[string]any{"order": int64(1), "person": person(32, "Tim Allen")}},
			"top":           []any{map[string]any{"order": int64(0), "person": person(31, "Tom Hanks")}},
			"ratingSummary": summary,
			"tags":          []any{map[string]any{"name": "pixar", "count": int64(5)}},
		}
	}
	const page = `query($skip: Boolean!, $with: Boolean!) {
  movie(id: "TW92aWU6MQ") {
    __typename id title year
    other: title
    cover { id url width height caption }
    genres { __typename id name movieCount }
    directors { id ...named }
    cast(first: 5) { order person { id name } }
    top: cast(first: 1) { order person { name } }
    ratingSummary { id average count histogram skipped: count @skip(if: $skip) }
    ... on Movie { tags(first: 3) { name count @include(if: $with) } }
  }
}
fragment named on Person { name __typename }`
	vars := map[string]any{"skip": true, "with": false}

	pure, gqlgen, written := servePaths(t, good(), page, vars)
	if pure != gqlgen {
		t.Fatalf("a right projection:\npure data %s\ngqlgen    %s", pure, gqlgen)
	}
	if written == 0 || strings.Contains(pure, `"errors"`) {
		t.Fatalf("a right projection took gqlgen's path (%d objects written by the pure-data path): %s", written, pure)
	}
	t.Logf("%d objects written: %s", written, pure)
	if pure, gqlgen, _ = servePaths(t, good(), page, map[string]any{"skip": false, "with": true}); pure != gqlgen {
		t.Errorf("the other variables:\npure data %s\ngqlgen    %s", pure, gqlgen)
	}

	for name, change := range map[string]func(model.Record){
		"no title":                 func(r model.Record) { delete(r, "title") },
		"a title of 0":             func(r model.Record) { r["title"] = int64(0) },
		"an aliased title missing": func(r model.Record) { delete(r, "other") },
		"no count in the summary":  func(r model.Record) { r["ratingSummary"] = map[string]any{"id": int64(1)} },
		"no summary":               func(r model.Record) { delete(r, "ratingSummary") },
		"a cast member without name": func(r model.Record) {
			r["cast"] = []any{map[string]any{"order": int64(0), "person": person(31, "Tom Hanks")}, map[string]any{"order": int64(1), "person": person(32, nil)}}
		},
		"a null cast member": func(r model.Record) { r["cast"] = []any{nil} },
		"a person missing":   func(r model.Record) { r["top"] = []any{map[string]any{"order": int64(0)}} },
		"a genre without count": func(r model.Record) {
			r["genres"] = []any{map[string]any{cypher.KeyID: "Animation", "name": "Animation"}}
		},
		"no cover":            func(r model.Record) { delete(r, "cover") },
		"a cover without url": func(r model.Record) { r["cover"] = map[string]any{"id": "1:cover"} },
		"no lists at all":     func(r model.Record) { delete(r, "genres"); delete(r, "cast"); delete(r, "tags") },
		"an integral average": func(r model.Record) {
			r["ratingSummary"] = map[string]any{"id": int64(1), "average": int64(4), "count": int64(1)}
		},
		"a NaN average": func(r model.Record) {
			r["ratingSummary"] = map[string]any{"id": int64(1), "average": math.NaN(), "count": int64(1)}
		},
		"a huge average": func(r model.Record) {
			r["ratingSummary"] = map[string]any{"id": int64(1), "average": 1e21, "count": int64(1)}
		},
		"a histogram of strings": func(r model.Record) {
			summary := map[string]any{"id": int64(1), "count": int64(1), "histogram": []any{"x"}}
			r["ratingSummary"] = summary
		},
		"a year of the wrong type": func(r model.Record) { r["year"] = "1995" },
	} {
		r := good()
		change(r)
		for _, v := range []map[string]any{vars, {"skip": false, "with": true}} {
			if pure, gqlgen, _ := servePaths(t, r, page, v); pure != gqlgen {
				t.Errorf("%s (%v):\npure data %s\ngqlgen    %s", name, v, pure, gqlgen)
			}
		}
	}
}

// TestPureDataWritesUnions: a recommendation's reasons' via (a union of films, people,
// genres and tags) is written by the path with the plan of its concrete type, as gqlgen
// resolves it: __typename, inline and named fragments on the concrete types, on the union
// and on an interface they implement (Node), @skip inside a fragment, a null via and one of
// a type the model does not know; the whole film is then one object of the path. A via
// that lacks a non-null value makes the film take gqlgen's path, which reports the error.
func TestPureDataWritesUnions(t *testing.T) {
	node := func(title string, vias ...map[string]any) map[string]any {
		reasons := []any{}
		for _, via := range vias {
			reason := map[string]any{"kind": "SAME_GENRE", "text": "Also " + title}
			if via != nil { // under each of the query's response names for it
				for _, name := range []string{"via", "only", "none", "skipped"} {
					reason[name] = via
				}
			}
			reasons = append(reasons, reason)
		}
		return map[string]any{"node": map[string]any{"score": 0.5,
			"movie": map[string]any{cypher.KeyID: int64(2), "title": title}, "reasons": reasons}}
	}
	genre := map[string]any{cypher.KeyType: "Genre", cypher.KeyID: "Animation", "name": "Animation"}
	person := map[string]any{cypher.KeyType: "Person", cypher.KeyID: int64(7), "name": "John Lasseter"}
	film := map[string]any{cypher.KeyType: "Movie", cypher.KeyID: int64(3), "title": "Cars", "t": "Cars", "year": int64(2006)}
	tag := map[string]any{cypher.KeyType: "Tag", "name": "pixar"}
	movie := func(vias ...map[string]any) model.Record {
		return model.Record{cypher.KeyID: int64(1), "title": "Toy Story",
			"genres": []any{map[string]any{cypher.KeyID: "Animation", "name": "Animation"}},
			"recommended": map[string]any{cypher.KeyOffset: int64(0), cypher.KeyFirst: int64(2), "edges": []any{
				node("Up", vias...), node("Cars", genre),
			}}}
	}
	const query = `query($skip: Boolean!) { movie(id: "TW92aWU6MQ") { title genres { name }
  recommended(first: 2) { edges { node { score movie { title } reasons { kind text
    via { __typename ... on Genre { name } ... on Person { id name } ...film ... on Node { id } ... on Tag { name }
      ... on RecommendationVia { kind: __typename } }
    only: via { __typename }
    none: via { ... on Movie { year } }
    skipped: via { ... on Movie { title year @skip(if: $skip) } ... @skip(if: $skip) { __typename } } } } } } } }
fragment film on Movie { id title t: title ... on Movie { year } }`
	for name, vias := range map[string][]map[string]any{
		"a genre, a person, a film and a tag":     {genre, person, film, tag},
		"no via":                                  {nil},
		"a via of a type the model does not know": {{cypher.KeyType: "Studio", "name": "Pixar"}},
	} {
		for _, skip := range []bool{true, false} {
			pure, gqlgen, written := servePaths(t, movie(vias...), query, map[string]any{"skip": skip})
			if pure != gqlgen || strings.Contains(pure, `"errors"`) {
				t.Fatalf("%s (skip %v):\npure data %s\ngqlgen    %s", name, skip, pure, gqlgen)
			}
			if written != 1 {
				t.Errorf("%s (skip %v): %d objects written by the pure-data path, want 1 (the film): %s", name, skip, written, pure)
			}
			if name == "a genre, a person, a film and a tag" && !skip {
				t.Logf("%s", pure)
			}
		}
	}

	for name, via := range map[string]map[string]any{
		"a film via without title":  {cypher.KeyType: "Movie", cypher.KeyID: int64(3), "t": "Cars", "year": int64(2006)},
		"a person via without name": {cypher.KeyType: "Person", cypher.KeyID: int64(7)},
		"a tag via without name":    {cypher.KeyType: "Tag"},
		"a genre via named 0":       {cypher.KeyType: "Genre", cypher.KeyID: "Animation", "name": int64(0)},
	} {
		pure, gqlgen, _ := servePaths(t, movie(via), query, map[string]any{"skip": false})
		if pure != gqlgen {
			t.Errorf("%s:\npure data %s\ngqlgen    %s", name, pure, gqlgen)
		}
		if !strings.Contains(pure, `"errors"`) {
			t.Errorf("%s: no error: %s", name, pure)
		}
	}
}

// TestPureDataPlansCachedPerOperationAndVariables: the plans cached across operations are
// never shared by two operations of a document (which spread the same fragment), nor by
// two values of a variable that @skip or @include read, nor by two documents; an
// operation asked again takes its plans from the cache.
func TestPureDataPlansCachedPerOperationAndVariables(t *testing.T) {
	movie := model.Record{cypher.KeyID: int64(1), "title": "Toy Story", "year": int64(1995),
		"genres": []any{map[string]any{cypher.KeyID: "Animation", "name": "Animation", "movieCount": int64(12)}}}
	const document = `query A($s: Boolean!) { movie(id: "TW92aWU6MQ") { ...film } }
query B($s: Boolean!) { movie(id: "TW92aWU6MQ") { ...film genres { name } } }
fragment film on Movie { title @skip(if: $s) year genres @include(if: $s) { movieCount } }`
	plans := NewPureDataPlanCache(100, 1<<20)
	srv := handler.New(NewExecutableSchema(Config{Resolvers: projected{&Resolver{}, movie}}))
	srv.AddTransport(transport.POST{})
	srv.SetQueryCache(newDocumentCache())
	srv.Use(pureDataExtension{plans})
	post := func(query, operation string, skip bool) string {
		body, _ := json.Marshal(map[string]any{"query": query, "operationName": operation, "variables": map[string]any{"s": skip}})
		req := httptest.NewRequest(http.MethodPost, "/graphql", strings.NewReader(string(body)))
		req.Header.Set("Content-Type", "application/json")
		rec := httptest.NewRecorder()
		srv.ServeHTTP(rec, req)
		return rec.Body.String()
	}
	// What each operation answers with each value, asked in turn, by gqlgen's path (no
	// plans) as a real client reads it.
	want := map[string]string{
		"A true":  `{"data":{"movie":{"year":1995,"genres":[{"movieCount":12}]}}}`,
		"A false": `{"data":{"movie":{"title":"Toy Story","year":1995}}}`,
		"B true":  `{"data":{"movie":{"year":1995,"genres":[{"movieCount":12,"name":"Animation"}]}}}`,
		"B false": `{"data":{"movie":{"title":"Toy Story","year":1995,"genres":[{"name":"Animation"}]}}}`,
	}
	SetPureData(false)
	for key, body := range want {
		op, skip, _ := strings.Cut(key, " ")
		if got := post(document, op, skip == "true"); got != body {
			t.Fatalf("gqlgen's path, %s: %s, want %s", key, got, body)
		}
	}
	SetPureData(true)
	for _, order := range [][]string{{"A true", "A false", "B true", "B false"}, {"B false", "A false", "B true", "A true"}} {
		for _, key := range order {
			op, skip, _ := strings.Cut(key, " ")
			before := PureDataWrites()
			if got := post(document, op, skip == "true"); got != want[key] {
				t.Errorf("%s after %v: %s, want %s", key, order, got, want[key])
			}
			if PureDataWrites() == before {
				t.Errorf("%s: not written by the pure-data path", key)
			}
		}
	}
	// The same operation in another document (one more space) has plans of its own.
	cached := plans.Len()
	if cached != 4 {
		t.Errorf("%d plans cached for two operations and two values, want 4", cached)
	}
	if got := post(strings.Replace(document, "{ ...film }", "{  ...film }", 1), "A", false); got != want["A false"] {
		t.Errorf("another document: %s", got)
	}
	if plans.Len() != cached+1 {
		t.Errorf("%d plans cached after another document, want %d", plans.Len(), cached+1)
	}
}

// TestPureDataPlanWithErrorsLeavesTheCache: a plan under which an error was reported (a
// marshaler's: a NaN average) leaves the cache, which would otherwise keep every such
// error in the plan's response context, and the answer is gqlgen's each time.
func TestPureDataPlanWithErrorsLeavesTheCache(t *testing.T) {
	movie := model.Record{cypher.KeyID: int64(1), "year": int64(1995),
		"ratingSummary": map[string]any{"id": int64(1), "average": math.NaN(), "count": int64(1)}}
	plans := NewPureDataPlanCache(100, 1<<20)
	srv := handler.New(NewExecutableSchema(Config{Resolvers: projected{&Resolver{}, movie}}))
	srv.AddTransport(transport.POST{})
	srv.SetQueryCache(newDocumentCache())
	srv.Use(pureDataExtension{plans})
	srv.SetErrorPresenter(presentError(slog.New(slog.NewTextHandler(io.Discard, nil))))
	post := func(query string) string {
		body, _ := json.Marshal(map[string]any{"query": query})
		req := httptest.NewRequest(http.MethodPost, "/graphql", strings.NewReader(string(body)))
		req.Header.Set("Content-Type", "application/json")
		rec := httptest.NewRecorder()
		srv.ServeHTTP(rec, req)
		return rec.Body.String()
	}
	const query = `{ movie(id: "TW92aWU6MQ") { year ratingSummary { count average } } }`
	SetPureData(false)
	want := post(query)
	SetPureData(true)
	if !strings.Contains(want, `"errors"`) {
		t.Fatalf("gqlgen reported no error for a NaN: %s", want)
	}
	for range 3 {
		if got := post(query); got != want {
			t.Fatalf("%s, want %s", got, want)
		}
		if plans.Len() != 0 {
			t.Fatalf("%d plans cached after an error, want 0", plans.Len())
		}
	}
	if got := post(`{ movie(id: "TW92aWU6MQ") { year } }`); got != `{"data":{"movie":{"year":1995}}}` || plans.Len() != 1 {
		t.Errorf("a selection without error: %s, %d plans cached, want 1", got, plans.Len())
	}
}

// hardStrings are strings whose JSON a writer could get wrong: every ASCII control
// character, quotes and backslashes, what encoding/json would escape and gqlgen does not
// (<, >, &, U+2028), multi-byte runes, invalid UTF-8 and a lone continuation byte.
var hardStrings = func() []string {
	var ascii []byte
	for c := range 0x80 {
		ascii = append(ascii, byte(c))
	}
	return []string{"", "Toy Story", string(ascii), `"quoted" \back\slash\`, "<a href=\"x\">&amp;</a>",
		"line\u2028sep\u2029", "Amélie 千と千尋 🎬", "bad \xff\xfe utf-8 \xc3", "\x80", "\x00end", "tab\tcr\rlf\n\x1f\x7f"}
}()

// TestPureLeavesWriteAsGqlgen: the path's own writers of String, ID, Int and Boolean write
// the bytes of gqlgen's marshalers, which they replace.
func TestPureLeavesWriteAsGqlgen(t *testing.T) {
	gqlgen := func(m graphql.Marshaler) string {
		var b bytes.Buffer
		m.MarshalGQL(&b)
		return b.String()
	}
	for _, s := range hardStrings {
		var b bytes.Buffer
		b.WriteString("prefix") // written after what the buffer holds
		pureString(&b, s)
		if got, want := strings.TrimPrefix(b.String(), "prefix"), gqlgen(graphql.MarshalString(s)); got != want {
			t.Errorf("string %q: %s, gqlgen %s", s, got, want)
		}
	}
	for _, n := range []int64{0, 1, -1, 9, 10, 255, 256, 1995, -1995, math.MaxInt64, math.MinInt64} {
		var b bytes.Buffer
		b.WriteString("prefix")
		pureInt64(&b, n)
		if got, want := strings.TrimPrefix(b.String(), "prefix"), gqlgen(graphql.MarshalInt64(n)); got != want {
			t.Errorf("int %d: %s, gqlgen %s", n, got, want)
		}
	}
	for _, v := range []bool{true, false} {
		var b bytes.Buffer
		if pureBoolean(&b, v); b.String() != gqlgen(graphql.MarshalBoolean(v)) {
			t.Errorf("boolean %v: %s, gqlgen %s", v, b.String(), gqlgen(graphql.MarshalBoolean(v)))
		}
	}
}

// TestPureDataWritesLeavesAsGqlgen: hard strings (in non-null and nullable String fields,
// IDs and cursors), extreme integers (non-null and nullable Int) and booleans (PageInfo)
// go out as gqlgen's path writes them, from objects the path writes.
func TestPureDataWritesLeavesAsGqlgen(t *testing.T) {
	const query = `{ movie(id: "TW92aWU6MQ") { id title other: title year
  cover { id url width height caption }
  genres { id name movieCount }
  recommended(first: 1) { totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    edges { cursor node { score movie { id title year } reasons { kind text } } } } } }`
	for i, s := range hardStrings {
		for _, n := range []int64{math.MinInt64, -1, 0, 300, math.MaxInt64} {
			movie := model.Record{cypher.KeyID: n, "title": s, "other": hardStrings[(i+1)%len(hardStrings)], "year": n,
				"cover":  map[string]any{"id": s, "url": s, "width": n, "height": n, "caption": s},
				"genres": []any{map[string]any{cypher.KeyID: s, "name": s, "movieCount": n}},
				"recommended": map[string]any{cypher.KeyOffset: n & 1, cypher.KeyFirst: int64(1), cypher.KeyTotal: int64(3), "edges": []any{
					map[string]any{"node": map[string]any{"score": 0.5, "movie": map[string]any{cypher.KeyID: n, "title": s, "year": n},
						"reasons": []any{map[string]any{"kind": "SAME_GENRE", "text": s}}}},
				}}}
			pure, gqlgen, written := servePaths(t, movie, query, nil)
			if pure != gqlgen {
				t.Fatalf("%q, %d:\npure data %s\ngqlgen    %s", s, n, pure, gqlgen)
			}
			if written == 0 || strings.Contains(pure, `"errors"`) {
				t.Fatalf("%q, %d: not written by the path (%d objects): %s", s, n, written, pure)
			}
		}
	}
}
