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
	// FieldLimitExceeded: the document selects more fields, once its fragments are spread,
	// than FILMGRAPH_MAX_FIELDS.
	FieldLimitExceeded Code = "FIELD_LIMIT_EXCEEDED"
	// SelectionLimitExceeded: one selection set of the response gets more fields, once
	// fragments are spread into it and same-named fields merged, than
	// FILMGRAPH_MAX_SELECTION_FIELDS.
	SelectionLimitExceeded Code = "SELECTION_LIMIT_EXCEEDED"
	// FragmentLimitExceeded: the document has more fragment spreads than
	// FILMGRAPH_MAX_FRAGMENT_SPREADS.
	FragmentLimitExceeded Code = "FRAGMENT_LIMIT_EXCEEDED"
	// DirectiveLimitExceeded: more directives at one place than FILMGRAPH_MAX_DIRECTIVES.
	DirectiveLimitExceeded Code = "DIRECTIVE_LIMIT_EXCEEDED"
	// VariableLimitExceeded: an operation declares more variables than
	// FILMGRAPH_MAX_VARIABLES, or the variables hold more values than
	// FILMGRAPH_MAX_VARIABLE_VALUES.
	VariableLimitExceeded Code = "VARIABLE_LIMIT_EXCEEDED"
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
