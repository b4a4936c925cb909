package graph

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/errcode"
	"github.com/99designs/gqlgen/graphql/handler"
	"github.com/99designs/gqlgen/graphql/handler/extension"
	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"filmgraph/apperr"
	"filmgraph/graph/selection"
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
	// MaxFields bounds the fields of a document once its fragments are spread
	// (FILMGRAPH_MAX_FIELDS); MaxSelectionFields the fields that land in one selection set
	// of the response (FILMGRAPH_MAX_SELECTION_FIELDS); MaxFragmentSpreads the fragment
	// spreads written in it (FILMGRAPH_MAX_FRAGMENT_SPREADS); MaxDirectives the directives
	// at one place (FILMGRAPH_MAX_DIRECTIVES); MaxVariables the variables an operation
	// declares (FILMGRAPH_MAX_VARIABLES); MaxVariableValues the values in a request's
	// variables (FILMGRAPH_MAX_VARIABLE_VALUES). They are checked before validation and
	// the complexity walk, which they keep short (limits.Document).
	MaxFields          int
	MaxSelectionFields int
	MaxFragmentSpreads int
	MaxDirectives      int
	MaxVariables       int
	MaxVariableValues  int
	// Introspection answers __schema and __type (FILMGRAPH_INTROSPECTION).
	Introspection bool
	// PersistedQueries is how many automatic persisted queries are kept, least recently
	// used dropped first (FILMGRAPH_APQ_CACHE_SIZE); 0 turns APQ off.
	PersistedQueries int
	// TrustedDocuments, when set, are the only operations the server runs
	// (FILMGRAPH_TRUSTED_DOCUMENTS, trusted.go); APQ is off then.
	TrustedDocuments *TrustedDocuments

	// WebSockets (live.go). WebsocketInitTimeout is how long a socket may wait before its
	// connection_init (FILMGRAPH_WS_INIT_TIMEOUT); WebsocketPingInterval how often the
	// server pings (FILMGRAPH_WS_PING_INTERVAL).
	WebsocketInitTimeout  time.Duration
	WebsocketPingInterval time.Duration
	// MaxSockets and MaxSocketsPerAddress bound the open WebSockets, in all and per client
	// address (FILMGRAPH_WS_MAX_SOCKETS, FILMGRAPH_WS_MAX_SOCKETS_PER_ADDRESS).
	MaxSockets, MaxSocketsPerAddress int
	// MaxSubscriptions and MaxSubscriptionsPerAddress bound the running subscriptions, in
	// all and per client address (FILMGRAPH_WS_MAX_SUBSCRIPTIONS,
	// FILMGRAPH_WS_MAX_SUBSCRIPTIONS_PER_ADDRESS).
	MaxSubscriptions, MaxSubscriptionsPerAddress int
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
		// Generous for real clients (README, "Limits"): the film page selects 69 fields,
		// GraphiQL's introspection query 229; no selection set of theirs has over 15.
		MaxFields:          2000,
		MaxSelectionFields: 200,
		MaxFragmentSpreads: 500,
		MaxDirectives:      10,
		MaxVariables:       100,
		MaxVariableValues:  10000,

		WebsocketInitTimeout:       10 * time.Second,
		WebsocketPingInterval:      25 * time.Second,
		MaxSockets:                 5000,
		MaxSocketsPerAddress:       50,
		MaxSubscriptions:           10000,
		MaxSubscriptionsPerAddress: 100,
	}
}

// The translation cache (selection.Translations) holds at most cachedTranslations statements
// of at most cachedTranslationBytes each, 16 MiB in all: the film page's is about 3 KiB.
const (
	cachedTranslations     = 1000
	cachedTranslationBytes = 16 << 10
)

