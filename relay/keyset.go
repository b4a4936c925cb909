package relay

import (
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"errors"
	"hash/crc32"
	"hash/fnv"
	"math"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j/dbtype"

	"filmgraph/apperr"
)

// Keyset cursors name a position by the order keys of the item there (its sort values
// and, last, its id), not by an offset: a page read after a cursor starts after that
// item even when items were inserted or deleted before it since, so a client paging
// through a growing list neither skips nor repeats items.
//
// A cursor is, in unpadded URL-safe base64, a short binary form:
//
//	version (1 byte) | order tag (4 bytes) | each key: type (1 byte) and value | checksum (4 bytes)
//
// The order tag (a hash of the order's name) makes a cursor of one list or order refused
// by another instead of being compared with keys it was not made of; the checksum
// (CRC-32 of everything before it) makes a truncated or altered cursor refused instead of
// read as another position. Cursors of the earlier JSON form (keysetPrefix) are still
// read, so a client paging across an upgrade goes on where it was.
const keysetVersion = 1

// MaxCursorLength bounds what ParseKeysetCursor decodes.
const MaxCursorLength = 4096

// Key types of the binary form. Each value is written so that it goes back to the
// database as the same type (a datetime compares with a datetime, not with its text).
const (
	keyNull          byte = 'n'
	keyFalse         byte = 'b'
	keyTrue          byte = 'B'
	keyInt           byte = 'i' // zig-zag varint
	keyFloat         byte = 'f' // IEEE 754 bits, big-endian
	keyString        byte = 's' // uvarint length, UTF-8 bytes
	keyOffsetTime    byte = 't' // varint Unix seconds, uvarint nanoseconds, varint offset seconds
	keyZonedTime     byte = 'z' // uvarint length, zone name, then as keyOffsetTime without the offset
	keyLocalDateTime byte = 'l' // the wall clock read as UTC: varint Unix seconds, uvarint nanoseconds
	keyDate          byte = 'd' // varint days since 1970-01-01
)

// Keyset writes the keyset cursors of one order. Make it once per connection: the order's
// tag is computed once, not per edge.
type Keyset struct {
	order string
	tag   [4]byte
}

// KeysetOf returns the cursor writer of the order named order.
func KeysetOf(order string) Keyset {
	h := fnv.New32a()
	h.Write([]byte(order))
	k := Keyset{order: order}
	binary.BigEndian.PutUint32(k.tag[:], h.Sum32())
	return k
}

// Cursor returns the cursor of the item whose order keys are values. Values are what the
// database returned: nil, bool, int64, float64, string, time.Time, dbtype.LocalDateTime
// or dbtype.Date.
func (k Keyset) Cursor(values []any) string {
	var buf [64]byte
	raw := append(buf[:0], keysetVersion)
	raw = append(raw, k.tag[:]...)
	for _, v := range values {
		raw = appendKey(raw, v)
	}
	raw = binary.BigEndian.AppendUint32(raw, crc32.ChecksumIEEE(raw))
	var text [88]byte // both buffers stay on the stack for keys of usual sizes
	return string(base64.RawURLEncoding.AppendEncode(text[:0], raw))
}

// KeysetCursor returns the cursor of the item whose order keys are values, in the order
// named order (see Keyset.Cursor).
func KeysetCursor(order string, values []any) string {
	return KeysetOf(order).Cursor(values)
}

// ParseKeysetCursor returns the order key values of cursor, which must be a keyset cursor
// of the order named order with n keys, of this version or of the earlier JSON form.
// Anything else, including the offset cursors of earlier versions, is a BAD_USER_INPUT
// error.
func ParseKeysetCursor(cursor, order string, n int) ([]any, error) {
	invalid := func(why string) error {
		return apperr.New(apperr.BadUserInput, "%q is not a valid cursor%s: pass a `cursor`, `startCursor` or `endCursor` value this list returned", quoted(cursor), why)
	}
	if len(cursor) > MaxCursorLength {
		return nil, invalid("")
	}
	raw, err := decode(cursor)
	switch {
	case err != nil || len(raw) == 0:
		return nil, invalid("")
	case raw[0] == keysetVersion:
		return parseBinaryKeys(raw, order, n, invalid)
	case strings.HasPrefix(string(raw), cursorPrefix):
		return nil, invalid(" (a position cursor of an earlier version; start again from the first page)")
	case strings.HasPrefix(string(raw), keysetPrefix):
		return parseJSONKeys(raw, order, n, invalid)
	}
	return nil, invalid("")
}

// parseBinaryKeys reads the binary form: the checksum first (a truncated or altered
// cursor says so, whatever else it holds), then the order, then exactly n keys.
func parseBinaryKeys(raw []byte, order string, n int, invalid func(string) error) ([]any, error) {
	const head, sum = 5, 4
	if len(raw) < head+sum {
		return nil, invalid(" (truncated)")
	}
	body := raw[:len(raw)-sum]
	if crc32.ChecksumIEEE(body) != binary.BigEndian.Uint32(raw[len(raw)-sum:]) {
		return nil, invalid(" (altered or truncated)")
	}
	if want := KeysetOf(order).tag; string(body[1:head]) != string(want[:]) {
		return nil, invalid(" for this list and order")
	}
	rest := body[head:]
	values := make([]any, n)
	for i := range values {
		v, used, err := readKey(rest)
		if err != nil {
			return nil, invalid("")
		}
		values[i], rest = v, rest[used:]
	}
	if len(rest) != 0 {
		return nil, invalid(" for this list and order")
	}
	return values, nil
}

