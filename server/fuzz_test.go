package server

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"
)

// FuzzGraphQLHandler sends random bodies and query strings to the whole HTTP handler
// (limits, CORS, GraphQL, the real database): nothing may panic, nothing may answer 5xx,
// and every /graphql answer must be JSON. `go test` runs the checked-in corpus
// (testdata/fuzz/FuzzGraphQLHandler) and the seeds below; CI fuzzes for a fixed time:
//
//	go test -run='^$' -fuzz=FuzzGraphQLHandler -fuzztime=20s .
func FuzzGraphQLHandler(f *testing.F) {
	for _, s := range []struct {
		body, query string
		mode        byte
	}{
		{`{"query": "{ movie(id: \"TW92aWU6ODA5Njk\") { title cast(first: 2) { person { name } } } }"}`, "", 0},
		{`{"query": "query($n: Int) { movies(first: $n) { edges { cursor node { title } } } }", "variables": {"n": 3}}`, "", 1},
		{`{"query": "{ __schema { types { name } } }"}`, "", 0},
		{`{"query": "{ node(id: \"R2VucmU6RHJhbWE\") { id ... on Genre { name movies(first: 1, after: \"YXJyYXljb25uZWN0aW9uOjA\") { totalCount } } } }"}`, "", 0},
		{`{"extensions": {"persistedQuery": {"version": 1, "sha256Hash": "abc"}}}`, "", 0},
		{`{"query": "{ movies(first: 1) { totalCount }", "variables": [7]}`, "", 1},
		{"", `query={movies(first:2){totalCount}}`, 2},
		{"", `query=query+Q($id:ID!){movie(id:$id){title}}&variables={"id":"x"}&operationName=Q`, 2},
		{`not json at all`, "", 3},
	} {
		f.Add([]byte(s.body), s.query, s.mode)
	}
	handler := testServer.Config.Handler
	f.Fuzz(func(t *testing.T, body []byte, rawQuery string, mode byte) {
		var req *http.Request
		switch mode % 4 {
		case 0, 1, 3:
			req = httptest.NewRequest(http.MethodPost, "/graphql", bytes.NewReader(body))
			req.Header.Set("Content-Type", "application/json")
			if mode%4 == 1 {
				req.Header.Set("Accept", graphqlResponseJSON)
			}
			if mode%4 == 3 {
				req.Header.Set("Content-Type", "text/plain")
			}
		case 2:
			req = httptest.NewRequest(http.MethodGet, "/graphql", nil)
			req.URL.RawQuery = rawQuery
			if _, err := url.ParseQuery(rawQuery); err != nil {
				req.URL.RawQuery = url.Values{"query": {rawQuery}}.Encode()
			}
		}
		rec := httptest.NewRecorder()
		handler.ServeHTTP(rec, req)
		if rec.Code >= 500 {
			t.Fatalf("status %d: %s", rec.Code, rec.Body)
		}
		if !json.Valid(rec.Body.Bytes()) {
			t.Fatalf("status %d, body is not JSON: %q", rec.Code, rec.Body)
		}
	})
}
