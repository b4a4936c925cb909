package auth

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

var secret = []byte("0123456789abcdef0123456789abcdef")

func TestTokensRoundTripAndFailClosed(t *testing.T) {
	iss := NewIssuer(secret, time.Hour)
	tok, exp, err := iss.Issue(Viewer{UserID: 42, Role: RoleModerator})
	if err != nil || time.Until(exp) < 59*time.Minute {
		t.Fatalf("issue: %v, %v", err, exp)
	}
	if v, err := iss.Parse(tok); err != nil || v != (Viewer{UserID: 42, Role: RoleModerator}) {
		t.Fatalf("parse: %+v, %v", v, err)
	}
	expired, _, _ := NewIssuer(secret, -time.Second).Issue(Viewer{UserID: 42, Role: RoleUser})
	other, _, _ := NewIssuer([]byte("another-secret-another-secret-xx"), time.Hour).Issue(Viewer{UserID: 42, Role: RoleUser})
	none, _ := jwt.NewWithClaims(jwt.SigningMethodNone, jwt.MapClaims{"sub": "42", "role": "MODERATOR", "exp": time.Now().Add(time.Hour).Unix()}).
		SignedString(jwt.UnsafeAllowNoneSignatureType)
	noExpiry, _ := jwt.NewWithClaims(jwt.SigningMethodHS256, jwt.MapClaims{"sub": "42", "role": "USER"}).SignedString(secret)
	badRole, _ := jwt.NewWithClaims(jwt.SigningMethodHS256, jwt.MapClaims{"sub": "42", "role": "ADMIN", "exp": time.Now().Add(time.Hour).Unix()}).SignedString(secret)
	for name, tok := range map[string]string{"expired": expired, "other secret": other, "alg none": none, "no expiry": noExpiry, "unknown role": badRole, "garbage": "x.y.z"} {
		if _, err := iss.Parse(tok); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

func TestPasswords(t *testing.T) {
	h, err := HashPassword("correct horse")
	if err != nil || !strings.HasPrefix(h, "$2a$11$") {
		t.Fatalf("hash %q, %v", h, err)
	}
	if !CheckPassword(&h, "correct horse") || CheckPassword(&h, "wrong horse") || CheckPassword(nil, "correct horse") {
		t.Error("CheckPassword")
	}
	// bcrypt reads 72 bytes: a longer password sharing them must not pass for the stored one.
	long := strings.Repeat("p", MaxPasswordBytes)
	h, _ = HashPassword(long)
	if !CheckPassword(&h, long) || CheckPassword(&h, long+"tail") {
		t.Error("a password past 72 bytes was accepted by its first 72")
	}
}

func TestMiddleware(t *testing.T) {
	iss := NewIssuer(secret, time.Hour)
	var seen *Viewer
	h := iss.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if v, ok := FromContext(r.Context()); ok {
			seen = &v
		}
	}))
	tok, _, _ := iss.Issue(Viewer{UserID: 5, Role: RoleUser})
	for _, c := range []struct {
		header     string
		wantStatus int
		wantViewer bool
	}{
		{"", 200, false},
		{"Bearer " + tok, 200, true},
		{"bearer " + tok, 200, true},
		{"Bearer nonsense", 401, false},
		{"Basic dXNlcjpwYXNz", 401, false},
		{"Bearer", 401, false},
	} {
		seen = nil
		req := httptest.NewRequest(http.MethodPost, "/graphql", nil)
		if c.header != "" {
			req.Header.Set("Authorization", c.header)
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != c.wantStatus || (seen != nil) != c.wantViewer {
			t.Errorf("%q: status %d, viewer %v", c.header, rec.Code, seen)
		}
		if rec.Code == 401 && !strings.Contains(rec.Body.String(), `"code":"UNAUTHENTICATED"`) {
			t.Errorf("%q: body %s", c.header, rec.Body)
		}
	}
}

func TestIssuerFromEnv(t *testing.T) {
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	env := func(m map[string]string) func(string) string { return func(k string) string { return m[k] } }
	if iss, err := IssuerFromEnv(log, env(nil)); err != nil || iss.TTL() != DefaultTTL {
		t.Errorf("defaults: %v", err)
	}
	if iss, err := IssuerFromEnv(log, env(map[string]string{"JWT_SECRET": string(secret), "JWT_TTL": "90m"})); err != nil || iss.TTL() != 90*time.Minute {
		t.Errorf("set: %v", err)
	}
	for _, bad := range []map[string]string{{"JWT_SECRET": "short"}, {"JWT_TTL": "soon"}, {"JWT_TTL": "-1h"}} {
		if _, err := IssuerFromEnv(log, env(bad)); err == nil {
			t.Errorf("%v accepted", bad)
		}
	}
}
