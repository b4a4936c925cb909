package relay

import (
	"encoding/base64"
	"encoding/binary"
	"hash/crc32"
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

// The two cursors below were built outside Go (Python's struct, zlib and base64 modules)
// for the keys false, 4.25 and 318 of the order "ord": the binary form this version
// writes, and the JSON form of the earlier version, which clients may still hold.
const (
	binaryCursor = "AZkd66BiZkARAAAAAAAAafwEeJOYfA"
	jsonCursor   = "a2V5czp7Im8iOiJvcmQiLCJrIjpbImI6ZmFsc2UiLCJmOjQuMjUiLCJpOjMxOCJdfQ"
)

func TestKeysetCursorsAreShortBinaryAndReadTheEarlierForm(t *testing.T) {
	keys := []any{false, 4.25, int64(318)}
	if got := KeysetCursor("ord", keys); got != binaryCursor {
		t.Errorf("KeysetCursor = %q, want %q", got, binaryCursor)
	}
	for _, c := range []string{binaryCursor, jsonCursor, binaryCursor + "==" /* padded */} {
		got, err := ParseKeysetCursor(c, "ord", 3)
		if err != nil || len(got) != 3 || got[0] != false || got[1] != 4.25 || got[2] != int64(318) {
			t.Errorf("ParseKeysetCursor(%q) = %#v, %v; want %v", c, got, err, keys)
		}
	}
}

func TestKeysetCursorsRefuseWhatTheyDidNotWrite(t *testing.T) {
	raw, _ := base64.RawURLEncoding.DecodeString(binaryCursor)
	encode := func(b []byte) string { return base64.RawURLEncoding.EncodeToString(b) }
	altered := append([]byte{}, raw...)
	altered[7]++ // the float's bits
	// A well-formed cursor with a valid checksum but a key the order does not have: a
	// forgery by someone who read this code.
	forged := append([]byte{}, raw[:len(raw)-4]...)
	forged = append(forged, 'x')
	forged = binary.BigEndian.AppendUint32(forged, crc32.ChecksumIEEE(forged))
	cases := map[string]struct {
		cursor, order string
		n             int
		mention       string
	}{
		"truncated":                {encode(raw[:len(raw)-3]), "ord", 3, "altered or truncated"},
		"cut to its header":        {encode(raw[:6]), "ord", 3, "truncated"},
		"altered":                  {encode(altered), "ord", 3, "altered or truncated"},
		"a character changed":      {"AZkd66BiZkARAAAAAAAAagwEeJOYfA", "ord", 3, "altered or truncated"},
		"unused bits set":          {"AZkd66BiZkARAAAAAAAAafwEeJOYfB", "ord", 3, "not a valid cursor"},
		"another order":            {binaryCursor, "other", 3, "for this list and order"},
		"another order, old form":  {jsonCursor, "other", 3, "for this list and order"},
		"fewer keys than written":  {binaryCursor, "ord", 2, "not a valid cursor"},
		"more keys than written":   {binaryCursor, "ord", 4, "not a valid cursor"},
		"an extra key, re-summed":  {encode(forged), "ord", 3, "not a valid cursor"},
		"another version":          {encode(append([]byte{2}, raw[1:]...)), "ord", 3, "not a valid cursor"},
		"empty":                    {"", "ord", 3, "not a valid cursor"},
		"an offset cursor (older)": {Cursor(3), "ord", 3, "earlier version"},
	}
	for name, c := range cases {
		_, err := ParseKeysetCursor(c.cursor, c.order, c.n)
		if apperr.CodeOf(err) != apperr.BadUserInput || !strings.Contains(err.Error(), c.mention) {
			t.Errorf("%s: %v, want BAD_USER_INPUT mentioning %q", name, err, c.mention)
		}
	}
}

// Keys are checked after the checksum too: a forger who recomputes it still cannot send
// the database a string that is not UTF-8, a time out of range or an unknown zone.
func TestKeysetCursorsCheckTheirKeys(t *testing.T) {
	sum := func(keys ...byte) string {
		k := KeysetOf("ord")
		raw := append(append([]byte{keysetVersion}, k.tag[:]...), keys...)
		return base64.RawURLEncoding.EncodeToString(binary.BigEndian.AppendUint32(raw, crc32.ChecksumIEEE(raw)))
	}
	zone := func(name string) []byte {
		return append(append([]byte{keyZonedTime, byte(len(name))}, name...), 0, 0)
	}
	for name, c := range map[string]string{
		"invalid UTF-8":            sum(keyString, 2, 0xff, 0xfe),
		"a string past the end":    sum(keyString, 9, 'a'),
		"a year past 9999":         sum(binary.AppendVarint([]byte{keyOffsetTime}, maxInstant+1)...),
		"nanoseconds past 1e9":     sum(append(binary.AppendVarint([]byte{keyLocalDateTime}, 0), 0x80, 0x94, 0xeb, 0xdc, 0x03)...),
		"an offset of a day":       sum(append([]byte{keyOffsetTime, 0, 0}, binary.AppendVarint(nil, 24*3600)...)...),
		"an unknown zone":          sum(zone("Mars/Olympus")...),
		"a path as zone":           sum(zone("../../etc/passwd")...),
		"a float cut short":        sum(keyFloat, 1, 2),
		"a varint that never ends": sum(keyInt, 0xff, 0xff),
	} {
		if _, err := ParseKeysetCursor(c, "ord", 1); apperr.CodeOf(err) != apperr.BadUserInput {
			t.Errorf("%s: %v, want BAD_USER_INPUT", name, err)
		}
	}
	if got, err := ParseKeysetCursor(sum(zone("Europe/Paris")...), "ord", 1); err != nil || got[0].(time.Time).Location().String() != "Europe/Paris" {
		t.Errorf("a zoned time at the epoch: %v, %v", got, err)
	}
}
