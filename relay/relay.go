// Package relay encodes the opaque global ids and connection cursors of the Relay server
// specification. Clients must treat both as opaque; the encoding may change.
package relay

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j/dbtype"

	"filmgraph/apperr"
)

// ID returns the global id of the entity of type typeName whose key is key.
func ID(typeName, key string) string {
	return base64.RawURLEncoding.EncodeToString([]byte(typeName + ":" + key))
}

// ParseID splits a global id into its type name and key. A string that is not a global id
// is a BAD_USER_INPUT error. Besides the unpadded URL-safe base64 that ID returns, it
// accepts padded and standard base64 (what btoa and graphql-relay-js's toGlobalId build).
func ParseID(id string) (typeName, key string, err error) {
	raw, decodeErr := decode(id)
	typeName, key, ok := strings.Cut(string(raw), ":")
	if decodeErr != nil || !ok || typeName == "" || key == "" {
		return "", "", apperr.New(apperr.BadUserInput, "%q is not a valid id: use an `id` value returned by this API", quoted(id))
	}
	return typeName, key, nil
}

// ParseIntID parses a global id that must be of type typeName with an integer key.
func ParseIntID(id, typeName string) (int64, error) {
	gotType, key, err := ParseID(id)
	if err != nil {
		return 0, err
	}
	n, convErr := strconv.ParseInt(key, 10, 64)
	if gotType != typeName || convErr != nil {
		return 0, apperr.New(apperr.BadUserInput, "%q is not the id of a %s", quoted(id), typeName)
	}
	return n, nil
}

const cursorPrefix = "offset:"

// Cursor returns the cursor of the item at offset (0-based) in a connection.
func Cursor(offset int) string {
	return base64.RawURLEncoding.EncodeToString([]byte(cursorPrefix + strconv.Itoa(offset)))
}

// MaxCursorOffset is the largest offset a cursor may carry: far beyond any connection of
// the catalogue (the largest, all films, holds about 10,000 at 1x and 100,000 at 10x),
// and small enough that the item after it (offset+1) can never overflow.
const MaxCursorOffset = 1_000_000

// ParseCursor returns the offset of the item after which a page starts; a nil cursor
// means the page starts at the beginning (-1). A cursor that does not decode, or whose
// offset is not a canonical decimal in 0..MaxCursorOffset, is a BAD_USER_INPUT error.
func ParseCursor(cursor *string) (int, error) {
	if cursor == nil {
		return -1, nil
	}
	raw, err := decode(*cursor)
	rest, ok := strings.CutPrefix(string(raw), cursorPrefix)
	n, convErr := strconv.Atoi(rest)
	// Only what Cursor writes is accepted: no sign, no leading zeros, nothing past the
	// maximum (9223372036854775807 would overflow the next offset).
	if err != nil || !ok || convErr != nil || n < 0 || n > MaxCursorOffset || strconv.Itoa(n) != rest {
		return 0, apperr.New(apperr.BadUserInput, "%q is not a valid cursor: pass a `cursor` or `pageInfo.endCursor` value returned by this API", quoted(*cursor))
	}
	return n, nil
}

// decode reads unpadded URL-safe base64 and, for clients that build ids themselves, the
// padded form and the standard alphabet too; each form names the same bytes.
func decode(s string) ([]byte, error) {
	padded, standard := strings.HasSuffix(s, "="), strings.ContainsAny(s, "+/")
	switch {
	case padded && standard:
		return base64.StdEncoding.DecodeString(s)
	case padded:
		return base64.URLEncoding.DecodeString(s)
	case standard:
		return base64.RawStdEncoding.DecodeString(s)
	default:
		return base64.RawURLEncoding.DecodeString(s)
	}
}

// quoted cuts what an error message repeats of a client's value to a readable length, so a
// huge forged id does not make the answer as large as the request.
func quoted(value string) string {
	const keep = 64
	if len(value) <= keep {
		return value
	}
	cut := keep
	for cut > 0 && !utf8.RuneStart(value[cut]) {
		cut--
	}
	return value[:cut] + "..."
}

// Keyset cursors name a position by the order keys of the item there (its sort values
// and, last, its id), not by an offset: a page read after a cursor starts after that
// item even when items were inserted or deleted before it since, so a client paging
// through a growing list neither skips nor repeats items.
const keysetPrefix = "keys:"

