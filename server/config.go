package server

import (
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"filmgraph/graph"
	"filmgraph/limits"
	"filmgraph/store"
)

// config is read from the environment; every setting has a development default. README.md
// ("Settings") documents each variable.
type config struct {
	addr        string // FILMGRAPH_ADDR, default ":8080"
	production  bool   // FILMGRAPH_ENV=production: JSON logs, introspection off by default
	logLevel    slog.Level
	neo4j       store.Config
	bundled     bool   // NEO4J_URI unset: start the bundled Neo4j
	dataDir     string // NEO4J_DATA_DIR, bundled Neo4j's data, default ./.neo4j-data
	bundledPort int    // NEO4J_BUNDLED_PORT, default 0 (any free port)

	graphql         graph.Options
	maxBodyBytes    int64
	requestTimeout  time.Duration
	preStopDelay    time.Duration // FILMGRAPH_PRESTOP_DELAY: served on, not ready, after SIGTERM
	shutdownTimeout time.Duration
	corsOrigins     []string // CORS_ALLOWED_ORIGINS; nil: any origin, without credentials
	getMaxAge       int      // FILMGRAPH_GET_MAX_AGE: seconds anonymous GET answers may be cached
	login           limits.LoginConfig
	signUp          limits.SignUpConfig
	// recommendRefresh is the interval of the refresher of recommendations' similarity
	// edges (FILMGRAPH_RECOMMEND_REFRESH_INTERVAL).
	recommendRefresh time.Duration
	// metricsAddr serves /metrics on an address of its own (FILMGRAPH_METRICS_ADDR), which
	// then is not on addr; "" serves it on addr.
	metricsAddr string
	// natsURL is the NATS server(s) carrying subscriptions' events between replicas
	// (FILMGRAPH_NATS_URL); "" keeps them within this process.
	natsURL string
	// gcPercent is the Go collector's target (GOGC; -1: off), applied by RunCommand.
	gcPercent int
}

// DefaultGCPercent is GOGC's default for filmgraph, where Go's is 100: a request allocates
// far more than the few MB the server keeps alive, so at 100 the collector ran every dozen
// or so movie pages, and each cycle's stop-the-world pauses and CPU fell on the requests
// in flight (README, "Latency of the movie page").
const DefaultGCPercent = 400

