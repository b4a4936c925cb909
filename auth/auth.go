// Package auth holds what filmgraph knows about who is asking: password hashing (bcrypt),
// access tokens (JWT, HS256) and the HTTP middleware that puts the viewer in the request
// context. It knows nothing of the database.
package auth

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"golang.org/x/crypto/bcrypt"

	"filmgraph/apperr"
)

// Roles a user can have. A moderator is made by the `moderator` CLI subcommand, never by
// the API.
const (
	RoleUser      = "USER"
	RoleModerator = "MODERATOR"
)

// Viewer is the authenticated user a request acts for.
type Viewer struct {
	UserID int64
	Role   string
}

// IsModerator reports whether the viewer's token carries the moderator role.
func (v Viewer) IsModerator() bool { return v.Role == RoleModerator }

type viewerKey struct{}

// WithViewer returns ctx carrying v.
func WithViewer(ctx context.Context, v Viewer) context.Context {
	return context.WithValue(ctx, viewerKey{}, v)
}

// FromContext returns the request's viewer; ok is false for an anonymous request.
func FromContext(ctx context.Context) (v Viewer, ok bool) {
	v, ok = ctx.Value(viewerKey{}).(Viewer)
	return v, ok
}

// Require returns the viewer, or an UNAUTHENTICATED error for an anonymous request.
func Require(ctx context.Context) (Viewer, error) {
	v, ok := FromContext(ctx)
	if !ok {
		return Viewer{}, apperr.New(apperr.Unauthenticated, "log in first: send `Authorization: Bearer <token>` with a token from signUp or logIn")
	}
	return v, nil
}

// BcryptCost is the work factor of stored password hashes.
const BcryptCost = 11

// MaxPasswordBytes is the longest password bcrypt reads whole: it ignores every byte past
// the 72nd, so a longer password would be equal to all others sharing its first 72 bytes.
// signUp refuses longer ones, and CheckPassword never accepts them.
const MaxPasswordBytes = 72

// HashPassword returns the bcrypt hash of password.
func HashPassword(password string) (string, error) {
	h, err := bcrypt.GenerateFromPassword([]byte(password), BcryptCost)
	return string(h), err
}

var (
	dummyOnce sync.Once
	dummyHash []byte
)

// CheckPassword reports whether password matches hash. A nil hash (unknown user, or a
// user without a password) and a password longer than MaxPasswordBytes (which bcrypt would
// compare by its first 72 bytes only) are compared against a dummy hash of the same cost
// instead, so every path takes the same time and the caller answers all with the same
// message.
func CheckPassword(hash *string, password string) bool {
	dummyOnce.Do(func() {
		dummyHash, _ = bcrypt.GenerateFromPassword([]byte(rand.Text()), BcryptCost)
	})
	if hash == nil || *hash == "" || len(password) > MaxPasswordBytes {
		bcrypt.CompareHashAndPassword(dummyHash, []byte(password))
		return false
	}
	return bcrypt.CompareHashAndPassword([]byte(*hash), []byte(password)) == nil
}

// Issuer signs and verifies access tokens with one HS256 secret.
type Issuer struct {
	secret []byte
	ttl    time.Duration
	now    func() time.Time
}

// DefaultTTL is how long a token is valid when JWT_TTL is unset.
const DefaultTTL = 24 * time.Hour

// NewIssuer returns an Issuer signing with secret, whose tokens expire after ttl.
func NewIssuer(secret []byte, ttl time.Duration) *Issuer {
	return &Issuer{secret: secret, ttl: ttl, now: time.Now}
}