// appendKey appends v with its type (see the key types above).
func appendKey(raw []byte, v any) []byte {
	switch v := v.(type) {
	case bool:
		if v {
			return append(raw, keyTrue)
		}
		return append(raw, keyFalse)
	case int64:
		return binary.AppendVarint(append(raw, keyInt), v)
	case float64:
		return binary.BigEndian.AppendUint64(append(raw, keyFloat), math.Float64bits(v))
	case string:
		raw = binary.AppendUvarint(append(raw, keyString), uint64(len(v)))
		return append(raw, v...)
	case time.Time:
		// The database tells an offset ("+01:00") from a named zone, and orders equal
		// instants by zone: the driver marks offsets by the zone name "Offset".
		if zone, offset := v.Zone(); zone == "Offset" {
			raw = appendInstant(append(raw, keyOffsetTime), v)
			return binary.AppendVarint(raw, int64(offset))
		}
		name := v.Location().String()
		raw = binary.AppendUvarint(append(raw, keyZonedTime), uint64(len(name)))
		return appendInstant(append(raw, name...), v)
	case dbtype.LocalDateTime:
		t := v.Time()
		wall := time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), t.Nanosecond(), time.UTC)
		return appendInstant(append(raw, keyLocalDateTime), wall)
	case dbtype.Date:
		t := v.Time()
		days := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC).Unix() / 86400
		return binary.AppendVarint(append(raw, keyDate), days)
	}
	return append(raw, keyNull) // nil, or not a type any order uses: sorts as a missing value
}

func appendInstant(raw []byte, t time.Time) []byte {
	return binary.AppendUvarint(binary.AppendVarint(raw, t.Unix()), uint64(t.Nanosecond()))
}

// Bounds of what a cursor's times may hold: the years RFC 3339 writes (what the earlier
// form accepted), and the offsets the database allows.
var (
	minInstant = time.Date(0, 1, 1, 0, 0, 0, 0, time.UTC).Unix()
	maxInstant = time.Date(9999, 12, 31, 23, 59, 59, 0, time.UTC).Unix()
)

const maxOffset = 18 * 3600

var errBadKey = errors.New("malformed key")

// readKey reads one key from raw, returning its value and the bytes it used.
func readKey(raw []byte) (any, int, error) {
	if len(raw) == 0 {
		return nil, 0, errBadKey
	}
	kind, rest := raw[0], raw[1:]
	used := func(r []byte) int { return len(raw) - len(r) }
	switch kind {
	case keyNull:
		return nil, 1, nil
	case keyFalse, keyTrue:
		return kind == keyTrue, 1, nil
	case keyInt:
		v, n := binary.Varint(rest)
		if n <= 0 {
			return nil, 0, errBadKey
		}
		return v, 1 + n, nil
	case keyFloat:
		if len(rest) < 8 {
			return nil, 0, errBadKey
		}
		return math.Float64frombits(binary.BigEndian.Uint64(rest)), 9, nil
	case keyString:
		s, r, err := readString(rest)
		return s, used(r), err
	case keyOffsetTime:
		t, r, err := readInstant(rest)
		if err != nil {
			return nil, 0, err
		}
		offset, n := binary.Varint(r)
		if n <= 0 || offset < -maxOffset || offset > maxOffset {
			return nil, 0, errBadKey
		}
		return t.In(time.FixedZone("Offset", int(offset))), used(r[n:]), nil
	case keyZonedTime:
		name, r, err := readString(rest)
		if err != nil || name == "" || name == "Local" {
			return nil, 0, errBadKey
		}
		loc, err := time.LoadLocation(name)
		if err != nil {
			return nil, 0, errBadKey
		}
		t, r, err := readInstant(r)
		if err != nil {
			return nil, 0, err
		}
		return t.In(loc), used(r), nil
	case keyLocalDateTime:
		t, r, err := readInstant(rest)
		return dbtype.LocalDateTime(t), used(r), err
	case keyDate:
		days, n := binary.Varint(rest)
		if n <= 0 || days < minInstant/86400 || days > maxInstant/86400 {
			return nil, 0, errBadKey
		}
		return dbtype.Date(time.Unix(days*86400, 0).UTC()), 1 + n, nil
	}
	return nil, 0, errBadKey
}

// readString reads a length-prefixed UTF-8 string.
func readString(raw []byte) (string, []byte, error) {
	size, n := binary.Uvarint(raw)
	if n <= 0 || size > uint64(len(raw)-n) || !utf8.Valid(raw[n:n+int(size)]) {
		return "", nil, errBadKey
	}
	return string(raw[n : n+int(size)]), raw[n+int(size):], nil
}

// readInstant reads Unix seconds and nanoseconds within the bounds above, in UTC.
func readInstant(raw []byte) (time.Time, []byte, error) {
	sec, n := binary.Varint(raw)
	if n <= 0 || sec < minInstant || sec > maxInstant {
		return time.Time{}, nil, errBadKey
	}
	nsec, m := binary.Uvarint(raw[n:])
	if m <= 0 || nsec >= 1e9 {
		return time.Time{}, nil, errBadKey
	}
	return time.Unix(sec, int64(nsec)).UTC(), raw[n+m:], nil
}

// The earlier form, still read: "keys:" and JSON of the order's name and the keys, each
// written as its type letter, a colon and its text.
const keysetPrefix = "keys:"

type keyset struct {
	Order string   `json:"o"`
	Keys  []string `json:"k"`
}

// parseJSONKeys reads a cursor of the earlier form.
func parseJSONKeys(raw []byte, order string, n int, invalid func(string) error) ([]any, error) {
	var k keyset
	if json.Unmarshal(raw[len(keysetPrefix):], &k) != nil {
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
