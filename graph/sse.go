package graph

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"filmgraph/apperr"
	"filmgraph/limits"
	"filmgraph/observe"
)

// Subscriptions over Server-Sent Events, for networks that block WebSockets: the
// graphql-sse protocol's "distinct connections" mode (the `graphql-sse` client's default),
// one POST with `Accept: text/event-stream` per operation, answered with `next` events and
// a `complete` event (gqlgen's SSE transport). Any operation may be sent so; a
// subscription lasts until its client disconnects.
//
// A stream holds one of its address's connection places, shared with the WebSockets
// (Options.MaxSocketsPerAddress, Options.MaxSockets), and its subscription one of the
// subscription places (Options.MaxSubscriptionsPerAddress, Options.MaxSubscriptions), so
// switching transports does not double a client's allowance. A stream over the cap is
// answered 429 RATE_LIMITED before any event.

// eventStream is gqlgen's SSE transport with filmgraph's caps, the token of the request's
// Authorization header (auth.Middleware), and a ping comment every
// Options.WebsocketPingInterval so proxies keep the stream open.
type eventStream struct {
	sse                    graphql.Transport
	sockets, subscriptions *limits.Slots
}

// sseTransport serves event streams sharing live's places.
func sseTransport(live liveTransport, opts Options) eventStream {
	return eventStream{
		sse:           checkedBody{transport.SSE{KeepAlivePingInterval: opts.WebsocketPingInterval}},
		sockets:       live.sockets,
		subscriptions: live.subscriptions,
	}
}

// Supports takes the requests of event-stream clients (graphql-sse asks for
// text/event-stream alone); a client that also takes JSON, as urql does for every
// operation, is answered with JSON by the other transports.
func (t eventStream) Supports(r *http.Request) bool { return t.sse.Supports(r) && !acceptsJSON(r) }

// Do serves one event stream for as long as it lives, holding one of its address's places.
func (t eventStream) Do(w http.ResponseWriter, r *http.Request, exec graphql.GraphExecutor) {
	addr := observe.ClientIP(r)
	release, err := t.sockets.Acquire(addr)
	if err != nil {
		message := "too many streams and WebSockets from this address; close one or try again later"
		if errors.Is(err, limits.ErrFull) {
			message = "the server holds its maximum of streams and WebSockets; try again later"
		}
		w.Header().Set("Retry-After", strconv.Itoa(retryAfterSeconds))
		limits.WriteError(w, r, http.StatusTooManyRequests, apperr.RateLimited, message)
		return
	}
	defer release()
	// The stream lives as long as its client wants, past the server's write timeout; its
	// statements are bounded by the store (as over WebSocket).
	_ = http.NewResponseController(w).SetWriteDeadline(time.Time{})
	s := &socket{addr: addr, subscriptions: t.subscriptions, failure: &streamFailure{}}
	ctx := context.WithValue(r.Context(), socketKey{}, s)
	t.sse.Do(w, r.WithContext(ctx), failureReporter{GraphExecutor: exec, failure: s.failure})
}

// retryAfterSeconds is the Retry-After of a refused stream.
const retryAfterSeconds = 5

// streamFailure holds the error that ended a stream's subscription (see follow), which the
// SSE transport, unlike the WebSocket one, has no place for.
type streamFailure struct {
	mu   sync.Mutex
	errs gqlerror.List
}

func (f *streamFailure) add(errs gqlerror.List) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.errs = append(f.errs, errs...)
}

func (f *streamFailure) take() gqlerror.List {
	f.mu.Lock()
	defer f.mu.Unlock()
	errs := f.errs
	f.errs = nil
	return errs
}

// failureReporter sends the error that ended a subscription as a last `next` event, before
// the transport's `complete`.
type failureReporter struct {
	graphql.GraphExecutor
	failure *streamFailure
}

func (e failureReporter) DispatchOperation(ctx context.Context, oc *graphql.OperationContext) (graphql.ResponseHandler, context.Context) {
	next, ctx := e.GraphExecutor.DispatchOperation(ctx, oc)
	return func(ctx context.Context) *graphql.Response {
		if response := next(ctx); response != nil {
			return response
		}
		if errs := e.failure.take(); len(errs) > 0 {
			return &graphql.Response{Errors: errs}
		}
		return nil
	}, ctx
}
