package server

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"filmgraph/apperr"
	"filmgraph/cypher"
	"filmgraph/internal/apitest"
	"filmgraph/observe"
	"filmgraph/relay"
)

// The tests in this file check the production hardening: limits, health, metrics, logs and
// CORS, over real HTTP against the real Neo4j of this package.

// syncBuffer is a log destination that tests read while the server writes.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// newTestServer serves the API over the test database with the default configuration
// changed by change, logging JSON lines into the returned buffer.
func newTestServer(t *testing.T, change func(*config)) (*httptest.Server, *syncBuffer) {
	t.Helper()
	cfg := testConfig
	if change != nil {
		change(&cfg)
	}
	logs := &syncBuffer{}
	srv := httptest.NewServer((&server{log: observe.NewLogger(logs, true, -4), db: testStore, cfg: cfg, issuer: testIssuer}).routes())
	t.Cleanup(srv.Close)
	return srv, logs
}

// request posts body to url's /graphql with the given Accept header (none when empty).
func request(t *testing.T, url, accept string, body any) (int, gqlResponse, http.Header) {
	t.Helper()
	status, resp, header := apitest.Post(t, http.DefaultClient, apitest.Request{URL: url, Header: map[string]string{"Accept": accept}, Body: body})
	return status, gqlResponse{resp}, header
}

// nestedQuery returns a query of the given depth (at least 2) that walks from the reference
// film through its cast and their other films.
func nestedQuery(depth int) string {
	levels := []string{"cast(first: 2)", "person", "actedIn(first: 2)", "edges", "node"}
	var open strings.Builder
	open.WriteString(`{ movie(id: "` + relay.ID("Movie", "80969") + `") {`)
	for i := 0; i < depth-2; i++ {
		open.WriteString(" " + levels[i%len(levels)] + " {")
	}
	return open.String() + " __typename" + strings.Repeat(" }", depth)
}

const graphqlResponseJSON = "application/graphql-response+json"

func TestLimitsRejectWithCodes(t *testing.T) {
	deep := nestedQuery(16)
	var aliases strings.Builder
	aliases.WriteString("{")
	for i := range 31 {
		aliases.WriteString(" a" + string(rune('a'+i%26)) + string(rune('a'+i/26)) + ": __typename")
	}
	aliases.WriteString(" }")
	cases := []struct {
		name, query string
		code        apperr.Code
	}{
		{"depth 16", deep, apperr.DepthLimitExceeded},
		{"complexity: 100 films x 100 credits x 10 roles", `{ movies(first: 100) { edges { node { cast(first: 100) { person { actedIn(first: 10) { totalCount } } } } } } }`, apperr.ComplexityLimitExceeded},
		{"31 aliases", aliases.String(), apperr.AliasLimitExceeded},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			before := testStore.RoundTrips()
			// The GraphQL-over-HTTP spec: an operation rejected before execution is 400 with
			// application/graphql-response+json, 200 with application/json, and has no data.
			for accept, want := range map[string]int{graphqlResponseJSON: 400, "application/json": 200} {
				status, resp, _ := request(t, testServer.URL, accept, map[string]any{"query": tc.query})
				if status != want || len(resp.Errors) != 1 || resp.codes()[0] != string(tc.code) || resp.Data != nil {
					t.Errorf("Accept %s: status %d, data %s, errors %+v; want %d and one %s", accept, status, resp.Data, resp.Errors, want, tc.code)
				}
			}
			if trips := testStore.RoundTrips() - before; trips != 0 {
				t.Errorf("a rejected operation ran %d statements", trips)
			}
		})
	}
	t.Run("depth 15 is allowed", func(t *testing.T) {
		status, resp, _ := request(t, testServer.URL, "", map[string]any{"query": nestedQuery(15)})
		if status != 200 || len(resp.Errors) != 0 {
			t.Errorf("status %d, errors %+v", status, resp.Errors)
		}
	})
}

