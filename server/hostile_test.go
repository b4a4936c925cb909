package server

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"filmgraph/apperr"
	"filmgraph/relay"
)

// The hostile-client suite: documents built to make parsing, validation, fragment
// expansion or the complexity walk do far more work than their size suggests, and
// malformed variables and bytes. Each must answer a coded error quickly, never a 5xx or a
// dropped connection, without running a statement, and leave the server serving.

// hostileBound is far above the few milliseconds these take, so that the test holds on a
// loaded machine; the measured medians are logged (go test -v -run TestHostile).
const hostileBound = 5 * time.Second

// hostileRuns is how often each document is sent, for the median.
const hostileRuns = 5

// hostileCase is one request: a query document (POSTed as JSON with variables), or a raw
// JSON body, or a raw GET query string.
type hostileCase struct {
	name      string
	query     string
	variables map[string]any
	rawBody   []byte
	rawGET    string
	codes     []apperr.Code // any of them
}

func (c hostileCase) send(t *testing.T, client *http.Client, base string) (int, gqlResponse, time.Duration) {
	t.Helper()
	var req *http.Request
	switch {
	case c.rawGET != "":
		req, _ = http.NewRequest(http.MethodGet, base+"/graphql?"+c.rawGET, nil)
	default:
		body := c.rawBody
		if body == nil {
			body, _ = json.Marshal(map[string]any{"query": c.query, "variables": c.variables})
		}
		req, _ = http.NewRequest(http.MethodPost, base+"/graphql", bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
	}
	start := time.Now()
	resp, err := client.Do(req)
	if err != nil {
		t.Fatalf("no answer after %v: %v", time.Since(start), err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	elapsed := time.Since(start)
	if err != nil {
		t.Fatalf("answer cut off after %v: %v", elapsed, err)
	}
	var out gqlResponse
	if err := json.Unmarshal(data, &out); err != nil {
		t.Fatalf("status %d, not JSON: %v: %.300s", resp.StatusCode, err, data)
	}
	return resp.StatusCode, out, elapsed
}

// fanOutQuery spreads each fragment's successor twice, levels deep: 2^levels fields once
// expanded, in a document of about 40 bytes per level.
func fanOutQuery(levels int) string {
	var b strings.Builder
	b.WriteString("{ ...F0 }")
	for i := range levels {
		fmt.Fprintf(&b, " fragment F%d on Query { ...F%d ...F%d }", i, i+1, i+1)
	}
	fmt.Fprintf(&b, " fragment F%d on Query { __typename }", levels)
	return b.String()
}

// fanOutThroughFields is the fan-out inside fields: each level spreads the next person
// fragment under two different fields, so it also nests deeper.
func fanOutThroughFields(levels int) string {
	var b strings.Builder
	fmt.Fprintf(&b, `{ person(id: %q) { ...P0 } }`, relay.ID("Person", "1"))
	for i := range levels {
		fmt.Fprintf(&b, ` fragment P%d on Person { actedIn(first: 1) { edges { node { cast(first: 1) { person { ...P%d } } } } } directed(first: 1) { edges { node { cast(first: 1) { person { ...P%d } } } } } }`, i, i+1, i+1)
	}
	fmt.Fprintf(&b, " fragment P%d on Person { name }", levels)
	return b.String()
}

// fragmentChain nests a fragment in the next, levels deep, each adding six fields.
func fragmentChain(levels int) string {
	var b strings.Builder
	fmt.Fprintf(&b, `{ person(id: %q) { ...C0 } }`, relay.ID("Person", "1"))
	for i := range levels {
		fmt.Fprintf(&b, ` fragment C%d on Person { actedIn(first: 1) { edges { node { cast(first: 1) { person { ...C%d } } } } } }`, i, i+1)
	}
	fmt.Fprintf(&b, " fragment C%d on Person { name }", levels)
	return b.String()
}

// manyOperations declares operations that all spread the head of a fragment chain, which
// the per-operation validation rules follow once for each.
func manyOperations(operations, chain int) string {
	var b strings.Builder
	for i := range operations {
		fmt.Fprintf(&b, "query Q%d { ...F0 } ", i)
	}
	for i := range chain {
		fmt.Fprintf(&b, "fragment F%d on Query { __typename ...F%d } ", i, i+1)
	}
	fmt.Fprintf(&b, "fragment F%d on Query { __typename }", chain)
	return b.String()
}

func cyclicFanOut() string {
	return `{ ...A } fragment A on Query { __typename ...B ...B } fragment B on Query { __typename ...A ...A }`
}

func repeated(field string, n int) string { return "{" + strings.Repeat(" "+field, n) + " }" }

func aliasFlood(n int) string {
	var b strings.Builder
	b.WriteString("{")
	for i := range n {
		fmt.Fprintf(&b, " a%d: __typename", i)
	}
	return b.String() + " }"
}

func variableFlood(n int) string {
	var b strings.Builder
	b.WriteString("query(")
	for i := range n {
		fmt.Fprintf(&b, "$v%d: Int ", i)
	}
	return b.String() + ") { __typename }"
}

func deepJSON(depth int) string { return strings.Repeat("[", depth) + strings.Repeat("]", depth) }

func hostileCases() []hostileCase {
	movie := relay.ID("Movie", "80969")
	ids := make([]string, 50000) // 900 KB of variables, within the body limit
	for i := range ids {
		ids[i] = movie
	}
	nodesQuery := `query($ids: [ID!]!) { nodes(ids: $ids) { id } }`
	var cases []hostileCase
	for _, levels := range []int{10, 20, 25, 30} {
		// 10 levels are 1,024 __typename merged into one selection set; more are over
		// the field limit.
		codes := []apperr.Code{apperr.FieldLimitExceeded}
		if levels == 10 {
			codes = []apperr.Code{apperr.SelectionLimitExceeded}
		}
		cases = append(cases, hostileCase{name: fmt.Sprintf("fan-out %d levels", levels), query: fanOutQuery(levels), codes: codes})
	}
	for _, n := range []int{1000, 9000, 50000} {
		code := apperr.SelectionLimitExceeded
		switch {
		case n > 10000: // over the token limit
			code = "GRAPHQL_PARSE_FAILED"
		case n > 2000:
			code = apperr.FieldLimitExceeded
		}
		cases = append(cases, hostileCase{name: fmt.Sprintf("__typename x %d", n), query: repeated("__typename", n), codes: []apperr.Code{code}})
	}
	return append(cases,
		hostileCase{name: "fan-out through fields, 12 levels", query: fanOutThroughFields(12), codes: []apperr.Code{apperr.FieldLimitExceeded}},
		hostileCase{name: "fragment chain 250 deep", query: fragmentChain(250), codes: []apperr.Code{apperr.DepthLimitExceeded}},
		hostileCase{name: "cyclic fan-out", query: cyclicFanOut(), codes: []apperr.Code{"GRAPHQL_VALIDATION_FAILED"}},
		hostileCase{name: "250 operations over a 249-fragment chain", query: manyOperations(250, 249), codes: []apperr.Code{apperr.FieldLimitExceeded}},
		// Within the limits, and no operation name to pick one of them.
		hostileCase{name: "40 operations over a 39-fragment chain", query: manyOperations(40, 39), codes: []apperr.Code{"GRAPHQL_VALIDATION_FAILED"}},
		hostileCase{name: "600 fragment spreads", query: "{" + strings.Repeat(" ...F", 600) + " } fragment F on Query { __typename }", codes: []apperr.Code{apperr.FragmentLimitExceeded}},
		hostileCase{name: "100 aliases", query: aliasFlood(100), codes: []apperr.Code{apperr.AliasLimitExceeded}},
		hostileCase{name: "3000 aliases", query: aliasFlood(3000), codes: []apperr.Code{apperr.FieldLimitExceeded}},
		hostileCase{name: "1400 directives on a field", query: "{ __typename" + strings.Repeat(" @skip(if: false)", 1400) + " }", codes: []apperr.Code{apperr.DirectiveLimitExceeded}},
		hostileCase{name: "2000 variables", query: variableFlood(2000), codes: []apperr.Code{apperr.VariableLimitExceeded}},
		hostileCase{name: "depth 900", query: nestedQuery(900), codes: []apperr.Code{apperr.DepthLimitExceeded}},
		hostileCase{name: "50,000 ids in a variable", query: nodesQuery, variables: map[string]any{"ids": ids}, codes: []apperr.Code{apperr.VariableLimitExceeded}},
		hostileCase{name: "900 KB id in a variable", query: `query($id: ID!) { movie(id: $id) { id } }`, variables: map[string]any{"id": strings.Repeat("x", 900<<10)}, codes: []apperr.Code{apperr.BadUserInput}},
		hostileCase{name: "JSON nested 9,000 deep in a variable", rawBody: []byte(`{"query": "` + nodesQuery + `", "variables": {"ids": ` + deepJSON(9000) + `}}`), codes: []apperr.Code{"GRAPHQL_VALIDATION_FAILED"}},
		hostileCase{name: "JSON nested 100,000 deep in a variable", rawBody: []byte(`{"query": "` + nodesQuery + `", "variables": {"ids": ` + deepJSON(100000) + `}}`), codes: []apperr.Code{apperr.BadRequest}},
		hostileCase{name: "invalid UTF-8 in a JSON body", rawBody: []byte("{\"query\": \"{ __typename \xff\xfe }\"}"), codes: []apperr.Code{"GRAPHQL_PARSE_FAILED"}},
		hostileCase{name: "invalid UTF-8 in a GET query", rawGET: "query=" + url.QueryEscape("{ movie(id: \"\xff\xfe\") { id } }"), codes: []apperr.Code{"GRAPHQL_PARSE_FAILED"}},
		hostileCase{name: "invalid UTF-8 in GET variables", rawGET: "query=" + url.QueryEscape(`query($id: ID!) { movie(id: $id) { id } }`) + "&variables=" + url.QueryEscape("{\"id\": \"\xff\xfe\"}"), codes: []apperr.Code{apperr.BadUserInput}},
	)
}

func TestHostileDocumentsAnswerCodedErrorsQuickly(t *testing.T) {
	srv, _ := newTestServer(t, nil)
	client := &http.Client{Timeout: 30 * time.Second}
	for _, c := range hostileCases() {
		t.Run(c.name, func(t *testing.T) {
			before := testStore.RoundTrips()
			var times []time.Duration
			for range hostileRuns {
				status, resp, elapsed := c.send(t, client, srv.URL)
				times = append(times, elapsed)
				codes := resp.codes()
				if status >= 500 || len(codes) == 0 || !slices.Contains(c.codes, apperr.Code(codes[0])) {
					t.Fatalf("status %d, errors %.500v; want a %v and no 5xx", status, resp.Errors, c.codes)
				}
				if elapsed > hostileBound {
					t.Errorf("answered after %v", elapsed)
				}
			}
			if trips := testStore.RoundTrips() - before; trips != 0 {
				t.Errorf("ran %d statements", trips)
			}
			slices.Sort(times)
			t.Logf("%s: median %v (min %v, max %v), %s", c.name, times[len(times)/2].Round(10*time.Microsecond),
				times[0].Round(10*time.Microsecond), times[len(times)-1].Round(10*time.Microsecond), c.codes)
			assertServing(t, client, srv.URL)
		})
	}
}

// assertServing checks that the server still answers an ordinary query.
func assertServing(t *testing.T, client *http.Client, base string) {
	t.Helper()
	status, resp, elapsed := hostileCase{query: "{ __typename }"}.send(t, client, base)
	if status != http.StatusOK || len(resp.Errors) != 0 || string(resp.Data) != `{"__typename":"Query"}` || elapsed > hostileBound {
		t.Errorf("afterwards: status %d, data %s, errors %+v after %v", status, resp.Data, resp.Errors, elapsed)
	}
}

// TestHostileDocumentsInParallel sends the expensive shapes of defect 1 and 2 at once, as
// an attacker would to keep both cores busy: all answer, and an ordinary query meanwhile.
func TestHostileDocumentsInParallel(t *testing.T) {
	srv, _ := newTestServer(t, nil)
	client := &http.Client{Timeout: 30 * time.Second}
	bodies := []string{fanOutQuery(30), fanOutQuery(30), fanOutQuery(30), repeated("__typename", 9000), repeated("__typename", 9000)}
	done := make(chan error, len(bodies))
	for _, q := range bodies {
		go func() {
			body, _ := json.Marshal(map[string]any{"query": q})
			resp, err := client.Post(srv.URL+"/graphql", "application/json", bytes.NewReader(body))
			if err == nil {
				resp.Body.Close()
				if resp.StatusCode >= 500 {
					err = fmt.Errorf("status %d", resp.StatusCode)
				}
			}
			done <- err
		}()
	}
	assertServing(t, client, srv.URL)
	for range bodies {
		if err := <-done; err != nil {
			t.Error(err)
		}
	}
}

// introspectionQuery is the query GraphiQL and graphql-js (getIntrospectionQuery with
// every option) send: the largest document a real client of this API sends, 229 fields
// once its fragments are spread.
const introspectionQuery = `query IntrospectionQuery {
  __schema {
    queryType { name kind } mutationType { name kind } subscriptionType { name kind }
    types { ...FullType }
    directives { name description isRepeatable locations args(includeDeprecated: true) { ...InputValue } }
  }
}
fragment FullType on __Type {
  kind name description specifiedByURL isOneOf
  fields(includeDeprecated: true) {
    name description args(includeDeprecated: true) { ...InputValue } type { ...TypeRef } isDeprecated deprecationReason
  }
  inputFields(includeDeprecated: true) { ...InputValue }
  interfaces { ...TypeRef }
  enumValues(includeDeprecated: true) { name description isDeprecated deprecationReason }
  possibleTypes { ...TypeRef }
}
fragment InputValue on __InputValue { name description type { ...TypeRef } defaultValue isDeprecated deprecationReason }
fragment TypeRef on __Type {
  kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name ofType {
  kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name } } } } } } } } }
}`

// TestRealClientsStayWithinTheDocumentLimits: the limits leave room for what real clients
// send (the example operations run in TestExampleOperations, the film page's in
// TestReferenceMovieMatchesThePage).
func TestRealClientsStayWithinTheDocumentLimits(t *testing.T) {
	status, resp, _ := request(t, testServer.URL, "", map[string]any{"query": introspectionQuery})
	if status != http.StatusOK || len(resp.Errors) != 0 || !strings.Contains(string(resp.Data), `"name":"Movie"`) {
		t.Errorf("introspection: status %d, errors %+v", status, resp.Errors)
	}
	// A client that splits the film page into fragments, each repeating id and
	// __typename as Relay and Apollo do, merging them into the same selection sets.
	var fragments, spreads strings.Builder
	for i, part := range []string{"title year", "cover { url caption }", "genres { id name }", "directors { id name }",
		"cast(first: 20) { order person { id name } }", "ratingSummary { average count histogram }",
		"tags(first: 10) { name count }", "reviews(first: 10) { totalCount edges { node { id text author { id username } } } }"} {
		fmt.Fprintf(&fragments, " fragment Part%d on Movie { __typename id %s }", i, part)
		fmt.Fprintf(&spreads, " ...Part%d", i)
	}
	query := `query($id: ID!) { movie(id: $id) { __typename id` + spreads.String() + ` } }` + fragments.String()
	status, resp, _ = request(t, testServer.URL, "", map[string]any{"query": query, "variables": map[string]any{"id": relay.ID("Movie", "80969")}})
	if status != http.StatusOK || len(resp.Errors) != 0 || !strings.Contains(string(resp.Data), "Never Let Me Go") {
		t.Errorf("film page in fragments: status %d, errors %+v", status, resp.Errors)
	}
}

// TestDocumentLimitSettingsAreRead: each cap is read from its variable, and none can be
// switched off, since validation relies on them.
func TestDocumentLimitSettingsAreRead(t *testing.T) {
	cfg, err := loadConfig()
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]int{"FILMGRAPH_MAX_FIELDS": 2000, "FILMGRAPH_MAX_SELECTION_FIELDS": 200,
		"FILMGRAPH_MAX_FRAGMENT_SPREADS": 500, "FILMGRAPH_MAX_DIRECTIVES": 10, "FILMGRAPH_MAX_VARIABLES": 100,
		"FILMGRAPH_MAX_VARIABLE_VALUES": 10000}
	got := func(c *config) map[string]*int {
		return map[string]*int{"FILMGRAPH_MAX_FIELDS": &c.graphql.MaxFields, "FILMGRAPH_MAX_SELECTION_FIELDS": &c.graphql.MaxSelectionFields,
			"FILMGRAPH_MAX_FRAGMENT_SPREADS": &c.graphql.MaxFragmentSpreads, "FILMGRAPH_MAX_DIRECTIVES": &c.graphql.MaxDirectives,
			"FILMGRAPH_MAX_VARIABLES": &c.graphql.MaxVariables, "FILMGRAPH_MAX_VARIABLE_VALUES": &c.graphql.MaxVariableValues}
	}
	defaults := got(&cfg)
	for name, def := range want {
		if *defaults[name] != def {
			t.Errorf("%s defaults to %d, want %d (README)", name, *defaults[name], def)
		}
	}
	for name := range want {
		t.Run(name, func(t *testing.T) {
			t.Setenv(name, "7")
			cfg, err := loadConfig()
			if err != nil || *got(&cfg)[name] != 7 {
				t.Errorf("%s=7: got %d, %v", name, *got(&cfg)[name], err)
			}
			t.Setenv(name, "0")
			if _, err := loadConfig(); err == nil || !strings.Contains(err.Error(), name) {
				t.Errorf("%s=0: got %v, want an error naming it", name, err)
			}
		})
	}
}

// TestNoParsingAfterTheDeadline: a request whose deadline has passed is answered TIMEOUT
// before its document is parsed, validated or measured, whatever the document.
func TestNoParsingAfterTheDeadline(t *testing.T) {
	srv, _ := newTestServer(t, func(c *config) { c.requestTimeout = time.Nanosecond })
	client := &http.Client{Timeout: 30 * time.Second}
	for _, query := range []string{"{ __typename }", fanOutQuery(30), repeated("__typename", 9000)} {
		status, resp, elapsed := hostileCase{query: query}.send(t, client, srv.URL)
		if status >= 500 || len(resp.Errors) != 1 || resp.codes()[0] != string(apperr.Timeout) || elapsed > hostileBound {
			t.Errorf("status %d, errors %+v after %v; want one TIMEOUT", status, resp.Errors, elapsed)
		}
	}
}
