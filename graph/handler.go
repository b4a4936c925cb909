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
	"filmgraph/limits"
	"filmgraph/observe"
)

// Options are the GraphQL handler's limits. DefaultOptions gives the documented defaults
// (README, "Settings"); a zero limit means none.
type Options struct {
	// MaxDepth bounds how deep fields nest (FILMGRAPH_MAX_DEPTH).
	MaxDepth int
	// MaxComplexity bounds the estimated cost of an operation (FILMGRAPH_MAX_COMPLEXITY),
	// see Complexity.
	MaxComplexity int
	// MaxAliases bounds the aliased fields of an operation (FILMGRAPH_MAX_ALIASES).
	MaxAliases int
	// MaxTokens bounds the lexical tokens of a query document, so that parsing and
	// validation stay cheap whatever the document (FILMGRAPH_MAX_TOKENS).
	MaxTokens int
	// Introspection answers __schema and __type (FILMGRAPH_INTROSPECTION).
	Introspection bool
	// PersistedQueries is how many automatic persisted queries are kept, least recently
	// used dropped first (FILMGRAPH_APQ_CACHE_SIZE); 0 turns APQ off.
	PersistedQueries int
}

// DefaultOptions are the limits used when nothing is configured.
func DefaultOptions() Options {
	return Options{
		MaxDepth:         15,
		MaxComplexity:    50000,
		MaxAliases:       30,
		MaxTokens:        10000,
		Introspection:    true,
		PersistedQueries: 1000,
	}
}

// NewHandler returns the GraphQL HTTP handler (GET and POST, JSON) over the resolvers, with
// opts' limits. Operations over a limit are rejected before they run, with the limit's
// code (package apperr). Wrap it in observe.Middleware to record requests.
func NewHandler(res *Resolver, log *slog.Logger, opts Options) http.Handler {
	srv := handler.New(NewExecutableSchema(Config{Resolvers: res, Complexity: Complexity()}))
	srv.AddTransport(websocketTransport(res)) // subscriptions (live.go)
	srv.AddTransport(transport.Options{})
	srv.AddTransport(transport.GET{})
	srv.AddTransport(transport.POST{})
	srv.SetQueryCache(lru.New[*ast.QueryDocument](1000))
	if opts.MaxTokens > 0 {
		srv.SetParserTokenLimit(opts.MaxTokens)
	}
	if opts.PersistedQueries > 0 {
		srv.Use(extension.AutomaticPersistedQuery{Cache: lru.New[string](opts.PersistedQueries)})
	}
	srv.Use(requireQuery{}) // after APQ, which may fill the query in
	srv.Use(limits.Operation{MaxDepth: opts.MaxDepth, MaxAliases: opts.MaxAliases, Introspection: opts.Introspection})
	if opts.MaxComplexity > 0 {
		srv.Use(extension.FixedComplexityLimit(opts.MaxComplexity))
	}
	srv.Use(observe.GraphQL{})
	srv.Use(limits.Deadline{})
	srv.AroundFields(publishCommitted(res))
	srv.SetErrorPresenter(presentError(log))
	srv.SetRecoverFunc(func(ctx context.Context, panicked any) error {
		log.ErrorContext(ctx, "panic while resolving", "panic", panicked)
		return apperr.New(apperr.Internal, "internal error")
	})
	return specStatus(srv) // httpstatus.go
}

// presentError gives every error an `extensions.code`. Errors the application raised show
// their client-safe message; anything else is logged and shown as a bare internal error, so
// no Cypher, driver message or stack trace reaches a client. Errors of the server's side
// also carry `extensions.requestId`, the id under which the cause was logged.
func presentError(log *slog.Logger) graphql.ErrorPresenterFunc {
	return func(ctx context.Context, err error) *gqlerror.Error {
		gqlErr := graphql.DefaultErrorPresenter(ctx, err)
		var appErr *apperr.Error
		switch {
		case errors.As(err, &appErr):
			gqlErr.Message = appErr.Message
			setCode(gqlErr, appErr.Code)
			switch appErr.Code {
			case apperr.Internal, apperr.ServiceUnavailable, apperr.Timeout:
				log.ErrorContext(ctx, "request failed", "code", appErr.Code, "path", gqlErr.Path.String(), "error", appErr.Error())
				setRequestID(ctx, gqlErr)
			}
		case gqlErr.Extensions["code"] != nil:
			// parse, validation and limit errors coded by gqlgen or package limits
		case !graphql.HasOperationContext(ctx) || len(gqlErr.Path) == 0 && isRequestError(gqlErr.Message):
			// The request itself could not be read (not JSON, no query, a bad APQ hash):
			// the transport already chose a 4xx status. Its message may quote the body,
			// which may hold a password; cut that off.
			gqlErr.Message, _, _ = strings.Cut(gqlErr.Message, " body:")
			setCode(gqlErr, apperr.BadRequest)
		default:
			log.ErrorContext(ctx, "unexpected error", "path", gqlErr.Path.String(), "error", err)
			gqlErr.Message = "internal error"
			setCode(gqlErr, apperr.Internal)
			setRequestID(ctx, gqlErr)
		}
		code, _ := gqlErr.Extensions["code"].(string)
		observe.FromContext(ctx).AddErrorCode(code)
		return gqlErr
	}
}

// isRequestError recognises the messages of gqlgen's APQ extension for requests it cannot
// use, which it raises once an operation context exists.
func isRequestError(message string) bool {
	for _, prefix := range []string{"invalid APQ extension data", "unsupported APQ version", "provided APQ hash does not match query"} {
		if strings.HasPrefix(message, prefix) {
			return true
		}
	}
	return false
}

func setCode(e *gqlerror.Error, code apperr.Code) {
	if e.Extensions == nil {
		e.Extensions = map[string]any{}
	}
	e.Extensions["code"] = string(code)
}

func setRequestID(ctx context.Context, e *gqlerror.Error) {
	if id := observe.RequestID(ctx); id != "" {
		e.Extensions["requestId"] = id
	}
}