func TestComplexityOfTheReferenceQueriesIsWithinTheBudget(t *testing.T) {
	// The nested query of TestNestedMovieQueryIsOneRoundTrip, the heaviest the tests ask
	// for, costs about 21,000 of the default 50,000.
	status, resp, _ := request(t, testServer.URL, "", map[string]any{"query": `query($id: ID!) { movie(id: $id) {
		genres { name } directors { name }
		cast { person { id name actedIn(first: 100) { totalCount edges { node { title directors { name } } } } } } } }`,
		"variables": map[string]any{"id": relay.ID("Movie", "80969")}})
	if status != 200 || len(resp.Errors) != 0 {
		t.Errorf("status %d, errors %+v", status, resp.Errors)
	}
}

func TestBodyLimit(t *testing.T) {
	query := `{ movies(first: 1) { totalCount } }`
	big := []byte(`{"query": "` + query + strings.Repeat(" ", 1<<20) + `"}`)
	status, resp, _ := request(t, testServer.URL, "", big)
	if status != http.StatusRequestEntityTooLarge || len(resp.Errors) != 1 || resp.codes()[0] != string(apperr.RequestTooLarge) {
		t.Errorf("status %d, errors %+v; want 413 REQUEST_TOO_LARGE", status, resp.Errors)
	}
	// Just under the limit is served.
	fits := []byte(`{"query": "` + query + strings.Repeat(" ", 1<<20-len(query)-20) + `"}`)
	if status, resp, _ := request(t, testServer.URL, "", fits); status != 200 || len(resp.Errors) != 0 {
		t.Errorf("a body of %d bytes: status %d, errors %+v", len(fits), status, resp.Errors)
	}
}

func TestTokenLimit(t *testing.T) {
	// A parse failure: 200 with application/json, 400 with graphql-response+json.
	query := "{" + strings.Repeat(" __typename", 10001) + " }"
	for accept, want := range map[string]int{"": 200, graphqlResponseJSON: 400} {
		status, resp, _ := request(t, testServer.URL, accept, map[string]any{"query": query})
		if status != want || len(resp.Errors) == 0 || resp.codes()[0] != "GRAPHQL_PARSE_FAILED" || resp.Data != nil {
			t.Errorf("Accept %q: status %d, data %s, errors %+v; want %d", accept, status, resp.Data, resp.Errors, want)
		}
	}
}

// slowCypher keeps Neo4j busy for far longer than any test waits.
var slowCypher = cypher.Statement{Text: `UNWIND range(1, 2000000000) AS x WITH x WHERE x = -1 RETURN count(x) AS this`}

func TestRequestTimeoutIsTheTransactionTimeout(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	start := time.Now()
	_, err := testStore.ReadOne(ctx, slowCypher)
	elapsed := time.Since(start)
	if apperr.CodeOf(err) != apperr.Timeout {
		t.Fatalf("got %v, want TIMEOUT", err)
	}
	if elapsed > 10*time.Second { // a bound far under the statement's own time, not a timing assertion
		t.Errorf("took %v: the request waited for the statement instead of its deadline", elapsed)
	}
	t.Logf("answered after %v: %v", elapsed.Round(time.Millisecond), err)
	// The statement had the request's time as its transaction timeout, so Neo4j stops it
	// too (its transaction monitor checks every 2 s) instead of counting to two billion.
	deadline := time.Now().Add(10 * time.Second)
	for {
		rows := cypherRows(t, `SHOW TRANSACTIONS YIELD currentQuery WHERE currentQuery CONTAINS '2000000000' AND NOT currentQuery STARTS WITH 'SHOW' RETURN count(*) AS running`, nil)
		if rows[0]["running"].(int64) == 0 {
			t.Logf("Neo4j stopped the statement %v after the request ended", time.Since(start.Add(elapsed)).Round(100*time.Millisecond))
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the statement still runs 10 s after its request ended")
		}
		time.Sleep(100 * time.Millisecond)
	}

	// Over HTTP: a request that outlives FILMGRAPH_REQUEST_TIMEOUT is answered with TIMEOUT.
	srv, _ := newTestServer(t, func(c *config) { c.requestTimeout = time.Nanosecond })
	status, resp, _ := request(t, srv.URL, "", map[string]any{"query": `{ movies(first: 1) { totalCount } }`})
	if status != 200 || len(resp.Errors) != 1 || resp.codes()[0] != string(apperr.Timeout) {
		t.Errorf("status %d, errors %+v; want a TIMEOUT error", status, resp.Errors)
	}
}

