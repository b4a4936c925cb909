package server

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"flag"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"testing"

	"filmgraph/graph"
)

var updateManifest = flag.Bool("update-manifest", false, "rewrite docs/queries/manifest.json from the example operations")

const manifestPath = "../docs/queries/manifest.json"

type manifestOperation struct{ ID, Name, Type, Body string }

func readManifest(t *testing.T) []manifestOperation {
	t.Helper()
	raw, err := os.ReadFile(manifestPath)
	if err != nil {
		t.Fatal(err)
	}
	var m struct{ Operations []manifestOperation }
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatal(err)
	}
	return m.Operations
}

// TestTrustedDocumentsManifest: docs/queries/manifest.json is what Apollo's manifest
// generator makes of the example operations (manifest.mjs), so it lists each of them, with
// Apollo's ids (the sha256 of the body). With -update-manifest it is rewritten.
func TestTrustedDocumentsManifest(t *testing.T) {
	var generated json.RawMessage
	runNode(t, "manifest.mjs", &generated)
	if *updateManifest {
		var pretty bytes.Buffer
		json.Indent(&pretty, generated, "", "  ")
		pretty.WriteString("\n")
		if err := os.WriteFile(manifestPath, pretty.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	committed, err := os.ReadFile(manifestPath)
	if err != nil {
		t.Fatal(err)
	}
	if !jsonEqual(t, generated, committed) {
		t.Errorf("%s is not what Apollo's generator makes of the example operations: run go test -run TestTrustedDocumentsManifest -update-manifest and review the diff", manifestPath)
	}

	// Every example operation is listed under its name, with its sha256 as the id.
	files, _ := filepath.Glob("../docs/queries/*.graphql")
	subscriptions, _ := filepath.Glob("../docs/subscriptions/*.graphql")
	var names []string
	operationName := regexp.MustCompile(`(?m)^(?:query|subscription|mutation)\s+(\w+)`)
	for _, f := range append(files, subscriptions...) {
		text, _ := os.ReadFile(f)
		for _, m := range operationName.FindAllSubmatch(text, -1) {
			names = append(names, string(m[1]))
		}
	}
	var listed []string
	for _, op := range readManifest(t) {
		listed = append(listed, op.Name)
		sum := sha256.Sum256([]byte(op.Body))
		if op.ID != hex.EncodeToString(sum[:]) {
			t.Errorf("%s: id %s is not the sha256 of its body", op.Name, op.ID)
		}
	}
	slices.Sort(names)
	slices.Sort(listed)
	if !slices.Equal(names, listed) || len(names) < 8 {
		t.Errorf("the manifest lists %v, the example files hold %v", listed, names)
	}
}

// TestTrustedDocuments: with FILMGRAPH_TRUSTED_DOCUMENTS set, the server runs the
// manifest's operations, named by id (POST and GET) or sent as their exact text, and
// refuses anything else with OPERATION_NOT_TRUSTED before running it.
func TestTrustedDocuments(t *testing.T) {
	docs, err := graph.LoadTrustedDocuments(manifestPath)
	if err != nil {
		t.Fatal(err)
	}
	srv, _ := newTestServer(t, func(c *config) { c.graphql.TrustedDocuments = docs })
	persisted := func(id string) map[string]any {
		return map[string]any{"persistedQuery": map[string]any{"version": 1, "sha256Hash": id}}
	}
	title := cypherRows(t, "MATCH (m:Movie {movieId: $id}) RETURN m.title AS title", map[string]any{"id": referenceMovieLensID})[0]["title"]
	for _, op := range readManifest(t) {
		if op.Type != "query" {
			continue
		}
		status, resp, _ := request(t, srv.URL, "application/json", map[string]any{"extensions": persisted(op.ID)})
		if status != http.StatusOK || len(resp.Errors) > 0 || len(resp.Data) < 10 {
			t.Errorf("%s by id: status %d, errors %+v, data %s", op.Name, status, resp.Errors, resp.Data)
		}
		if op.Name == "moviePage" {
			var page struct{ Movie struct{ Title string } }
			json.Unmarshal(resp.Data, &page)
			if page.Movie.Title != title {
				t.Errorf("moviePage by id: title %q, want %q", page.Movie.Title, title)
			}
			// Its exact text is trusted too; GET carries the id as well.
			if status, resp, _ := request(t, srv.URL, "application/json", map[string]any{"query": op.Body}); status != http.StatusOK || len(resp.Errors) > 0 {
				t.Errorf("moviePage as its exact text: status %d, errors %+v", status, resp.Errors)
			}
			ext, _ := json.Marshal(persisted(op.ID))
			res, err := http.Get(srv.URL + "/graphql?extensions=" + url.QueryEscape(string(ext)))
			if err != nil {
				t.Fatal(err)
			}
			var got struct{ Errors []any }
			json.NewDecoder(res.Body).Decode(&got)
			res.Body.Close()
			if res.StatusCode != http.StatusOK || len(got.Errors) > 0 {
				t.Errorf("moviePage by id over GET: status %d, errors %v", res.StatusCode, got.Errors)
			}
		}
	}

	moviePage, _ := os.ReadFile("../docs/queries/moviePage.graphql") // not the manifest's text (no __typename)
	listedID := readManifest(t)[0].ID
	sum := sha256.Sum256(moviePage)
	for _, c := range []struct {
		name string
		body map[string]any
	}{
		{"an operation not in the manifest", map[string]any{"query": string(moviePage)}},
		{"an unknown id", map[string]any{"extensions": persisted("0123456789abcdef")}},
		{"a listed id with another text", map[string]any{"query": `{ movie(id: "TW92aWU6MQ") { title } }`, "extensions": persisted(listedID)}},
		{"an APQ registration", map[string]any{"query": string(moviePage), "extensions": persisted(hex.EncodeToString(sum[:]))}},
	} {
		before := testStore.RoundTrips()
		status, resp, _ := request(t, srv.URL, "application/json", c.body)
		if status != http.StatusOK || !slices.Equal(resp.codes(), []string{"OPERATION_NOT_TRUSTED"}) || resp.Data != nil || testStore.RoundTrips() != before {
			t.Errorf("%s: status %d, codes %v, data %s; want 200, OPERATION_NOT_TRUSTED, no data, nothing run", c.name, status, resp.codes(), resp.Data)
		}
		if status, resp, _ := request(t, srv.URL, "application/graphql-response+json", c.body); status < 400 || status > 499 || !slices.Equal(resp.codes(), []string{"OPERATION_NOT_TRUSTED"}) {
			t.Errorf("%s with application/graphql-response+json: status %d, codes %v; want a 4xx", c.name, status, resp.codes())
		}
	}

	// The streaming transports check the same: a subscription not in the manifest, over SSE.
	body, _ := json.Marshal(map[string]any{"query": `subscription { ratingSummaryChanged(movieId: "TW92aWU6MjU3Mg") { id } }`})
	req, _ := http.NewRequest(http.MethodPost, srv.URL+"/graphql", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "text/event-stream")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	stream, _ := io.ReadAll(res.Body) // the refusal, then complete: the stream ends
	res.Body.Close()
	if !bytes.Contains(stream, []byte(`"code":"OPERATION_NOT_TRUSTED"`)) || !bytes.Contains(stream, []byte("event: complete")) {
		t.Errorf("an unlisted subscription over SSE: %s", stream)
	}
}

// TestTrustedDocumentsWithApolloClient: Apollo Client, with the README's persisted query
// link over the manifest, runs every example query on a server that trusts only the
// manifest, and an operation sent as free text is refused (trusted.mjs).
func TestTrustedDocumentsWithApolloClient(t *testing.T) {
	docs, err := graph.LoadTrustedDocuments(manifestPath)
	if err != nil {
		t.Fatal(err)
	}
	srv, _ := newTestServer(t, func(c *config) { c.graphql.TrustedDocuments = docs })
	var result struct {
		Answered []string
		Refused  struct {
			Codes []string
			Data  any
		}
		Problems []string
	}
	runNode(t, "trusted.mjs", &result, "FILMGRAPH_URL="+srv.URL)
	for _, p := range result.Problems {
		t.Error(p)
	}
	files, _ := filepath.Glob("../docs/queries/*.graphql")
	if len(result.Answered) != len(files) {
		t.Errorf("answered %v, want all %d example queries", result.Answered, len(files))
	}
	if !slices.Equal(result.Refused.Codes, []string{"OPERATION_NOT_TRUSTED"}) || result.Refused.Data != nil {
		t.Errorf("free text: %+v, want OPERATION_NOT_TRUSTED and no data", result.Refused)
	}
}
