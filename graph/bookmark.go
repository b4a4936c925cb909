package graph

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"strings"

	"github.com/99designs/gqlgen/graphql"

	"filmgraph/apperr"
	"filmgraph/limits"
	"filmgraph/store"
)

// Read-your-writes across replicas: a response to an operation that wrote carries the
// write's Neo4j bookmark, in the BookmarkHeader header and in `extensions.bookmark`; a
// request that sends it back in BookmarkHeader runs its statements after that write,
// whichever replica it reaches and whichever cluster member serves it.

// BookmarkHeader carries a bookmark both ways.
const BookmarkHeader = "Filmgraph-Bookmark"

// Bounds of a bookmark a client sends: its text, how many Neo4j bookmarks it holds, and
// how long each may be. One database gives one bookmark a few dozen bytes long.
const (
	maxBookmarkHeader = 4096
	maxBookmarks      = 16
	maxBookmarkLength = 1024
)

// encodeBookmark makes the client's opaque bookmark of Neo4j's bookmarks: URL-safe
// base64 of their JSON array, so that it fits a header and a URL.
func encodeBookmark(bookmarks []string) string {
	data, _ := json.Marshal(bookmarks) // a []string marshals
	return base64.RawURLEncoding.EncodeToString(data)
}

// decodeBookmark reads a bookmark made by encodeBookmark, refusing anything else before
// it reaches the database.
func decodeBookmark(s string) ([]string, error) {
	bad := apperr.New(apperr.BadUserInput, "the %s header is not a bookmark this API issued: send back the value of a response's %s header or extensions.bookmark", BookmarkHeader, BookmarkHeader)
	if len(s) > maxBookmarkHeader {
		return nil, bad
	}
	data, err := base64.RawURLEncoding.DecodeString(strings.TrimSpace(s))
	if err != nil {
		return nil, bad
	}
	var bookmarks []string
	if err := json.Unmarshal(data, &bookmarks); err != nil || len(bookmarks) == 0 || len(bookmarks) > maxBookmarks {
		return nil, bad
	}
	for _, b := range bookmarks {
		if b == "" || len(b) > maxBookmarkLength {
			return nil, bad
		}
	}
	return bookmarks, nil
}

// Bookmarks is the HTTP side of read-your-writes: it reads the request's BookmarkHeader
// (a malformed one is answered 400 BAD_USER_INPUT, before anything runs) so that the
// store runs the request's statements after it, and sets the header on a response to a
// request that wrote. WebSocket upgrades pass through: a socket's operations share its
// replica's bookmarks.
func Bookmarks(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Upgrade") != "" {
			next.ServeHTTP(w, r)
			return
		}
		var after []string
		if values := r.Header.Values(BookmarkHeader); len(values) > 0 {
			var err error
			if after, err = decodeBookmark(strings.Join(values, ",")); err != nil {
				limits.WriteError(w, r, http.StatusBadRequest, apperr.BadUserInput, err.(*apperr.Error).Message)
				return
			}
		}
		if r.Method == http.MethodGet {
			w.Header().Add("Vary", BookmarkHeader) // a cached answer is no answer after a write
		}
		ctx := store.AfterBookmarks(r.Context(), after)
		next.ServeHTTP(&bookmarkWriter{ResponseWriter: w, ctx: ctx}, r.WithContext(ctx))
	})
}

// bookmarkWriter sets BookmarkHeader, when the request wrote, before the status goes out.
type bookmarkWriter struct {
	http.ResponseWriter
	ctx     context.Context
	written bool
}

func (w *bookmarkWriter) WriteHeader(status int) {
	if !w.written {
		w.written = true
		if b := store.WrittenBookmarks(w.ctx); b != nil {
			w.Header().Set(BookmarkHeader, encodeBookmark(b))
		}
	}
	w.ResponseWriter.WriteHeader(status)
}

func (w *bookmarkWriter) Write(p []byte) (int, error) {
	if !w.written {
		w.WriteHeader(http.StatusOK)
	}
	return w.ResponseWriter.Write(p)
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (w *bookmarkWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// Flush passes on flushes, for transports that stream (server-sent events, @defer).
func (w *bookmarkWriter) Flush() {
	if !w.written {
		w.WriteHeader(http.StatusOK)
	}
	_ = http.NewResponseController(w.ResponseWriter).Flush()
}

// bookmarkExtension adds `extensions.bookmark` to the response of an operation that
// wrote, for clients that read the body rather than headers.
func bookmarkExtension(ctx context.Context, next graphql.ResponseHandler) *graphql.Response {
	resp := next(ctx)
	if resp == nil {
		return nil
	}
	if b := store.WrittenBookmarks(ctx); b != nil {
		if resp.Extensions == nil {
			resp.Extensions = map[string]any{}
		}
		resp.Extensions["bookmark"] = encodeBookmark(b)
	}
	return resp
}
