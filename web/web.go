// Package web serves filmgraph's browser assets from the binary: GraphiQL at /, the demo
// movie page at /movies/{id} (and person pages at /people/{id}), and the embeddable
// recommendation widget at /widget/{id} with its script-tag loader at /static/widget.js.
//
// The assets are built from web/ui (npm, Vite; pinned versions and package-lock.json) into
// web/dist, which is committed and embedded with go:embed, so `go run .` needs no npm and no
// network. Rebuild after changing web/ui: `cd web/ui && npm ci && npm run build`.
package web

import (
	"embed"
	"encoding/json"
	"io/fs"
	"net/http"
	"path"
	"sort"
	"strings"
)

//go:embed dist
var distFS embed.FS

// Dist is the built asset tree (graphiql.html, movie.html, widget.html, widget.js, assets/).
func Dist() fs.FS {
	sub, err := fs.Sub(distFS, "dist")
	if err != nil {
		panic(err) // the embed pattern guarantees the folder
	}
	return sub
}

// Example is one ready-made GraphiQL tab.
type Example struct {
	// Name is the file name without .graphql.
	Name string `json:"name"`
	// Query is the operation text.
	Query string `json:"query"`
}

// Examples reads the *.graphql files at the top of fsys, sorted by name.
func Examples(fsys fs.FS) ([]Example, error) {
	names, err := fs.Glob(fsys, "*.graphql")
	if err != nil {
		return nil, err
	}
	sort.Strings(names)
	out := make([]Example, 0, len(names))
	for _, n := range names {
		b, err := fs.ReadFile(fsys, n)
		if err != nil {
			return nil, err
		}
		out = append(out, Example{Name: strings.TrimSuffix(n, ".graphql"), Query: string(b)})
	}
	return out, nil
}

// Handler serves the pages and assets; each of examples holds *.graphql operations that
// GraphiQL opens as tabs, in that order. Unknown paths are 404.
func Handler(examples ...fs.FS) http.Handler {
	dist := Dist()
	all := []Example{}
	for _, dir := range examples {
		ex, err := Examples(dir)
		if err != nil {
			panic(err) // embedded files: a build-time mistake
		}
		all = append(all, ex...)
	}
	exampleJSON, _ := json.Marshal(all)

	page := func(name string) http.HandlerFunc {
		body, err := fs.ReadFile(dist, name)
		if err != nil {
			panic(err)
		}
		return func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.Header().Set("Cache-Control", "no-cache")
			w.Write(body)
		}
	}

	mux := http.NewServeMux()
	mux.Handle("GET /{$}", page("graphiql.html"))
	mux.Handle("GET /movies/{id}", page("movie.html"))
	mux.Handle("GET /people/{id}", page("movie.html"))
	mux.Handle("GET /widget/{id}", page("widget.html"))
	mux.HandleFunc("GET /graphiql/examples.json", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Cache-Control", "no-cache")
		w.Write(exampleJSON)
	})
	files := http.StripPrefix("/static/", http.FileServerFS(dist))
	mux.HandleFunc("GET /static/", func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, "/static/assets/") {
			// Vite puts a content hash in every asset name.
			w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
		} else {
			w.Header().Set("Cache-Control", "no-cache")
		}
		if path.Ext(r.URL.Path) == ".html" {
			http.NotFound(w, r) // pages are served at their routes
			return
		}
		files.ServeHTTP(w, r)
	})
	return mux
}
