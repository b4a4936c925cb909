package graph

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
)

// maxCachedBody bounds what CacheGET buffers to compute an ETag; larger answers are sent
// as they come, uncached.
const maxCachedBody = 4 << 20

// CacheGET makes GraphQL queries sent with GET (also persisted-query GETs) cacheable by
// browsers, CDNs and proxies: a successful answer (no `errors`) carries a weak ETag of
// its bytes, and a request whose If-None-Match holds it gets 304 without a body.
// Anonymous answers are `public, max-age=maxAgeSeconds`; answers to a request with an
// Authorization header are `private, no-cache` (the viewer's own data: a shared cache
// must not keep it, the browser revalidates it). Failed answers are `no-store`. POST,
// WebSocket upgrades and other methods pass through untouched.
func CacheGET(maxAgeSeconds int, next http.Handler) http.Handler {
	public := fmt.Sprintf("public, max-age=%d", maxAgeSeconds)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet || r.Header.Get("Upgrade") != "" {
			next.ServeHTTP(w, r)
			return
		}
		w.Header().Add("Vary", "Authorization")
		bw := &bufferedWriter{ResponseWriter: w, status: http.StatusOK}
		next.ServeHTTP(bw, r)
		if bw.passedThrough {
			return
		}
		body := bw.body.Bytes()
		if bw.status != http.StatusOK || hasErrors(body) {
			w.Header().Set("Cache-Control", "no-store")
			bw.send(body)
			return
		}
		cacheControl := public
		if r.Header.Get("Authorization") != "" {
			cacheControl = "private, no-cache"
		}
		sum := sha256.Sum256(body)
		etag := `W/"` + base64.RawURLEncoding.EncodeToString(sum[:18]) + `"`
		w.Header().Set("Cache-Control", cacheControl)
		w.Header().Set("ETag", etag)
		if matches(r.Header.Get("If-None-Match"), etag) {
			w.Header().Del("Content-Type")
			w.Header().Del("Content-Length")
			bw.status = http.StatusNotModified
			bw.send(nil)
			return
		}
		bw.send(body)
	})
}

// matches is the weak comparison of If-None-Match (a list of entity tags, or *).
func matches(ifNoneMatch, etag string) bool {
	for _, tag := range strings.Split(ifNoneMatch, ",") {
		tag = strings.TrimSpace(tag)
		if tag == "*" || strings.TrimPrefix(tag, "W/") == strings.TrimPrefix(etag, "W/") {
			return true
		}
	}
	return false
}

// hasErrors reports whether a GraphQL response body has an `errors` entry (or is no JSON
// object at all); such answers are not cached.
func hasErrors(body []byte) bool {
	var response struct {
		Errors json.RawMessage `json:"errors"`
	}
	return json.Unmarshal(body, &response) != nil || len(response.Errors) > 0
}

// bufferedWriter holds the status and the body until send, up to maxCachedBody; beyond
// that it sends what it holds, marked no-store, and passes the rest through.
type bufferedWriter struct {
	http.ResponseWriter
	status        int
	body          bytes.Buffer
	wroteHeader   bool
	passedThrough bool
}

func (w *bufferedWriter) WriteHeader(status int) {
	if !w.wroteHeader {
		w.status, w.wroteHeader = status, true
	}
}

func (w *bufferedWriter) Write(p []byte) (int, error) {
	if w.passedThrough {
		return w.ResponseWriter.Write(p)
	}
	if w.body.Len()+len(p) > maxCachedBody {
		w.Header().Set("Cache-Control", "no-store")
		w.send(w.body.Bytes())
		w.passedThrough = true
		return w.ResponseWriter.Write(p)
	}
	return w.body.Write(p)
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (w *bufferedWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

func (w *bufferedWriter) send(body []byte) {
	w.ResponseWriter.WriteHeader(w.status)
	if len(body) > 0 {
		w.ResponseWriter.Write(body)
	}
}
