package graph

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/vektah/gqlparser/v2/ast"

	"filmgraph/apperr"
	"filmgraph/auth"
	"filmgraph/events"
	"filmgraph/limits"
	"filmgraph/observe"
	"filmgraph/store"
)

// Subscriptions: the WebSocket transport with the token in connection_init, the resolvers'
// event loop. Mutations publish their events themselves once they committed (write.go).

// Close codes of the WebSocket transport. A refused socket's close reason starts with
// the extensions.code of the refusal ("UNAUTHENTICATED: ...", "RATE_LIMITED: ...").
const (
	// CloseUnauthenticated: a connection_init with a bad token (graphql-transport-ws's
	// "Forbidden").
	CloseUnauthenticated = 4403
	// CloseInitTimeout: no connection_init within Options.WebsocketInitTimeout
	// (graphql-transport-ws's "Connection initialisation timeout").
	CloseInitTimeout = 4408
	// CloseTryAgainLater: the client's address, or the server, holds its maximum of sockets
	// (RFC 6455's 1013 "Try Again Later"; graphql-ws clients retry it with backoff, whereas
	// graphql-transport-ws's 4429 means a repeated connection_init and is not retried).
	CloseTryAgainLater = 1013
)

// subprotocols are the ones gqlgen's WebSocket transport speaks.
var subprotocols = []string{"graphql-transport-ws", "graphql-ws"}

// liveTransport is gqlgen's WebSocket transport with filmgraph's bounds: at most
// Options.MaxSocketsPerAddress sockets per client address and Options.MaxSockets in all
// (more are accepted and closed at once with CloseTryAgainLater), connection_init within
// Options.WebsocketInitTimeout (else CloseInitTimeout), and a ping every
// Options.WebsocketPingInterval, a peer that does not answer within two intervals being
// disconnected. The client address is the TCP peer (observe.ClientIP).
type liveTransport struct {
	transport.Websocket
	sockets, subscriptions *limits.Slots
}

// websocketTransport accepts graphql-transport-ws (and the legacy graphql-ws) connections.
// connection_init's payload may carry `Authorization: Bearer <token>` (also accepted as
// `authorization` or `token`); without it the connection is anonymous. A bad token closes
// the connection with CloseUnauthenticated and a reason starting "UNAUTHENTICATED".
func websocketTransport(res *Resolver, opts Options) liveTransport {
	ws := transport.Websocket{
		Implementation: initDeadline{WebsocketImplementation: transport.CoderWebsocketImplementation{}, timeout: opts.WebsocketInitTimeout},
		// graphql-transport-ws: a ping each interval, and a peer silent for two intervals
		// (no pong) is cut off, its subscriptions ended. Legacy graphql-ws gets "ka" messages.
		PingPongInterval:      opts.WebsocketPingInterval,
		KeepAlivePingInterval: opts.WebsocketPingInterval,
		InitFunc: func(ctx context.Context, payload transport.InitPayload) (context.Context, *transport.InitPayload, error) {
			token := bearer(payload)
			if token == "" {
				return ctx, nil, nil
			}
			if res.Auth == nil {
				return ctx, nil, nil
			}
			v, err := res.Auth.Parse(token)
			if err != nil {
				msg := string(apperr.Unauthenticated) + ": the access token is invalid: log in again"
				if ae, ok := err.(*apperr.Error); ok {
					msg = string(ae.Code) + ": " + ae.Message
				}
				ctx = transport.WithWebsocketCloseCode(ctx, CloseUnauthenticated)
				ctx = transport.AppendCloseReason(ctx, msg)
				return ctx, nil, apperr.New(apperr.Unauthenticated, "%s", msg)
			}
			return auth.WithViewer(ctx, v), nil, nil
		},
	}
	return liveTransport{
		Websocket:     ws,
		sockets:       limits.NewSlots(opts.MaxSocketsPerAddress, opts.MaxSockets),
		subscriptions: limits.NewSlots(opts.MaxSubscriptionsPerAddress, opts.MaxSubscriptions),
	}
}

