package relay

import (
	"encoding/base64"
	"testing"

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