func TestIntrospectionSwitch(t *testing.T) {
	query := map[string]any{"query": `{ __schema { queryType { name } } }`}
	if status, resp, _ := request(t, testServer.URL, "", query); status != 200 || len(resp.Errors) != 0 || !strings.Contains(string(resp.Data), `"Query"`) {
		t.Errorf("introspection on: status %d, data %s, errors %+v", status, resp.Data, resp.Errors)
	}
	off, _ := newTestServer(t, func(c *config) { c.graphql.Introspection = false })
	status, resp, _ := request(t, off.URL, graphqlResponseJSON, query)
	if status != 400 || len(resp.Errors) != 1 || resp.codes()[0] != string(apperr.IntrospectionDisabled) {
		t.Errorf("introspection off: status %d, errors %+v", status, resp.Errors)
	}
	// __typename is not introspection, and GraphiQL is not served without it.
	if status, resp, _ := request(t, off.URL, "", map[string]any{"query": `{ __typename }`}); status != 200 || len(resp.Errors) != 0 {
		t.Errorf("__typename: status %d, errors %+v", status, resp.Errors)
	}
	if resp, err := http.Get(off.URL + "/"); err != nil || resp.StatusCode != http.StatusNotFound {
		t.Errorf("GraphiQL with introspection off: %v %v", resp.StatusCode, err)
	}
}

func TestAutomaticPersistedQueries(t *testing.T) {
	query := `query PersistedTitle($id: ID!) { movie(id: $id) { title } }`
	sum := sha256.Sum256([]byte(query))
	ext := map[string]any{"persistedQuery": map[string]any{"version": 1, "sha256Hash": hex.EncodeToString(sum[:])}}
	vars := map[string]any{"id": relay.ID("Movie", "80969")}

	// The hash alone is not known yet: the client then sends hash and query together.
	status, resp, _ := request(t, testServer.URL, "", map[string]any{"extensions": ext, "variables": vars})
	if status != 200 || len(resp.Errors) != 1 || resp.codes()[0] != string(apperr.PersistedQueryNotFound) {
		t.Fatalf("unknown hash: status %d, errors %+v", status, resp.Errors)
	}
	for _, body := range []map[string]any{
		{"query": query, "extensions": ext, "variables": vars}, // registers it
		{"extensions": ext, "variables": vars},                 // the hash is enough now
	} {
		status, resp, _ := request(t, testServer.URL, "", body)
		if status != 200 || len(resp.Errors) != 0 || !strings.Contains(string(resp.Data), "Never Let Me Go") {
			t.Errorf("status %d, data %s, errors %+v", status, resp.Data, resp.Errors)
		}
	}
	// A query that does not match its hash is refused, coded.
	status, resp, _ = request(t, testServer.URL, "", map[string]any{"query": "{ __typename }", "extensions": ext})
	if len(resp.Errors) != 1 || resp.codes()[0] != string(apperr.BadRequest) {
		t.Errorf("mismatched hash: status %d, errors %+v", status, resp.Errors)
	}
}

func TestHealthAndReadiness(t *testing.T) {
	for _, tc := range []struct{ path, want string }{
		{"/healthz", `{"neo4j":{"bundled":false},"status":"ok"}` + "\n"},
		{"/readyz", `{"checks":{"neo4j":"ok","seed":"ok"},"ready":true}` + "\n"},
	} {
		resp, err := http.Get(testServer.URL + tc.path)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || string(body) != tc.want {
			t.Errorf("%s: %d %q, want 200 %q", tc.path, resp.StatusCode, body, tc.want)
		}
	}
	// While draining, the replica reports not ready so the load balancer moves on.
	s := &server{log: observe.NewLogger(io.Discard, false, 0), db: testStore, cfg: testConfig}
	s.draining.Store(true)
	rec := httptest.NewRecorder()
	s.routes().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/readyz", nil))
	if rec.Code != http.StatusServiceUnavailable || !strings.Contains(rec.Body.String(), `"server":"draining"`) {
		t.Errorf("draining: %d %s", rec.Code, rec.Body)
	}
}

