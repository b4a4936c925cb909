package graph

import (
	"encoding/base64"
	"errors"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"filmgraph/apperr"
)

func TestBookmarksRoundTripAndAreBounded(t *testing.T) {
	neo := []string{"FB:kcwQk6Tn0ekmSoW9ej3mH3JIQQmQ", "FB:second"}
	got, err := decodeBookmark(encodeBookmark(neo))
	if err != nil || !slices.Equal(got, neo) {
		t.Fatalf("round trip: %v %v", got, err)
	}
	b64 := func(s string) string { return base64.RawURLEncoding.EncodeToString([]byte(s)) }
	for name, bad := range map[string]string{
		"not base64":      "%%%",
		"padded base64":   base64.URLEncoding.EncodeToString([]byte(`["FB:x"]`)),
		"not a list":      b64(`{"a":"b"}`),
		"not strings":     b64(`[1]`),
		"empty list":      b64(`[]`),
		"empty bookmark":  b64(`[""]`),
		"too many":        b64(`["a"` + strings.Repeat(`,"a"`, maxBookmarks) + `]`),
		"too long":        b64(`["` + strings.Repeat("a", maxBookmarkLength+1) + `"]`),
		"too long header": strings.Repeat("A", maxBookmarkHeader+1),
	} {
		var appErr *apperr.Error
		if _, err := decodeBookmark(bad); !errors.As(err, &appErr) || appErr.Code != apperr.BadUserInput {
			t.Errorf("%s: got %v, want BAD_USER_INPUT", name, err)
		}
	}
}

func TestBookmarksMiddleware(t *testing.T) {
	ran := false
	h := Bookmarks(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ran = true
		w.WriteHeader(http.StatusOK)
	}))

	// A malformed bookmark is refused before the handler runs.
	req := httptest.NewRequest(http.MethodPost, "/graphql", nil)
	req.Header.Set(BookmarkHeader, "%%%")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != http.StatusBadRequest || !strings.Contains(rec.Body.String(), `"BAD_USER_INPUT"`) || ran {
		t.Fatalf("malformed: %d %s (handler ran: %v)", rec.Code, rec.Body, ran)
	}

	// A GET varies on the header; a request that wrote nothing gets no bookmark back.
	req = httptest.NewRequest(http.MethodGet, "/graphql?query={__typename}", nil)
	req.Header.Set(BookmarkHeader, encodeBookmark([]string{"FB:x"}))
	rec = httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if !ran || rec.Code != http.StatusOK || !slices.Contains(rec.Header().Values("Vary"), BookmarkHeader) || rec.Header().Get(BookmarkHeader) != "" {
		t.Fatalf("read: %d %v", rec.Code, rec.Header())
	}
}
