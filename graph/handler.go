package graph

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"strings"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler"
	"github.com/99designs/gqlgen/graphql/handler/extension"
	"github.com/99designs/gqlgen/graphql/handler/lru"
	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"filmgraph/apperr"
)

// NewHandler returns the GraphQL HTTP handler (GET and POST, JSON) over the resolvers.
func NewHandler(res *Resolver, log *slog.Logger) http.Handler {
	srv := handler.New(NewExecutableSchema(Config{Resolvers: res}))
	srv.AddTransport(websocketTransport(res)) // subscriptions (live.go)
	srv.AddTransport(transport.Options{})
	srv.AddTransport(transport.GET{})
	srv.AddTransport(transport.POST{})
	srv.SetQueryCache(lru.New[*ast.QueryDocument](1000))
	srv.Use(extension.Introspection{})
	srv.AroundFields(publishCommitted(res))
	srv.SetErrorPresenter(presentError(log))
	srv.SetRecoverFunc(func(ctx context.Context, panicked any) error {
		log.ErrorContext(ctx, "panic while resolving", "panic", panicked)
		return apperr.New(apperr.Internal, "internal error")
	})
	return srv
}

// presentError gives every error an `extensions.code`. Errors the application raised show
// their client-safe message; anything else is logged and shown as a bare internal error, so
// no Cypher, driver message or stack trace reaches a client.
func presentError(log *slog.Logger) graphql.ErrorPresenterFunc {
	return func(ctx context.Context, err error) *gqlerror.Error {
		gqlErr := graphql.DefaultErrorPresenter(ctx, err)
		var appErr *apperr.Error
		if errors.As(err, &appErr) {
			gqlErr.Message = appErr.Message
			setCode(gqlErr, appErr.Code)
			if appErr.Code == apperr.Internal || appErr.Code == apperr.ServiceUnavailable {
				log.ErrorContext(ctx, "request failed", "code", appErr.Code, "path", gqlErr.Path.String(), "error", appErr.Error())
			}
			return gqlErr
		}
		if gqlErr.Extensions["code"] != nil {
			return gqlErr // parse and validation errors coded by gqlgen
		}
		if !graphql.HasOperationContext(ctx) {
			// The request itself could not be read (not JSON, no query): the transport
			// already chose a 4xx status. Its message may quote the body; cut that off.
			gqlErr.Message, _, _ = strings.Cut(gqlErr.Message, " body:")
			setCode(gqlErr, apperr.BadRequest)
			return gqlErr
		}
		log.ErrorContext(ctx, "unexpected error", "path", gqlErr.Path.String(), "error", err)
		gqlErr.Message = "internal error"
		setCode(gqlErr, apperr.Internal)
		return gqlErr
	}
}

func setCode(e *gqlerror.Error, code apperr.Code) {
	if e.Extensions == nil {
		e.Extensions = map[string]any{}
	}
	e.Extensions["code"] = string(code)
}
