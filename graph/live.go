package graph

import (
	"context"
	"reflect"
	"strings"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler/transport"

	"filmgraph/apperr"
	"filmgraph/auth"
	"filmgraph/events"
	"filmgraph/relay"
)

// Subscriptions: the WebSocket transport with the token in connection_init, the resolvers'
// event loop, and the publishing of mutations' events once their transaction committed.

// CloseUnauthenticated is the WebSocket close code for a connection_init with a bad
// token: graphql-transport-ws's "Forbidden".
const CloseUnauthenticated = 4403

// websocketTransport accepts graphql-transport-ws (and the legacy graphql-ws) connections.
// connection_init's payload may carry `Authorization: Bearer <token>` (also accepted as
// `authorization` or `token`); without it the connection is anonymous. A bad token closes
// the connection with CloseUnauthenticated and a reason starting "UNAUTHENTICATED".
func websocketTransport(res *Resolver) transport.Websocket {
	return transport.Websocket{
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
// selection with readEvent (one statement) and sends it, until ctx ends. An event whose
// entity can no longer be read (deleted meanwhile) is skipped.
func follow[T any](ctx context.Context, res *Resolver, topic string, scope any, readEvent func(events.Event) (*T, error)) (<-chan *T, error) {
	if res.Events == nil {
		return nil, apperr.New(apperr.Internal, "subscriptions are not enabled")
	}
	in := res.Events.Subscribe(ctx, topic, scope)
	out := make(chan *T)
	go func() {
		defer close(out)
		for e := range in {
			v, err := readEvent(e)
			if err != nil || v == nil {
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

// publishCommitted is a field middleware: when a mutation resolver returned without error,
// its write transaction has committed, and the matching event is published.
func publishCommitted(res *Resolver) graphql.FieldMiddleware {
	return func(ctx context.Context, next graphql.Resolver) (any, error) {
		result, err := next(ctx)
		fc := graphql.GetFieldContext(ctx)
		if err != nil || res.Events == nil || fc == nil || fc.Object != "Mutation" || isNil(result) {
			return result, err
		}
		switch fc.Field.Name {
		case "writeReview":
			if movie, err := relay.ParseIntID(argString(fc, "movieId"), "Movie"); err == nil {
				if key := keyOf(result); key != "" {
					res.Events.Publish(ctx, events.Event{Topic: events.ReviewAdded, Scope: movie, Key: key})
				}
			}
		case "addComment":
			if review, err := parseKey(argString(fc, "reviewId"), "Review"); err == nil {
				if key := keyOf(result); key != "" {
					res.Events.Publish(ctx, events.Event{Topic: events.CommentAdded, Scope: review, Key: key})
				}
			}
		case "rateMovie", "clearRating":
			if movie, err := relay.ParseIntID(argString(fc, "movieId"), "Movie"); err == nil {
				res.Events.Publish(ctx, events.Event{Topic: events.RatingSummaryChanged, Scope: movie, Key: movie})
			}
		}
		return result, err
	}
}

func argString(fc *graphql.FieldContext, name string) string {
	s, _ := fc.Args[name].(string)
	return s
}

// keyOf is the entity key of a mutation's result (a Review or Comment).
func keyOf(result any) string {
	n, ok := result.(interface{ GetID() string })
	if !ok {
		return ""
	}
	_, key, err := relay.ParseID(n.GetID())
	if err != nil {
		return ""
	}
	return key
}

func isNil(v any) bool {
	if v == nil {
		return true
	}
	rv := reflect.ValueOf(v)
	return rv.Kind() == reflect.Pointer && rv.IsNil()
}
