package limits

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"filmgraph/apperr"
	"filmgraph/observe"
)

// Body rejects requests whose body is larger than maxBytes with 413 and a
// REQUEST_TOO_LARGE error, before anything parses them. A body within the limit is read
// here whole, so the handler never sees a body cut short.
func Body(maxBytes int64, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Body == nil || r.Body == http.NoBody {
			next.ServeHTTP(w, r)
			return
		}
		tooLarge := func() {
			WriteError(w, r, http.StatusRequestEntityTooLarge, apperr.RequestTooLarge,
				fmt.Sprintf("the request body is larger than %d bytes", maxBytes))
		}
		if r.ContentLength > maxBytes {
			tooLarge()
			return
		}
		body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBytes))
		var maxErr *http.MaxBytesError
		switch {
		case errors.As(err, &maxErr):
			tooLarge()
			return
		case err != nil:
			WriteError(w, r, http.StatusBadRequest, apperr.BadUserInput, "the request body could not be read")
			return
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		next.ServeHTTP(w, r)
	})
}

// Timeout gives each request a deadline d from now. The store passes what remains of it to
// Neo4j as the transaction timeout, and a request past it fails with TIMEOUT.
func Timeout(d time.Duration, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.EqualFold(r.Header.Get("Upgrade"), "websocket") || isEventStream(r) {
			// A subscription (over WebSocket or SSE) lives as long as its client wants;
			// each event it runs is bounded by the store's own checks instead.
			next.ServeHTTP(w, r)
			return
		}
		ctx, cancel := context.WithTimeout(r.Context(), d)
		defer cancel()
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

// WriteError answers with a GraphQL response holding one coded error and no data.
func WriteError(w http.ResponseWriter, r *http.Request, status int, code apperr.Code, message string) {
	observe.FromContext(r.Context()).AddErrorCode(string(code))
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]any{
		"errors": []map[string]any{{"message": message, "extensions": map[string]any{"code": code}}},
	})
}

// isEventStream reports whether r asks for a Server-Sent Events stream (graphql-sse) and
// no JSON answer, as graph's SSE transport does.
func isEventStream(r *http.Request) bool {
	accept := r.Header.Get("Accept")
	return r.Method == http.MethodPost && strings.Contains(accept, "text/event-stream") &&
		!strings.Contains(accept, "application/json") && !strings.Contains(accept, "application/graphql-response+json")
}