// Do serves one WebSocket for as long as it lives, holding one of its address's sockets.
func (t liveTransport) Do(w http.ResponseWriter, r *http.Request, exec graphql.GraphExecutor) {
	addr := observe.ClientIP(r)
	release, err := t.sockets.Acquire(addr)
	if err != nil {
		reason := string(apperr.RateLimited) + ": too many WebSockets from this address; close one or try again later"
		if errors.Is(err, limits.ErrFull) {
			reason = string(apperr.RateLimited) + ": the server holds its maximum of WebSockets; try again later"
		}
		observe.FromContext(r.Context()).AddErrorCode(string(apperr.RateLimited))
		// Accepted then closed, so that a browser's client sees the code and the reason
		// (a refused upgrade shows it only an abnormal closure).
		conn, err := transport.CoderWebsocketImplementation{}.Accept(w, r, transport.WebsocketAcceptOptions{ResponseHeader: http.Header{}, Subprotocols: subprotocols})
		if err == nil {
			_ = conn.WriteClose(CloseTryAgainLater, reason)
			_ = conn.Close()
		}
		return
	}
	defer release()
	ctx := context.WithValue(r.Context(), socketKey{}, &socket{addr: addr, subscriptions: t.subscriptions})
	t.Websocket.Do(w, r.WithContext(ctx), exec)
}

// socket is what the operations of one WebSocket (or one SSE stream, sse.go) know of it.
type socket struct {
	addr          string
	subscriptions *limits.Slots  // shared by all sockets
	failure       *streamFailure // an SSE stream's; nil on a WebSocket
}

type socketKey struct{}

// initDeadline closes a connection whose first message (connection_init) has not arrived
// within timeout with CloseInitTimeout. (gqlgen's own InitTimeout closes with 1002.)
type initDeadline struct {
	transport.WebsocketImplementation
	timeout time.Duration
}

func (d initDeadline) Accept(w http.ResponseWriter, r *http.Request, opts transport.WebsocketAcceptOptions) (transport.WebsocketConn, error) {
	conn, err := d.WebsocketImplementation.Accept(w, r, opts)
	if err != nil || d.timeout <= 0 {
		return conn, err
	}
	return &awaitingInit{WebsocketConn: conn, timer: time.AfterFunc(d.timeout, func() {
		_ = conn.WriteClose(CloseInitTimeout, "Connection initialisation timeout")
	})}, nil
}

// awaitingInit is a connection whose init deadline runs until its first message arrives.
// It passes on the read limit and read deadlines gqlgen sets.
type awaitingInit struct {
	transport.WebsocketConn
	timer *time.Timer
}

func (c *awaitingInit) NextReader() (int, io.Reader, error) {
	kind, r, err := c.WebsocketConn.NextReader()
	c.timer.Stop()
	return kind, r, err
}

func (c *awaitingInit) SetReadLimit(n int64) {
	if l, ok := c.WebsocketConn.(transport.WebsocketReadLimiter); ok {
		l.SetReadLimit(n)
	}
}

func (c *awaitingInit) SetReadDeadline(t time.Time) error {
	if d, ok := c.WebsocketConn.(transport.WebsocketReadDeadliner); ok {
		return d.SetReadDeadline(t)
	}
	return nil
}

// bearer reads the token from a connection_init payload.
func bearer(p transport.InitPayload) string {
	for _, k := range []string{"Authorization", "authorization"} {
		if s, ok := p[k].(string); ok && s != "" {
			scheme, token, found := strings.Cut(s, " ")
			if found && strings.EqualFold(scheme, "Bearer") {
				return strings.TrimSpace(token)
			}
			return "invalid" // present but not a Bearer token: refused like a bad one
		}
	}
	if s, ok := p["token"].(string); ok {
		return s
	}
	return ""
}