func loadConfig() (config, error) {
	cfg := config{
		addr:       env("FILMGRAPH_ADDR", ":8080"),
		production: os.Getenv("FILMGRAPH_ENV") == "production",
		neo4j: store.Config{
			URI:      os.Getenv("NEO4J_URI"),
			Username: env("NEO4J_USERNAME", "neo4j"),
			Password: os.Getenv("NEO4J_PASSWORD"),
			Database: os.Getenv("NEO4J_DATABASE"),
		},
		dataDir: env("NEO4J_DATA_DIR", ".neo4j-data"),
		graphql: graph.DefaultOptions(),
		login:   limits.DefaultLoginConfig,
		signUp:  limits.DefaultSignUpConfig,
	}
	cfg.bundled = cfg.neo4j.URI == ""
	cfg.graphql.Introspection = !cfg.production
	if err := cfg.logLevel.UnmarshalText([]byte(env("FILMGRAPH_LOG_LEVEL", "info"))); err != nil {
		return cfg, fmt.Errorf("FILMGRAPH_LOG_LEVEL: %w", err)
	}
	if origins := os.Getenv("CORS_ALLOWED_ORIGINS"); origins != "" {
		for _, o := range strings.Split(origins, ",") {
			if o = strings.TrimSpace(o); o != "" {
				cfg.corsOrigins = append(cfg.corsOrigins, o)
			}
		}
	}
	var loginPerAddress, loginPerAccount, signUpsPerHour int
	p := parser{}
	p.int("NEO4J_BUNDLED_PORT", &cfg.bundledPort, 0, 65535, 0)
	p.int("FILMGRAPH_MAX_DEPTH", &cfg.graphql.MaxDepth, 0, 1000, cfg.graphql.MaxDepth)
	p.int("FILMGRAPH_MAX_COMPLEXITY", &cfg.graphql.MaxComplexity, 0, 1<<30, cfg.graphql.MaxComplexity)
	p.int("FILMGRAPH_MAX_ALIASES", &cfg.graphql.MaxAliases, 0, 100000, cfg.graphql.MaxAliases)
	p.int("FILMGRAPH_MAX_TOKENS", &cfg.graphql.MaxTokens, 0, 1<<30, cfg.graphql.MaxTokens)
	// The document caps keep validation and the complexity walk short: they cannot be off.
	p.int("FILMGRAPH_MAX_FIELDS", &cfg.graphql.MaxFields, 1, 1e6, cfg.graphql.MaxFields)
	p.int("FILMGRAPH_MAX_SELECTION_FIELDS", &cfg.graphql.MaxSelectionFields, 1, 1e5, cfg.graphql.MaxSelectionFields)
	p.int("FILMGRAPH_MAX_FRAGMENT_SPREADS", &cfg.graphql.MaxFragmentSpreads, 1, 1e5, cfg.graphql.MaxFragmentSpreads)
	p.int("FILMGRAPH_MAX_DIRECTIVES", &cfg.graphql.MaxDirectives, 1, 1000, cfg.graphql.MaxDirectives)
	p.int("FILMGRAPH_MAX_VARIABLES", &cfg.graphql.MaxVariables, 1, 1e5, cfg.graphql.MaxVariables)
	p.int("FILMGRAPH_MAX_VARIABLE_VALUES", &cfg.graphql.MaxVariableValues, 1, 1e7, cfg.graphql.MaxVariableValues)
	p.int("FILMGRAPH_APQ_CACHE_SIZE", &cfg.graphql.PersistedQueries, 0, 1<<24, cfg.graphql.PersistedQueries)
	p.bool("FILMGRAPH_INTROSPECTION", &cfg.graphql.Introspection)
	p.duration("FILMGRAPH_WS_INIT_TIMEOUT", &cfg.graphql.WebsocketInitTimeout, cfg.graphql.WebsocketInitTimeout)
	p.duration("FILMGRAPH_WS_PING_INTERVAL", &cfg.graphql.WebsocketPingInterval, cfg.graphql.WebsocketPingInterval)
	p.int("FILMGRAPH_WS_MAX_SOCKETS", &cfg.graphql.MaxSockets, 1, 1e6, cfg.graphql.MaxSockets)
	p.int("FILMGRAPH_WS_MAX_SOCKETS_PER_ADDRESS", &cfg.graphql.MaxSocketsPerAddress, 1, 1e6, cfg.graphql.MaxSocketsPerAddress)
	p.int("FILMGRAPH_WS_MAX_SUBSCRIPTIONS", &cfg.graphql.MaxSubscriptions, 1, 1e7, cfg.graphql.MaxSubscriptions)
	p.int("FILMGRAPH_WS_MAX_SUBSCRIPTIONS_PER_ADDRESS", &cfg.graphql.MaxSubscriptionsPerAddress, 1, 1e7, cfg.graphql.MaxSubscriptionsPerAddress)
	p.trustedDocuments("FILMGRAPH_TRUSTED_DOCUMENTS", &cfg.graphql.TrustedDocuments)
	p.int64("FILMGRAPH_MAX_BODY_BYTES", &cfg.maxBodyBytes, 1, 1<<30, 1<<20)
	p.duration("FILMGRAPH_REQUEST_TIMEOUT", &cfg.requestTimeout, store.DefaultRequestTimeout)
	p.int("NEO4J_MAX_CONNECTIONS", &cfg.neo4j.MaxConnections, 1, 10000, store.DefaultMaxConnections)
	p.durationOrZero("FILMGRAPH_PRESTOP_DELAY", &cfg.preStopDelay, 5*time.Second)
	p.duration("FILMGRAPH_SHUTDOWN_TIMEOUT", &cfg.shutdownTimeout, 20*time.Second)
	p.int("FILMGRAPH_GET_MAX_AGE", &cfg.getMaxAge, 0, 31536000, 60)
	p.duration("FILMGRAPH_RECOMMEND_REFRESH_INTERVAL", &cfg.recommendRefresh, time.Minute)
	p.int("FILMGRAPH_LOGIN_PER_MINUTE_PER_ADDRESS", &loginPerAddress, 1, 1e6, 10)
	p.int("FILMGRAPH_LOGIN_PER_MINUTE_PER_ACCOUNT", &loginPerAccount, 1, 1e6, 5)
	// The store waits for a pooled connection as long as a request may take.
	cfg.neo4j.RequestTimeout = cfg.requestTimeout
	cfg.login.AddressEvery, cfg.login.AddressBurst = time.Minute/time.Duration(loginPerAddress), loginPerAddress
	cfg.login.AccountEvery, cfg.login.AccountBurst = time.Minute/time.Duration(loginPerAccount), loginPerAccount
	p.int("FILMGRAPH_SIGNUPS_PER_HOUR_PER_ADDRESS", &signUpsPerHour, 1, 1e6, 5)
	cfg.signUp.Every, cfg.signUp.Burst = time.Hour/time.Duration(signUpsPerHour), signUpsPerHour
	p.metricsAddress("FILMGRAPH_METRICS_ADDR", &cfg.metricsAddr, cfg.addr)
	p.natsURL("FILMGRAPH_NATS_URL", &cfg.natsURL)
	p.gcPercent("GOGC", &cfg.gcPercent, DefaultGCPercent)
	return cfg, p.err
}

