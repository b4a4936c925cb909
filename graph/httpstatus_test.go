package graph

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"
)

// The rules of rejectedResponse, on bodies as gqlgen writes them; the real server's
// statuses are checked end to end by TestMalformedRequestsAreCoded and the audit.
func TestRejectedResponse(t *testing.T) {
	const (
		parse     = `{"errors":[{"message":"x","extensions":{"code":"GRAPHQL_PARSE_FAILED"}}],"data":null}`
		depth     = `{"errors":[{"message":"x","extensions":{"code":"DEPTH_LIMIT_EXCEEDED"}}],"data":null}`
		noQuery   = `{"errors":[{"message":"x","extensions":{"code":"BAD_REQUEST"}}],"data":null}`
		otherCode = `{"errors":[{"message":"x","extensions":{"code":"METHOD_NOT_ALLOWED"}}],"data":null}`
	)
	cases := []struct {
		name, mediaType, body string
		held, want            int
	}{
		{"parse failure, application/json", "application/json", parse, 422, 200},
		{"parse failure, graphql-response+json", "application/graphql-response+json", parse, 400, 400},
		{"limit, application/json", "application/json", depth, 422, 200},
		{"no query, application/json", "application/json", noQuery, 422, 400},
		{"no query, graphql-response+json", "application/graphql-response+json", noQuery, 400, 400},
		{"a code of another rule keeps its status", "application/json", otherCode, 405, 405},
		{"not JSON keeps its status", "application/json", `not json`, 406, 406},
		{"no errors keeps its status", "application/json", `{"data":null}`, 400, 400},
	}
	for _, c := range cases {
		status, body := rejectedResponse(c.held, c.mediaType, []byte(c.body))
		if status != c.want {
			t.Errorf("%s: status %d, want %d", c.name, status, c.want)
		}
		var decoded map[string]any
		_ = json.Unmarshal(body, &decoded)
		if errs, _ := decoded["errors"].([]any); len(errs) > 0 {
			if _, has := decoded["data"]; has {
				t.Errorf("%s: the body keeps its data entry: %s", c.name, body)
			}
		}
	}
}

// specStatus passes successful responses and WebSocket upgrades through unbuffered.
func TestSpecStatusPassesOtherResponsesThrough(t *testing.T) {
	handler := specStatus(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusOK)
		w.Write([]byte(`{"data":{"a":1}}`))
		if f, ok := w.(http.Flusher); ok {
			f.Flush()
		} else if err := http.NewResponseController(w).Flush(); err != nil {
			t.Errorf("the wrapped writer cannot flush: %v", err)
		}
	}))
	rec := httptest.NewRecorder()
	handler.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "/graphql", nil))
	if rec.Code != 200 || rec.Body.String() != `{"data":{"a":1}}` || !rec.Flushed {
		t.Errorf("status %d, body %s, flushed %v", rec.Code, rec.Body, rec.Flushed)
	}
}