// IssuerFromEnv reads JWT_SECRET (at least 32 bytes) and JWT_TTL (a Go duration, default
// 24h). Without JWT_SECRET a random secret is generated and a warning logged: tokens then
// stop working when the process restarts, which is fine in development only.
func IssuerFromEnv(log *slog.Logger, getenv func(string) string) (*Issuer, error) {
	ttl := DefaultTTL
	if s := getenv("JWT_TTL"); s != "" {
		d, err := time.ParseDuration(s)
		if err != nil || d <= 0 {
			return nil, fmt.Errorf("JWT_TTL=%q is not a positive duration such as 24h", s)
		}
		ttl = d
	}
	secret := []byte(getenv("JWT_SECRET"))
	switch {
	case len(secret) == 0:
		secret = []byte(rand.Text() + rand.Text())
		log.Warn("JWT_SECRET is unset: using a random secret, so tokens die with this process (set it in production)")
	case len(secret) < 32:
		return nil, errors.New("JWT_SECRET must be at least 32 bytes long")
	}
	return NewIssuer(secret, ttl), nil
}

// TTL is the lifetime of the tokens this issuer signs.
func (i *Issuer) TTL() time.Duration { return i.ttl }

type claims struct {
	Role string `json:"role"`
	jwt.RegisteredClaims
}

// Issue signs a token for v and returns it with its expiry.
func (i *Issuer) Issue(v Viewer) (string, time.Time, error) {
	now := i.now()
	exp := now.Add(i.ttl)
	tok := jwt.NewWithClaims(jwt.SigningMethodHS256, claims{
		Role: v.Role,
		RegisteredClaims: jwt.RegisteredClaims{
			Subject:   strconv.FormatInt(v.UserID, 10),
			IssuedAt:  jwt.NewNumericDate(now),
			ExpiresAt: jwt.NewNumericDate(exp),
		},
	})
	s, err := tok.SignedString(i.secret)
	return s, exp, err
}

// Parse verifies a token (signature, algorithm, expiry) and returns its viewer. Any
// failure is an UNAUTHENTICATED error.
func (i *Issuer) Parse(token string) (Viewer, error) {
	var c claims
	_, err := jwt.ParseWithClaims(token, &c, func(*jwt.Token) (any, error) { return i.secret, nil },
		jwt.WithValidMethods([]string{jwt.SigningMethodHS256.Alg()}), jwt.WithExpirationRequired(),
		jwt.WithTimeFunc(i.now))
	if err != nil {
		msg := "the access token is invalid: log in again"
		if errors.Is(err, jwt.ErrTokenExpired) {
			msg = "the access token has expired: log in again"
		}
		return Viewer{}, apperr.Wrap(apperr.Unauthenticated, err, msg)
	}
	id, err := strconv.ParseInt(c.Subject, 10, 64)
	if err != nil || (c.Role != RoleUser && c.Role != RoleModerator) {
		return Viewer{}, apperr.New(apperr.Unauthenticated, "the access token is invalid: log in again")
	}
	return Viewer{UserID: id, Role: c.Role}, nil
}

// Middleware puts the viewer of an `Authorization: Bearer <token>` header in the request
// context. Without the header the request is anonymous; a header with a bad or expired
// token is answered at once with a GraphQL error coded UNAUTHENTICATED (HTTP 401), never
// silently treated as anonymous.
func (i *Issuer) Middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		header := r.Header.Get("Authorization")
		if header == "" {
			next.ServeHTTP(w, r)
			return
		}
		scheme, token, _ := strings.Cut(header, " ")
		if !strings.EqualFold(scheme, "Bearer") || strings.TrimSpace(token) == "" {
			unauthenticated(w, "the Authorization header must be `Bearer <token>`")
			return
		}
		v, err := i.Parse(strings.TrimSpace(token))
		if err != nil {
			unauthenticated(w, err.(*apperr.Error).Message)
			return
		}
		next.ServeHTTP(w, r.WithContext(WithViewer(r.Context(), v)))
	})
}

func unauthenticated(w http.ResponseWriter, message string) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("WWW-Authenticate", `Bearer error="invalid_token"`)
	w.WriteHeader(http.StatusUnauthorized)
	json.NewEncoder(w).Encode(map[string]any{"errors": []any{map[string]any{
		"message": message, "extensions": map[string]any{"code": string(apperr.Unauthenticated)},
	}}})
}