func TestMetricsAndLogs(t *testing.T) {
	srv, logs := newTestServer(t, nil)
	secret := "s3cret-Passw0rd"
	// One good request, one with a BAD_USER_INPUT error, with a secret in the variables.
	status, _, header := request(t, srv.URL, "", map[string]any{"query": `query MetricsProbe($id: ID!, $name: String!) { movie(id: $id) { title } genre(name: $name) { name } }`,
		"operationName": "MetricsProbe", "variables": map[string]any{"id": relay.ID("Movie", "80969"), "name": secret}})
	if status != 200 || len(header.Get("X-Request-Id")) != 16 {
		t.Fatalf("status %d, X-Request-Id %q", status, header.Get("X-Request-Id"))
	}
	request(t, srv.URL, "", map[string]any{"query": `query MetricsProbe { movies(first: 0) { totalCount } }`})

	resp, err := http.Get(srv.URL + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	metrics := string(body)
	for _, want := range []string{
		`filmgraph_graphql_requests_total{operation="MetricsProbe",outcome="ok"}`,
		`filmgraph_graphql_requests_total{operation="MetricsProbe",outcome="error"}`,
		`filmgraph_graphql_request_duration_seconds_bucket{operation="MetricsProbe",outcome="ok",le="0.005"}`,
		`filmgraph_graphql_errors_total{code="BAD_USER_INPUT"}`,
		`filmgraph_neo4j_round_trips_total{mode="read",outcome="ok"}`,
		`filmgraph_neo4j_round_trip_duration_seconds_count{mode="read"}`,
		"filmgraph_http_requests_in_flight 0",
		"filmgraph_neo4j_up 1",
		"go_goroutines",
	} {
		if !strings.Contains(metrics, want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}

	// One JSON line per request, with its id, operation, round trips and codes; never the
	// variables.
	var lines []map[string]any
	for _, line := range strings.Split(strings.TrimSpace(logs.String()), "\n") {
		var m map[string]any
		if err := json.Unmarshal([]byte(line), &m); err != nil {
			t.Fatalf("log line is not JSON: %q", line)
		}
		if m["msg"] == "graphql request" {
			lines = append(lines, m)
		}
	}
	if len(lines) != 2 {
		t.Fatalf("got %d request lines:\n%s", len(lines), logs)
	}
	first, second := lines[0], lines[1]
	if first["requestId"] != header.Get("X-Request-Id") || first["operation"] != "MetricsProbe" || first["roundTrips"] != 1.0 || first["status"] != 200.0 {
		t.Errorf("first line: %v", first)
	}
	if codes, _ := second["errorCodes"].([]any); len(codes) != 1 || codes[0] != "BAD_USER_INPUT" || second["roundTrips"] != 0.0 {
		t.Errorf("second line: %v", second)
	}
	if strings.Contains(logs.String(), secret) {
		t.Errorf("the log holds a variable's value:\n%s", logs)
	}
}

func TestCORS(t *testing.T) {
	preflight := func(url, origin string) http.Header {
		req, _ := http.NewRequest(http.MethodOptions, url+"/graphql", nil)
		req.Header.Set("Origin", origin)
		req.Header.Set("Access-Control-Request-Method", "POST")
		req.Header.Set("Access-Control-Request-Headers", "content-type")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.Header
	}
	// Unconfigured: any origin, never with credentials.
	h := preflight(testServer.URL, "https://example.org")
	if h.Get("Access-Control-Allow-Origin") != "*" || h.Get("Access-Control-Allow-Credentials") != "" {
		t.Errorf("default: %v", h)
	}
	listed, _ := newTestServer(t, func(c *config) { c.corsOrigins = []string{"https://films.example"} })
	h = preflight(listed.URL, "https://films.example")
	if h.Get("Access-Control-Allow-Origin") != "https://films.example" || h.Get("Access-Control-Allow-Credentials") != "true" {
		t.Errorf("listed origin: %v", h)
	}
	if h := preflight(listed.URL, "https://evil.example"); h.Get("Access-Control-Allow-Origin") != "" {
		t.Errorf("unlisted origin: %v", h)
	}
	star, _ := newTestServer(t, func(c *config) { c.corsOrigins = []string{"*"} })
	if h := preflight(star.URL, "https://x.example"); h.Get("Access-Control-Allow-Credentials") != "" {
		t.Errorf("* with credentials: %v", h)
	}
}