// NewHandler returns the GraphQL HTTP handler (GET and POST, JSON; WebSocket) over the
// resolvers, with opts' limits. Operations over a limit are rejected before they run, with
// the limit's code (package apperr). Wrap it in observe.Middleware to record requests.
func NewHandler(res *Resolver, log *slog.Logger, opts Options) http.Handler {
	if res.Translations == nil {
		res.Translations = selection.NewTranslations(cachedTranslations, cachedTranslationBytes)
	}
	costs := Complexity()
	srv := handler.New(NewExecutableSchema(Config{Resolvers: res, Complexity: costs}))
	live := websocketTransport(res, opts)
	srv.AddTransport(live)                     // subscriptions (live.go)
	srv.AddTransport(sseTransport(live, opts)) // before POST: subscriptions over SSE (sse.go)
	srv.AddTransport(transport.Options{})
	srv.AddTransport(overHTTP{deferTransport()}) // before POST: @defer over multipart/mixed (stream.go)
	srv.AddTransport(overHTTP{transport.GET{}})
	srv.AddTransport(overHTTP{postTransport{}})
	srv.AddTransport(unsupportedRequest{}) // last: what no transport above takes
	validated := newDocumentCache()        // querycache.go
	pureDataPlans := NewPureDataPlanCache(cachedPureDataPlans, cachedPureDataPlanBytes)
	srv.SetQueryCache(validated)
	if opts.MaxTokens > 0 {
		srv.SetParserTokenLimit(opts.MaxTokens)
	}
	if opts.TrustedDocuments != nil {
		srv.Use(trustedOnly{opts.TrustedDocuments})
	} else if opts.PersistedQueries > 0 {
		srv.Use(extension.AutomaticPersistedQuery{Cache: newPersistedQueryCache(opts.PersistedQueries)})
	}
	// After APQ, which fills in the query of a known hash.
	srv.Use(requireQuery{})
	srv.Use(limits.Document{
		MaxFields:          opts.MaxFields,
		MaxSelectionFields: opts.MaxSelectionFields,
		MaxFragmentSpreads: opts.MaxFragmentSpreads,
		MaxDirectives:      opts.MaxDirectives,
		MaxVariables:       opts.MaxVariables,
		MaxVariableValues:  opts.MaxVariableValues,
		TokenLimit:         opts.MaxTokens,
		Validated:          validated,
	})
	srv.Use(checkTransport{})
	srv.Use(limits.Operation{MaxDepth: opts.MaxDepth, MaxAliases: opts.MaxAliases, Introspection: opts.Introspection})
	srv.Use(selection.DocumentDigest{}) // read by the complexity and translation caches
	if opts.MaxComplexity > 0 {
		srv.Use(newComplexityLimit(opts.MaxComplexity, costs)) // complexitylimit.go
	}
	srv.Use(observe.GraphQL{})
	srv.Use(subscriptionFailures{}) // live.go
	srv.Use(limits.Deadline{})
	srv.Use(pureDataExtension{pureDataPlans})  // puredata.go
	srv.Use(combineRootReads{res.Store})       // rootreads.go; outside checkRepresentations
	srv.AroundResponses(bookmarkExtension)     // bookmark.go
	srv.AroundRootFields(checkRepresentations) // federation (entities.go)
	srv.SetErrorPresenter(presentError(log))
	srv.SetRecoverFunc(func(ctx context.Context, panicked any) error {
		log.ErrorContext(ctx, "panic while resolving", "panic", panicked)
		return apperr.New(apperr.Internal, "internal error")
	})
	return ignoreOtherUpgrades(specStatus(srv)) // httpstatus.go
}

// ignoreOtherUpgrades drops an Upgrade header that does not ask for a WebSocket (such as
// curl's `Upgrade: h2c`), as HTTP/1.1 lets a server do, so that the request is answered
// over plain HTTP; gqlgen would hand any upgrade to its WebSocket transport, which fails.
func ignoreOtherUpgrades(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if up := r.Header.Get("Upgrade"); up != "" && !strings.EqualFold(up, "websocket") {
			r = r.Clone(r.Context())
			r.Header.Del("Upgrade")
		}
		next.ServeHTTP(w, r)
	})
}

func init() {
	// Operations refused by checkTransport are not executed: a GraphQL response without
	// data, with the status overHTTP sets.
	errcode.RegisterErrorType(string(apperr.UnsupportedTransport), errcode.KindProtocol)
}

// overHTTP is an HTTP transport (GET or POST) that tells checkTransport which method
// carries the request, and answers with the status checkTransport chose for an operation
// it refused.
type overHTTP struct{ graphql.Transport }

// carrier is how an HTTP request reached the handler, and what checkTransport decided.
type carrier struct {
	method string
	status int    // when set, the status of the response
	allow  string // with status 405, the Allow header
	// incremental: the transport delivers @defer's parts (multipart/mixed, stream.go).
	incremental bool
}

type carrierKey struct{}

