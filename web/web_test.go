package web

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"testing/fstest"
)

func get(t *testing.T, h http.Handler, path string) (*http.Response, string) {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
	body, _ := io.ReadAll(rec.Result().Body)
	return rec.Result(), string(body)
}

func TestRoutes(t *testing.T) {
	h := Handler(fstest.MapFS{
		"b.graphql": {Data: []byte("query b { __typename }")},
		"a.graphql": {Data: []byte("query a { __typename }")},
		"README.md": {Data: []byte("not an example")},
	})
	for path, want := range map[string]string{
		"/":                       `src="/static/assets/graphiql-`,
		"/movies/TW92aWU6ODA5Njk": `src="/static/assets/movie-`,
		"/people/UGVyc29uOjE":     `src="/static/assets/movie-`,
		"/widget/TW92aWU6ODA5Njk": `src="/static/assets/widget-`,
		"/static/widget.js":       "document.currentScript",
		"/graphiql/examples.json": `"name":"a"`,
	} {
		resp, body := get(t, h, path)
		if resp.StatusCode != http.StatusOK || !strings.Contains(body, want) {
			t.Errorf("GET %s: %d, body lacks %q", path, resp.StatusCode, want)
		}
	}
	for _, path := range []string{"/nope", "/static/movie.html", "/movies/"} {
		if resp, _ := get(t, h, path); resp.StatusCode != http.StatusNotFound {
			t.Errorf("GET %s: %d, want 404", path, resp.StatusCode)
		}
	}
	_, body := get(t, h, "/graphiql/examples.json")
	var ex []Example
	if err := json.Unmarshal([]byte(body), &ex); err != nil || len(ex) != 2 || ex[0].Name != "a" || ex[1].Query != "query b { __typename }" {
		t.Errorf("examples: %s", body)
	}
}

// Every asset a page names is embedded, and hashed assets are cached for good.
func TestPagesReferenceEmbeddedAssets(t *testing.T) {
	h := Handler()
	for _, page := range []string{"/", "/movies/1", "/widget/1"} {
		_, html := get(t, h, page)
		for _, part := range strings.Split(html, `"/static/assets/`)[1:] {
			asset := "/static/assets/" + part[:strings.IndexByte(part, '"')]
			resp, _ := get(t, h, asset)
			if resp.StatusCode != http.StatusOK {
				t.Errorf("%s names %s: %d", page, asset, resp.StatusCode)
			}
			if cc := resp.Header.Get("Cache-Control"); !strings.Contains(cc, "immutable") {
				t.Errorf("%s: Cache-Control %q", asset, cc)
			}
		}
	}
}