// keyset is the encoded body of a keyset cursor: the order it belongs to (a short hash,
// so a cursor of one list or order is refused by another) and the typed key values.
type keyset struct {
	Order string   `json:"o"`
	Keys  []string `json:"k"`
}

// MaxCursorLength bounds what ParseKeysetCursor decodes.
const MaxCursorLength = 4096

// KeysetCursor returns the cursor of the item whose order keys are values, in the order
// named order. Values are what the database returned: nil, bool, int64, float64, string,
// time.Time, dbtype.LocalDateTime or dbtype.Date.
func KeysetCursor(order string, values []any) string {
	keys := make([]string, len(values))
	for i, v := range values {
		keys[i] = encodeKey(v)
	}
	body, _ := json.Marshal(keyset{Order: order, Keys: keys})
	return base64.RawURLEncoding.EncodeToString(append([]byte(keysetPrefix), body...))
}

// ParseKeysetCursor returns the order key values of cursor, which must be a keyset cursor
// of the order named order with n keys. Anything else, including the offset cursors of
// earlier versions, is a BAD_USER_INPUT error.
func ParseKeysetCursor(cursor, order string, n int) ([]any, error) {
	invalid := func(why string) error {
		return apperr.New(apperr.BadUserInput, "%q is not a valid cursor%s: pass a `cursor`, `startCursor` or `endCursor` value this list returned", quoted(cursor), why)
	}
	if len(cursor) > MaxCursorLength {
		return nil, invalid("")
	}
	raw, err := decode(cursor)
	if err != nil {
		return nil, invalid("")
	}
	if strings.HasPrefix(string(raw), cursorPrefix) {
		return nil, invalid(" (a position cursor of an earlier version; start again from the first page)")
	}
	body, ok := strings.CutPrefix(string(raw), keysetPrefix)
	var k keyset
	if !ok || json.Unmarshal([]byte(body), &k) != nil {
		return nil, invalid("")
	}
	if k.Order != order || len(k.Keys) != n {
		return nil, invalid(" for this list and order")
	}
	values := make([]any, n)
	for i, key := range k.Keys {
		v, err := decodeKey(key)
		if err != nil {
			return nil, invalid("")
		}
		values[i] = v
	}
	return values, nil
}

// encodeKey writes a value with its type, so that it goes back to the database as the
// same type (a datetime compares with a datetime, not with its text).
func encodeKey(v any) string {
	switch v := v.(type) {
	case nil:
		return "n:"
	case bool:
		return "b:" + strconv.FormatBool(v)
	case int64:
		return "i:" + strconv.FormatInt(v, 10)
	case float64:
		return "f:" + strconv.FormatFloat(v, 'g', -1, 64)
	case string:
		return "s:" + v
	case time.Time:
		// The database tells an offset ("+01:00") from a named zone, and orders equal
		// instants by zone: the driver marks offsets by the zone name "Offset".
		if zone, _ := v.Zone(); zone != "Offset" {
			return "z:" + v.Location().String() + "|" + v.Format(time.RFC3339Nano)
		}
		return "t:" + v.Format(time.RFC3339Nano)
	case dbtype.LocalDateTime:
		return "l:" + v.Time().Format("2006-01-02T15:04:05.999999999")
	case dbtype.Date:
		return "d:" + v.Time().Format(time.DateOnly)
	}
	return "n:" // not a type any order uses; sorts as a missing value
}

func decodeKey(key string) (any, error) {
	kind, text, ok := strings.Cut(key, ":")
	if !ok {
		return nil, errors.New("untyped key")
	}
	switch kind {
	case "n":
		return nil, nil
	case "b":
		return strconv.ParseBool(text)
	case "i":
		return strconv.ParseInt(text, 10, 64)
	case "f":
		return strconv.ParseFloat(text, 64)
	case "s":
		return text, nil
	case "t":
		t, err := time.Parse(time.RFC3339Nano, text)
		_, offset := t.Zone()
		return t.In(time.FixedZone("Offset", offset)), err
	case "z":
		name, stamp, _ := strings.Cut(text, "|")
		loc, err := time.LoadLocation(name)
		if err != nil {
			return nil, err
		}
		t, err := time.Parse(time.RFC3339Nano, stamp)
		return t.In(loc), err
	case "l":
		t, err := time.Parse("2006-01-02T15:04:05.999999999", text)
		return dbtype.LocalDateTime(t), err
	case "d":
		t, err := time.Parse(time.DateOnly, text)
		return dbtype.Date(t), err
	}
	return nil, errors.New("unknown key type")
}
