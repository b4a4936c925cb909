// Package relay encodes the opaque global ids and connection cursors of the Relay server
// specification. Clients must treat both as opaque; the encoding may change.
package relay

import (
	"encoding/base64"
	"strconv"
	"strings"
	"unicode/utf8"

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
// padded form and the standard alphabet too; each form names the same bytes. Strict:
// the unused bits of the last character must be zero (as every encoder writes them), so
// no two strings of one form name the same bytes.
func decode(s string) ([]byte, error) {
	padded, standard := strings.HasSuffix(s, "="), strings.ContainsAny(s, "+/")
	switch {
	case padded && standard:
		return base64.StdEncoding.Strict().DecodeString(s)
	case padded:
		return base64.URLEncoding.Strict().DecodeString(s)
	case standard:
		return base64.RawStdEncoding.Strict().DecodeString(s)
	default:
		return base64.RawURLEncoding.Strict().DecodeString(s)
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