// metricsAddress reads a listening address (host:port) other than the public one.
func (p *parser) metricsAddress(name string, dst *string, public string) {
	v := os.Getenv(name)
	if v == "" {
		return
	}
	if _, port, err := net.SplitHostPort(v); err != nil || port == "" || v == public {
		p.fail(name, v, "an address such as 127.0.0.1:9090 or :9090, other than FILMGRAPH_ADDR")
		return
	}
	*dst = v
}

func env(name, fallback string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return fallback
}

// parser reads typed settings, keeping the first error.
type parser struct{ err error }

func (p *parser) fail(name, value, want string) {
	if p.err == nil {
		p.err = fmt.Errorf("%s=%q is not %s", name, value, want)
	}
}

func (p *parser) int(name string, dst *int, lo, hi, fallback int) {
	var n int64
	p.int64(name, &n, int64(lo), int64(hi), int64(fallback))
	*dst = int(n)
}

func (p *parser) int64(name string, dst *int64, lo, hi, fallback int64) {
	*dst = fallback
	v := os.Getenv(name)
	if v == "" {
		return
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n < lo || n > hi {
		p.fail(name, v, fmt.Sprintf("a whole number from %d to %d", lo, hi))
		return
	}
	*dst = n
}

func (p *parser) bool(name string, dst *bool) {
	v := os.Getenv(name)
	if v == "" {
		return
	}
	b, err := strconv.ParseBool(v)
	if err != nil {
		p.fail(name, v, "true or false")
		return
	}
	*dst = b
}

func (p *parser) duration(name string, dst *time.Duration, fallback time.Duration) {
	p.durationFrom(name, dst, fallback, false)
}

// durationOrZero is duration for settings that 0 turns off.
func (p *parser) durationOrZero(name string, dst *time.Duration, fallback time.Duration) {
	p.durationFrom(name, dst, fallback, true)
}

// durationFrom reads a positive duration, or 0 too when zeroOff.
func (p *parser) durationFrom(name string, dst *time.Duration, fallback time.Duration, zeroOff bool) {
	*dst = fallback
	v := os.Getenv(name)
	if v == "" {
		return
	}
	d, err := time.ParseDuration(v)
	switch {
	case err == nil && (d > 0 || zeroOff && d == 0):
		*dst = d
	case zeroOff:
		p.fail(name, v, "a duration such as 5s or 0 (off)")
	default:
		p.fail(name, v, "a positive duration such as 10s or 500ms")
	}
}

// MeasuredSettings reads, as the server does, the settings that a program measuring the
// server's handler in its own process (recommend/latency) applies: the Go collector's
// target (GOGC) and how long a request may take (FILMGRAPH_REQUEST_TIMEOUT).
func MeasuredSettings() (gcPercent int, requestTimeout time.Duration, err error) {
	var p parser
	p.gcPercent("GOGC", &gcPercent, DefaultGCPercent)
	p.duration("FILMGRAPH_REQUEST_TIMEOUT", &requestTimeout, store.DefaultRequestTimeout)
	return gcPercent, requestTimeout, p.err
}

// gcPercent reads a GOGC value as the Go runtime takes it: a percentage, or off (-1).
func (p *parser) gcPercent(name string, dst *int, fallback int) {
	if strings.EqualFold(os.Getenv(name), "off") {
		*dst = -1
		return
	}
	p.int(name, dst, 1, 1e6, fallback)
}

// natsURL reads NATS server addresses (comma-separated nats://, tls://, ws:// or wss://
// URLs with a host), as nats.go takes them.
func (p *parser) natsURL(name string, dst *string) {
	v := os.Getenv(name)
	if v == "" {
		return
	}
	for _, one := range strings.Split(v, ",") {
		u, err := url.Parse(strings.TrimSpace(one))
		if err != nil || u.Hostname() == "" || !slices.Contains([]string{"nats", "tls", "ws", "wss"}, u.Scheme) {
			if p.err == nil { // without the value, which may hold a password
				p.err = fmt.Errorf("%s is not NATS server URLs such as nats://nats:4222 (comma-separated)", name)
			}
			return
		}
	}
	*dst = v
}

// trustedDocuments loads the manifest of trusted documents named by the variable, if set.
func (p *parser) trustedDocuments(name string, dst **graph.TrustedDocuments) {
	path := os.Getenv(name)
	if path == "" {
		return
	}
	docs, err := graph.LoadTrustedDocuments(path)
	if err != nil {
		p.fail(name, path, "a persisted query manifest ("+err.Error()+")")
		return
	}
	*dst = docs
}
