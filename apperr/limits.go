package apperr

// Codes of the limits that protect the service (package limits and graph.NewHandler). They
// live in their own file so that features adding codes to apperr.go merge cleanly.
const (
	// DepthLimitExceeded: the operation nests fields deeper than FILMGRAPH_MAX_DEPTH.
	DepthLimitExceeded Code = "DEPTH_LIMIT_EXCEEDED"
	// ComplexityLimitExceeded: the operation's estimated cost exceeds FILMGRAPH_MAX_COMPLEXITY
	// (the code gqlgen's complexity extension uses).
	ComplexityLimitExceeded Code = "COMPLEXITY_LIMIT_EXCEEDED"
	// AliasLimitExceeded: the operation uses more aliases than FILMGRAPH_MAX_ALIASES.
	AliasLimitExceeded Code = "ALIAS_LIMIT_EXCEEDED"
	// IntrospectionDisabled: __schema or __type asked while FILMGRAPH_INTROSPECTION=false.
	IntrospectionDisabled Code = "INTROSPECTION_DISABLED"
	// RequestTooLarge: the request body is larger than FILMGRAPH_MAX_BODY_BYTES.
	RequestTooLarge Code = "REQUEST_TOO_LARGE"
	// Timeout: the request did not finish within FILMGRAPH_REQUEST_TIMEOUT.
	Timeout Code = "TIMEOUT"
	// RateLimited: too many attempts from one client address (log-ins, sign-ups) or on one
	// account from one address (log-ins); the message says how many seconds to wait.
	RateLimited Code = "RATE_LIMITED"
	// PersistedQueryNotFound: an automatic persisted query hash the server does not know
	// (yet); the client then sends the query text with its hash (gqlgen's APQ code).
	PersistedQueryNotFound Code = "PERSISTED_QUERY_NOT_FOUND"
)
