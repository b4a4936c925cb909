// Package observe gives filmgraph its structured logs, Prometheus metrics and OpenTelemetry
// traces. One *Request travels in each HTTP request's context: the store adds its round
// trips to it, the GraphQL layer its operation name and error codes, and the middleware
// turns it into one log line and the request metrics when the response is written.
//
// What is recorded is chosen so that no secret reaches a log or a label: never variables,
// passwords, tokens or review texts; operation names only when they look like names, and
// only the first maxOperationLabels of them as metric labels.
package observe

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net"
	"net/http"
	"regexp"
	"sync"
	"sync/atomic"
	"time"
)

type ctxKey struct{}

// Request is what the handling of one HTTP request records about itself. Its methods are
// safe for concurrent use and do nothing on a nil *Request, so code running outside a
// request (the seed loader, tests calling the store directly) needs no special case.
type Request struct {
	// ID identifies the request in logs, in the X-Request-Id response header and in the
	// extensions of internal errors shown to the client.
	ID string
	// ClientAddr is the client's IP address (the connection's peer; see ClientIP).
	ClientAddr string

	start      time.Time
	roundTrips atomic.Int64

	mu        sync.Mutex
	operation string
	codes     []string
}

// NewRequest starts recording a request with a fresh id.
func NewRequest(clientAddr string) *Request {
	return &Request{ID: newID(), ClientAddr: clientAddr, start: time.Now()}
}

// WithRequest returns ctx carrying r.
func WithRequest(ctx context.Context, r *Request) context.Context {
	return context.WithValue(ctx, ctxKey{}, r)
}

// FromContext returns the request recorded in ctx, or nil.
func FromContext(ctx context.Context) *Request {
	r, _ := ctx.Value(ctxKey{}).(*Request)
	return r
}

// RequestID returns the id of the request in ctx, or "".
func RequestID(ctx context.Context) string {
	if r := FromContext(ctx); r != nil {
		return r.ID
	}
	return ""
}

// ClientAddr returns the client address of the request in ctx, or "".
func ClientAddr(ctx context.Context) string {
	if r := FromContext(ctx); r != nil {
		return r.ClientAddr
	}
	return ""
}

// AddRoundTrip counts one statement sent to the database for this request.
func (r *Request) AddRoundTrip() {
	if r != nil {
		r.roundTrips.Add(1)
	}
}

// RoundTrips returns how many statements this request has sent to the database.
func (r *Request) RoundTrips() int64 {
	if r == nil {
		return 0
	}
	return r.roundTrips.Load()
}

var operationName = regexp.MustCompile(`^[_A-Za-z][_0-9A-Za-z]{0,63}$`)

// SetOperation records the GraphQL operation name; names that are not GraphQL names of at
// most 64 characters are recorded as "invalid" so a log line stays bounded.
func (r *Request) SetOperation(name string) {
	if r == nil {
		return
	}
	switch {
	case name == "":
		name = "anonymous"
	case !operationName.MatchString(name):
		name = "invalid"
	}
	r.mu.Lock()
	r.operation = name
	r.mu.Unlock()
}

// Operation returns the recorded operation name, or "" when none was executed.
func (r *Request) Operation() string {
	if r == nil {
		return ""
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.operation
}

// AddErrorCode records the extensions.code of one error shown to the client and counts it,
// unless it is a step of the persisted-query handshake (see isHandshake).
func (r *Request) AddErrorCode(code string) {
	if !isHandshake(code) {
		errorsTotal.WithLabelValues(code).Inc()
	}
	if r == nil {
		return
	}
	r.mu.Lock()
	if len(r.codes) < 20 { // a response may carry thousands of errors; the log needs a few
		r.codes = append(r.codes, code)
	}
	r.mu.Unlock()
}

// ErrorCodes returns the codes recorded so far.
func (r *Request) ErrorCodes() []string {
	if r == nil {
		return nil
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.codes...)
}

// Elapsed returns the time since the request started.
func (r *Request) Elapsed() time.Duration { return time.Since(r.start) }

func newID() string {
	b := make([]byte, 8)
	_, _ = rand.Read(b) // never fails on supported platforms
	return hex.EncodeToString(b)
}

// ClientIP returns the IP address of the request's peer. Forwarding headers are ignored on
// purpose: they are set by the client unless a trusted proxy rewrites them, and a limiter
// keyed on them could be bypassed by sending a new value each time.
func ClientIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}