// follow subscribes to (topic, scope) and, for each event, reads the subscription's
// selection with readEvent (one statement) and sends it, until ctx ends. It holds one of
// the client address's subscriptions meanwhile: over the cap it answers RATE_LIMITED.
// An event whose entity can no longer be read (deleted meanwhile: no error, nothing read)
// is skipped. An event whose read fails ends the subscription with that error (coded and
// logged by the error presenter), since the client has missed the event and should read
// afresh and subscribe again.
func follow[T any](ctx context.Context, res *Resolver, topic string, scope any, readEvent func(context.Context, events.Event) (*T, error)) (<-chan *T, error) {
	if res.Events == nil {
		return nil, apperr.New(apperr.Internal, "subscriptions are not enabled")
	}
	sock, _ := ctx.Value(socketKey{}).(*socket)
	if sock == nil {
		return nil, apperr.New(apperr.UnsupportedTransport, "subscriptions are served over WebSocket and SSE only")
	}
	release, err := sock.subscriptions.Acquire(sock.addr)
	switch {
	case errors.Is(err, limits.ErrKeyFull):
		return nil, apperr.New(apperr.RateLimited, "too many subscriptions from this address; complete one first")
	case err != nil:
		return nil, apperr.New(apperr.RateLimited, "the server holds its maximum of subscriptions; try again later")
	}
	in := res.Events.Subscribe(ctx, topic, scope)
	out := make(chan *T)
	go func() {
		defer release()
		defer close(out)
		for e := range in {
			if e.Err != nil { // events were lost for this subscriber
				if ctx.Err() == nil { // the transport reads the error once the subscription ends
					endWithError(ctx, missedEvents(e.Err))
				}
				return
			}
			// After the event's write, which another replica may have made.
			v, err := readEvent(store.AfterBookmarks(ctx, e.Bookmarks), e)
			if err != nil {
				if ctx.Err() == nil { // not a read cut short by the subscription's end
					endWithError(ctx, err)
				}
				return
			}
			if v == nil {
				continue
			}
			select {
			case out <- v:
			case <-ctx.Done():
				return
			}
		}
	}()
	return out, nil
}

// missedEvents is the error that ends a subscription that missed events (see package
// events): SERVICE_UNAVAILABLE, since the client should read afresh and subscribe again.
func missedEvents(cause error) error {
	msg := "live updates were interrupted (the event bus is unreachable) and events may have been missed: read afresh and subscribe again"
	if errors.Is(cause, events.ErrOverflow) {
		msg = "this subscription fell too far behind and missed events: read afresh and subscribe again"
	}
	return apperr.Wrap(apperr.ServiceUnavailable, cause, msg)
}

// endWithError makes the transport end the subscription of ctx with err,
// presented (coded, and logged when the server is at fault) like any resolver error,
// once the subscription's channel closes.
func endWithError(ctx context.Context, err error) {
	presented := graphql.WithFreshResponseContext(ctx)
	graphql.AddError(presented, err)
	if sock, _ := ctx.Value(socketKey{}).(*socket); sock != nil && sock.failure != nil {
		sock.failure.add(graphql.GetErrors(presented)) // an SSE stream (sse.go)
		return
	}
	if failure, _ := ctx.Value(subscriptionFailureKey{}).(*streamFailure); failure != nil {
		failure.add(graphql.GetErrors(presented)) // a WebSocket's, passed on by subscriptionFailures
	}
}

type subscriptionFailureKey struct{}

// subscriptionFailures hands the error that ended a WebSocket subscription to gqlgen's
// transport on the transport's own goroutine. gqlgen reads a subscription's error list
// (transport.AddSubscriptionError) when the subscription ends, without a lock, so the
// resolver's goroutine writing it raced that read. Instead that goroutine records the error
// in the subscription's streamFailure before it closes its channel, and this interceptor,
// which runs when the transport reads the channel's end, passes it on. A subscription the
// client ended first reports nothing, as before.
type subscriptionFailures struct{}

func (subscriptionFailures) ExtensionName() string                   { return "SubscriptionFailures" }
func (subscriptionFailures) Validate(graphql.ExecutableSchema) error { return nil }

func (subscriptionFailures) InterceptOperation(ctx context.Context, next graphql.OperationHandler) graphql.ResponseHandler {
	if graphql.GetOperationContext(ctx).Operation.Operation != ast.Subscription {
		return next(ctx)
	}
	return next(context.WithValue(ctx, subscriptionFailureKey{}, &streamFailure{}))
}

func (subscriptionFailures) InterceptResponse(ctx context.Context, next graphql.ResponseHandler) *graphql.Response {
	response := next(ctx)
	if failure, _ := ctx.Value(subscriptionFailureKey{}).(*streamFailure); response == nil && failure != nil {
		if sock, _ := ctx.Value(socketKey{}).(*socket); sock == nil || sock.failure == nil { // not SSE (sse.go)
			for _, e := range failure.take() {
				transport.AddSubscriptionError(ctx, e)
			}
		}
	}
	return response
}
