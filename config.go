package main

import (
	"fmt"
	"log/slog"
	"os"
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
	shutdownTimeout time.Duration
	corsOrigins     []string // CORS_ALLOWED_ORIGINS; nil: any origin, without credentials
	login           limits.LoginConfig
	// recommendRefresh is the interval of the refresher of recommendations' similarity
	// edges (FILMGRAPH_RECOMMEND_REFRESH_INTERVAL).
	recommendRefresh time.Duration
}

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
	var loginPerAddress, loginPerAccount int
	p := parser{}
	p.int("NEO4J_BUNDLED_PORT", &cfg.bundledPort, 0, 65535, 0)
	p.int("FILMGRAPH_MAX_DEPTH", &cfg.graphql.MaxDepth, 0, 1000, cfg.graphql.MaxDepth)
	p.int("FILMGRAPH_MAX_COMPLEXITY", &cfg.graphql.MaxComplexity, 0, 1<<30, cfg.graphql.MaxComplexity)
	p.int("FILMGRAPH_MAX_ALIASES", &cfg.graphql.MaxAliases, 0, 100000, cfg.graphql.MaxAliases)
	p.int("FILMGRAPH_MAX_TOKENS", &cfg.graphql.MaxTokens, 0, 1<<30, cfg.graphql.MaxTokens)
	p.int("FILMGRAPH_APQ_CACHE_SIZE", &cfg.graphql.PersistedQueries, 0, 1<<24, cfg.graphql.PersistedQueries)
	p.bool("FILMGRAPH_INTROSPECTION", &cfg.graphql.Introspection)
	p.int64("FILMGRAPH_MAX_BODY_BYTES", &cfg.maxBodyBytes, 1, 1<<30, 1<<20)
	p.duration("FILMGRAPH_REQUEST_TIMEOUT", &cfg.requestTimeout, 10*time.Second)
	p.duration("FILMGRAPH_SHUTDOWN_TIMEOUT", &cfg.shutdownTimeout, 20*time.Second)
	p.duration("FILMGRAPH_RECOMMEND_REFRESH_INTERVAL", &cfg.recommendRefresh, time.Minute)
	p.int("FILMGRAPH_LOGIN_PER_MINUTE_PER_ADDRESS", &loginPerAddress, 1, 1e6, 10)
	p.int("FILMGRAPH_LOGIN_PER_MINUTE_PER_ACCOUNT", &loginPerAccount, 1, 1e6, 5)
	cfg.login.AddressEvery, cfg.login.AddressBurst = time.Minute/time.Duration(loginPerAddress), loginPerAddress
	cfg.login.AccountEvery, cfg.login.AccountBurst = time.Minute/time.Duration(loginPerAccount), loginPerAccount
	return cfg, p.err
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
	*dst = fallback
	v := os.Getenv(name)
	if v == "" {
		return
	}
	d, err := time.ParseDuration(v)
	if err != nil || d <= 0 {
		p.fail(name, v, "a positive duration such as 10s or 500ms")
		return
	}
	*dst = d
}
