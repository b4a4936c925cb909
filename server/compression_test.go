package server

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"testing"
)

// fetchRaw sends req with the given Accept-Encoding and returns the body as sent on the
// wire (not decompressed) and its Content-Encoding.
func fetchRaw(t *testing.T, req *http.Request, acceptEncoding string) ([]byte, string) {
	t.Helper()
	req.Header.Set("Accept-Encoding", acceptEncoding)
	client := &http.Client{Transport: &http.Transport{DisableCompression: true}}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("%s %s: status %d, %v", req.Method, req.URL.Path, resp.StatusCode, err)
	}
	return body, resp.Header.Get("Content-Encoding")
}

func gunzip(t *testing.T, b []byte) []byte {
	t.Helper()
	r, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	out, err := io.ReadAll(r)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestResponsesAreCompressed: GraphQL answers and the GraphiQL bundle are gzipped for
// clients that accept gzip, to the same bytes, and sent as they are to others.
func TestResponsesAreCompressed(t *testing.T) {
	moviePage, err := os.ReadFile("../docs/queries/moviePage.graphql")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := json.Marshal(map[string]any{"query": string(moviePage)})
	bundles, _ := filepath.Glob("../web/dist/assets/graphiql-*.js")
	if len(bundles) != 1 {
		t.Fatalf("GraphiQL bundles in web/dist/assets: %v", bundles)
	}
	requests := map[string]func() *http.Request{
		"moviePage": func() *http.Request {
			req, _ := http.NewRequest(http.MethodPost, testServer.URL+"/graphql", bytes.NewReader(body))
			req.Header.Set("Content-Type", "application/json")
			return req
		},
		"GraphiQL bundle": func() *http.Request {
			req, _ := http.NewRequest(http.MethodGet, testServer.URL+"/static/assets/"+filepath.Base(bundles[0]), nil)
			return req
		},
	}
	for name, newRequest := range requests {
		plain, plainEncoding := fetchRaw(t, newRequest(), "identity")
		zipped, zippedEncoding := fetchRaw(t, newRequest(), "gzip, deflate, br")
		if plainEncoding != "" || zippedEncoding != "gzip" {
			t.Errorf("%s: Content-Encoding %q without gzip, %q with it", name, plainEncoding, zippedEncoding)
			continue
		}
		if !bytes.Equal(gunzip(t, zipped), plain) {
			t.Errorf("%s: the gzipped body does not decompress to the plain one", name)
		}
		if len(zipped)*2 > len(plain) {
			t.Errorf("%s: %d bytes gzipped of %d: less than half expected", name, len(zipped), len(plain))
		}
		t.Logf("%s: %d bytes, gzipped %d (%.0f%%)", name, len(plain), len(zipped), 100*float64(len(zipped))/float64(len(plain)))
	}
}

// getGraphQL sends query with GET and the given headers; it returns the response with its
// body read.
func getGraphQL(t *testing.T, base, query string, headers map[string]string) (*http.Response, []byte) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, base+"/graphql?query="+url.QueryEscape(query), nil)
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp, body
}

// TestGETQueriesAreCacheable: anonymous GET answers are public with the configured
// max-age and an ETag that If-None-Match turns into 304; authenticated ones are private;
// failed ones are not stored; POST answers carry none of it.
func TestGETQueriesAreCacheable(t *testing.T) {
	query := `{ movie(id: "TW92aWU6ODA5Njk") { title year } }`
	resp, body := getGraphQL(t, testServer.URL, query, nil)
	etag := resp.Header.Get("ETag")
	if resp.StatusCode != 200 || resp.Header.Get("Cache-Control") != "public, max-age=60" || etag == "" || !bytes.Contains(body, []byte("Never Let Me Go")) {
		t.Fatalf("anonymous GET: %d, Cache-Control %q, ETag %q, %s", resp.StatusCode, resp.Header.Get("Cache-Control"), etag, body)
	}
	resp, body = getGraphQL(t, testServer.URL, query, map[string]string{"If-None-Match": etag})
	if resp.StatusCode != http.StatusNotModified || len(body) != 0 || resp.Header.Get("ETag") != etag {
		t.Errorf("revalidation: %d, ETag %q, %d bytes; want 304 without a body", resp.StatusCode, resp.Header.Get("ETag"), len(body))
	}
	// The same answer compressed keeps its (weak) ETag, so a browser revalidates it too.
	resp, _ = getGraphQL(t, testServer.URL, query, map[string]string{"If-None-Match": etag, "Accept-Encoding": "gzip"})
	if resp.StatusCode != http.StatusNotModified {
		t.Errorf("revalidation with gzip: %d, want 304", resp.StatusCode)
	}
	resp, _ = getGraphQL(t, testServer.URL, `{ movie(id: "TW92aWU6MzU2") { title year } }`, map[string]string{"If-None-Match": etag})
	if resp.StatusCode != 200 || resp.Header.Get("ETag") == etag {
		t.Errorf("another query with the first one's ETag: %d, ETag %q", resp.StatusCode, resp.Header.Get("ETag"))
	}

	member := signUp(t, "getcache")
	resp, body = getGraphQL(t, testServer.URL, `{ me { user { username } } }`, map[string]string{"Authorization": "Bearer " + member.Token})
	if resp.StatusCode != 200 || resp.Header.Get("Cache-Control") != "private, no-cache" || !bytes.Contains(body, []byte(member.Username)) {
		t.Errorf("authenticated GET: %d, Cache-Control %q, %s", resp.StatusCode, resp.Header.Get("Cache-Control"), body)
	}
	for name, q := range map[string]string{"validation failure": `{ film { title } }`, "bad id": `{ movie(id: "x") { title } }`} {
		resp, _ = getGraphQL(t, testServer.URL, q, nil)
		if resp.Header.Get("Cache-Control") != "no-store" || resp.Header.Get("ETag") != "" {
			t.Errorf("%s: Cache-Control %q, ETag %q; want no-store and none", name, resp.Header.Get("Cache-Control"), resp.Header.Get("ETag"))
		}
	}
	if status, out, header := request(t, testServer.URL, "", map[string]any{"query": query}); status != 200 || len(out.Errors) > 0 || header.Get("ETag") != "" || header.Get("Cache-Control") != "" {
		t.Errorf("POST: %d, ETag %q, Cache-Control %q", status, header.Get("ETag"), header.Get("Cache-Control"))
	}

	short, _ := newTestServer(t, func(c *config) { c.getMaxAge = 5 })
	if resp, _ = getGraphQL(t, short.URL, query, nil); resp.Header.Get("Cache-Control") != "public, max-age=5" {
		t.Errorf("FILMGRAPH_GET_MAX_AGE=5: Cache-Control %q", resp.Header.Get("Cache-Control"))
	}
}