func (t overHTTP) Do(w http.ResponseWriter, r *http.Request, exec graphql.GraphExecutor) {
	if r.Method == http.MethodGet {
		// gqlgen answers these without a code; they are requests this server cannot read.
		q, err := url.ParseQuery(r.URL.RawQuery)
		for _, param := range []string{"variables", "extensions"} {
			if v := q.Get(param); err == nil && v != "" && !json.Valid([]byte(v)) {
				err = errors.New("the " + param + " parameter is not JSON")
			}
		}
		if err != nil {
			limits.WriteError(w, r, http.StatusBadRequest, apperr.BadRequest, "the query string could not be read: "+err.Error())
			return
		}
	}
	c := &carrier{method: r.Method}
	_, c.incremental = t.Transport.(incremental)
	t.Transport.Do(&carrierWriter{ResponseWriter: w, c: c}, r.WithContext(context.WithValue(r.Context(), carrierKey{}, c)), exec)
}

// carrierWriter replaces the status of a response with the carrier's, when it has one.
type carrierWriter struct {
	http.ResponseWriter
	c *carrier
}

func (w *carrierWriter) WriteHeader(status int) {
	if w.c.status != 0 {
		status = w.c.status
		if w.c.allow != "" {
			w.Header().Set("Allow", w.c.allow)
		}
	}
	w.ResponseWriter.WriteHeader(status)
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (w *carrierWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// Flush passes a streaming transport's flushes on (gqlgen asks for an http.Flusher).
func (w *carrierWriter) Flush() { _ = http.NewResponseController(w.ResponseWriter).Flush() }

// checkTransport refuses, before they run, the operations an HTTP request cannot carry:
// subscriptions, which are served over WebSocket only (over HTTP they would wait for an
// event until the request timed out), with 400; and mutations sent with GET, with 405 as
// the GraphQL-over-HTTP spec asks; and @defer over a transport that answers with one JSON
// body, with 400. All are UNSUPPORTED_TRANSPORT. A WebSocket carries every operation.
type checkTransport struct{}

var _ interface {
	graphql.HandlerExtension
	graphql.OperationContextMutator
} = checkTransport{}

// ExtensionName names the extension for gqlgen.
func (checkTransport) ExtensionName() string { return "filmgraph/transport" }

// Validate accepts any schema.
func (checkTransport) Validate(graphql.ExecutableSchema) error { return nil }

// MutateOperationContext refuses the operation when its transport cannot carry it.
func (checkTransport) MutateOperationContext(ctx context.Context, oc *graphql.OperationContext) *gqlerror.Error {
	c, _ := ctx.Value(carrierKey{}).(*carrier)
	if c == nil || oc.Operation == nil {
		return nil
	}
	var err *gqlerror.Error
	switch {
	case oc.Operation.Operation == ast.Subscription:
		c.status = http.StatusBadRequest
		err = gqlerror.Errorf("subscriptions are served over WebSocket (graphql-transport-ws) and SSE (graphql-sse) at /graphql, not over HTTP %s", c.method)
	case oc.Operation.Operation == ast.Mutation && c.method == http.MethodGet:
		c.status, c.allow = http.StatusMethodNotAllowed, http.MethodPost
		err = gqlerror.Errorf("mutations must be sent with POST, not GET")
	case !c.incremental && defers(oc):
		c.status = http.StatusBadRequest
		err = gqlerror.Errorf("@defer is delivered as multipart/mixed: send the operation with POST and `Accept: multipart/mixed` (without it gqlgen would drop the deferred parts)")
	default:
		return nil
	}
	errcode.Set(err, string(apperr.UnsupportedTransport))
	return err
}

// unsupportedRequest answers the requests no transport takes (another method, a POST
// whose body is not JSON) with BAD_REQUEST, where gqlgen would answer "transport not
// supported" without a code.
type unsupportedRequest struct{}

func (unsupportedRequest) Supports(*http.Request) bool { return true }

func (unsupportedRequest) Do(w http.ResponseWriter, r *http.Request, _ graphql.GraphExecutor) {
	if r.Method == http.MethodPost {
		limits.WriteError(w, r, http.StatusUnsupportedMediaType, apperr.BadRequest,
			"a POST to /graphql must have Content-Type: application/json")
		return
	}
	w.Header().Set("Allow", "GET, POST, OPTIONS")
	limits.WriteError(w, r, http.StatusMethodNotAllowed, apperr.BadRequest,
		"/graphql answers GET and POST (and WebSocket upgrades), not "+r.Method)
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
