package relay

import (
	"encoding/base64"
	"strings"
	"testing"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j/dbtype"

	"filmgraph/apperr"
)

func TestCursorsRoundTripAndForgeriesAreBadInput(t *testing.T) {
	for _, offset := range []int{0, 1, 19, MaxCursorOffset} {
		c := Cursor(offset)
		if got, err := ParseCursor(&c); err != nil || got != offset {
			t.Errorf("ParseCursor(Cursor(%d)) = %d, %v", offset, got, err)
		}
	}
	for _, raw := range []string{"offset:9223372036854775807", "offset:1000001", "offset:-1", "offset:abc",
		"offset:+5", "offset:007", "offset: 5", "offset:", "5", "movies:5"} {
		c := base64.RawURLEncoding.EncodeToString([]byte(raw))
		if _, err := ParseCursor(&c); apperr.CodeOf(err) != apperr.BadUserInput {
			t.Errorf("cursor %q: %v, want BAD_USER_INPUT", raw, err)
		}
	}
}

// The ids below were encoded outside Go (Python's base64 module), the way clients build
// them: btoa and graphql-relay-js's toGlobalId give padded standard base64.
func TestParseIDAcceptsEveryBase64Form(t *testing.T) {
	cases := []struct{ id, typeName, key string }{
		{"TW92aWU6ODA5Njk", "Movie", "80969"},  // this API's own form
		{"TW92aWU6ODA5Njk=", "Movie", "80969"}, // padded (btoa)
		{"TW92aWU6MjU3MQ==", "Movie", "2571"},  // two padding characters
		{"TW92aWU6MjU3MQ", "Movie", "2571"},
		{"TW92aWU6MzU2", "Movie", "356"}, // needs no padding
		{"R2VucmU6RHJhbWE/", "Genre", "Drama?"},
		{"R2VucmU6RHJhbWE_", "Genre", "Drama?"},
		{"R2VucmU6RHJhbWE/", "Genre", "Drama?"},
		{"VGFnOmE+Yj8=", "Tag", "a>b?"}, // standard alphabet, padded
		{"VGFnOmE-Yj8=", "Tag", "a>b?"}, // URL-safe, padded
		{"VGFnOmE+Yj8", "Tag", "a>b?"},
		{"VGFnOmE-Yj8", "Tag", "a>b?"},
	}
	for _, c := range cases {
		typeName, key, err := ParseID(c.id)
		if err != nil || typeName != c.typeName || key != c.key {
			t.Errorf("ParseID(%q) = %q, %q, %v; want %q, %q", c.id, typeName, key, err, c.typeName, c.key)
		}
	}
	if got := ID("Movie", "80969"); got != "TW92aWU6ODA5Njk" {
		t.Errorf("ID keeps its canonical form: got %q", got)
	}
}

func TestParseIDRejectsWhatIsNoID(t *testing.T) {
	for _, id := range []string{
		"", "80969", "Movie:80969",
		"TW92aWU6ODA5Njk==",  // one padding character too many
		"TW92aWU6MjU3MQ=",    // one too few
		"TW92aWU6ODA5N=jk",   // padding inside
		"VGFnOmE+Yj_",        // both alphabets at once
		"TW92aWU6ODA5Njk=\n", // trailing newline
		"TW92aWU",            // "Movie" without key
	} {
		if typeName, key, err := ParseID(id); err == nil {
			t.Errorf("ParseID(%q) = %q, %q; want an error", id, typeName, key)
		}
	}
}

func TestParseCursorAcceptsPadding(t *testing.T) {
	// base64("offset:4") = "b2Zmc2V0OjQ=", encoded outside Go.
	for _, c := range []string{"b2Zmc2V0OjQ=", "b2Zmc2V0OjQ"} {
		if n, err := ParseCursor(&c); err != nil || n != 4 {
			t.Errorf("ParseCursor(%q) = %d, %v; want 4", c, n, err)
		}
	}
}

func TestErrorsQuoteAtMostAShortPrefix(t *testing.T) {
	huge := strings.Repeat("é", 100000)
	_, _, err := ParseID(huge)
	if err == nil || len(err.Error()) > 300 || !strings.Contains(err.Error(), "é...") {
		t.Errorf("ParseID of a 200 KB id: error of %d bytes, want a short one quoting a prefix", len(err.Error()))
	}
	if _, err := ParseCursor(&huge); err == nil || len(err.Error()) > 300 {
		t.Errorf("ParseCursor of a 200 KB cursor: error of %d bytes, want a short one", len(err.Error()))
	}
}

func TestKeysetCursorsRoundTripTheirTypes(t *testing.T) {
	at := time.Date(2026, 11, 30, 8, 1, 2, 345678900, time.FixedZone("Offset", 3600))
	paris, _ := time.LoadLocation("Europe/Paris")
	values := []any{nil, true, int64(-42), 7.25, "Heat: a \"film\" , ok", at, at.In(paris), at.In(time.UTC),
		dbtype.LocalDateTime(time.Date(2018, 9, 24, 14, 27, 30, 0, time.UTC)), dbtype.Date(time.Date(1995, 1, 2, 0, 0, 0, 0, time.UTC))}
	c := KeysetCursor("ord", values)
	got, err := ParseKeysetCursor(c, "ord", len(values))
	if err != nil {
		t.Fatal(err)
	}
	for i, want := range values {
		if w, ok := want.(time.Time); ok {
			// The same instant in the same kind of zone: the database orders by both.
			if g, ok := got[i].(time.Time); !ok || !g.Equal(w) || g.Location().String() != w.Location().String() {
				t.Errorf("key %d: %v, want %v", i, got[i], want)
			}
			continue
		}
		if got[i] != want {
			t.Errorf("key %d: %#v, want %#v", i, got[i], want)
		}
	}
	for name, bad := range map[string]struct {
		cursor, order string
		n             int
	}{
		"another order":     {c, "other", len(values)},
		"another key count": {c, "ord", 2},
		"an offset cursor":  {Cursor(3), "ord", 1},
		"not base64":        {"!!", "ord", 1},
		"an unknown type":   {base64.RawURLEncoding.EncodeToString([]byte(`keys:{"o":"ord","k":["x:1"]}`)), "ord", 1},
		"a bad number":      {base64.RawURLEncoding.EncodeToString([]byte(`keys:{"o":"ord","k":["i:1.5"]}`)), "ord", 1},
		"too long":          {strings.Repeat("A", MaxCursorLength+1), "ord", 1},
	} {
		if _, err := ParseKeysetCursor(bad.cursor, bad.order, bad.n); apperr.CodeOf(err) != apperr.BadUserInput {
			t.Errorf("%s: %v, want BAD_USER_INPUT", name, err)
		}
	}
}
