// Command filmgraph serves the filmgraph GraphQL API over a Neo4j graph of films.
//
//	go run .          serve on :8080; starts and seeds the bundled Neo4j when NEO4J_URI is unset
//	go run . seed     (re)load the bundled seed into the configured Neo4j
//	go run . similar  recompute the similarity edges recommendations read
//	go run . eval     offline evaluation of the recommendations (see recommend/eval)
//	go run . profile  print Neo4j db hits of the example operations in docs/queries
//	go run . moderator <username>   give a member the MODERATOR role (also while serving)
//	go run . schema   print the GraphQL schema as one SDL document (for codegen)
//
// See README.md for the settings.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"slices"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/klauspost/compress/gzhttp"
	"github.com/rs/cors"

	"filmgraph/auth"
	"filmgraph/events"
	"filmgraph/graph"
	"filmgraph/launcher"
	"filmgraph/limits"
	"filmgraph/observe"
	"filmgraph/recommend"
	"filmgraph/seed"
	"filmgraph/store"
	"filmgraph/web"
)

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "filmgraph:", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	command := "serve"
	if len(args) > 0 {
		command = args[0]
	}
	switch command {
	case "serve", "seed", "similar", "profile":
	case "moderator":
		if len(args) != 2 {
			return errors.New("usage: moderator <username>")
		}
	case "eval":
		return runEval(observe.NewLogger(os.Stderr, false, slog.LevelInfo), args[1:])
	case "schema":
		_, err := fmt.Print(graph.SDL())
		return err
	default:
		return fmt.Errorf("unknown command %q: use no argument to serve, or `seed`, `similar`, `eval`, `profile`, `schema` or `moderator <username>`", command)
	}
	cfg, err := loadConfig()
	if err != nil {
		return err
	}
	log := observe.NewLogger(os.Stderr, cfg.production, cfg.logLevel)
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	shutdownTracing, tracing, err := observe.SetupTracing(ctx)
	if err != nil {
		return fmt.Errorf("OpenTelemetry: %w", err)
	}
	defer shutdownTracing(context.Background())
	if tracing {
		log.Info("exporting traces over OTLP/HTTP")
	}

	if command == "moderator" { // also while `go run .` serves the bundled database (moderator.go)
		return runModerator(ctx, log, cfg, args[1], os.Stdout)
	}
	db, bundled, closeDB, err := openDatabase(ctx, log, cfg)
	if err != nil {
		return err
	}
	defer closeDB()

	switch command {
	case "seed":
		if _, err := seed.Load(ctx, db.Driver(), db.Database(), os.Stderr); err != nil {
			return err
		}
		return recommend.Refresh(ctx, db.Driver(), db.Database(), os.Stderr)
	case "similar":
		return recommend.Refresh(ctx, db.Driver(), db.Database(), os.Stderr)
	case "profile":
		if err := ensureSeeded(ctx, log, cfg, db); err != nil {
			return err
		}
		if err := ensureSimilar(ctx, log, cfg, db); err != nil {
			return err
		}
		return profileExamples(ctx, log, cfg, db, "docs/queries", os.Stdout)
	default:
		if err := ensureSeeded(ctx, log, cfg, db); err != nil {
			return err
		}
		if err := ensureSimilar(ctx, log, cfg, db); err != nil {
			return err
		}
		issuer, err := auth.IssuerFromEnv(log, os.Getenv)
		if err != nil {
			return err
		}
		return serve(ctx, log, cfg, db, bundled, issuer)
	}
}

// openDatabase connects to the configured Neo4j, or starts the bundled one under a
// supervisor that restarts it if it dies (nil with NEO4J_URI: that database is not ours to
// restart; the store only watches it). The returned func closes the driver and stops the
// bundled Neo4j.
func openDatabase(ctx context.Context, log *slog.Logger, cfg config) (*store.Store, *launcher.Supervisor, func(), error) {
	var bundled *launcher.Supervisor
	if cfg.bundled {
		dir, err := filepath.Abs(cfg.dataDir)
		if err != nil {
			return nil, nil, nil, err
		}
		log.Info("starting the bundled Neo4j (set NEO4J_URI to use your own)", "dataDir", dir)
		bundled, err = launcher.Supervise(ctx, launcher.SupervisorOptions{
			Options: launcher.Options{DataDir: dir, Port: cfg.bundledPort, Password: cfg.neo4j.Password, Log: logWriter{log}},
			Logger:  log,
		})
		if err != nil {
			return nil, nil, nil, fmt.Errorf("starting the bundled Neo4j: %w", err)
		}
		cfg.neo4j.URI, cfg.neo4j.Username, cfg.neo4j.Password = bundled.URI, bundled.Username, bundled.Password
		log.Info("bundled Neo4j is up", "uri", bundled.URI)
	}
	db, err := store.Open(ctx, cfg.neo4j, 10*time.Second)
	if err != nil {
		if bundled != nil {
			bundled.Stop()
		}
		return nil, nil, nil, err
	}
	return db, bundled, func() {
		db.Close(context.Background())
		if bundled != nil {
			if err := bundled.Stop(); err != nil {
				log.Warn("stopping the bundled Neo4j", "error", err)
			}
		}
	}, nil
}

// ensureSeeded loads the bundled seed into the bundled database the first time; a user's
// own database is only checked, since loading into it is their decision (`seed` command).
func ensureSeeded(ctx context.Context, log *slog.Logger, cfg config, db *store.Store) error {
	seeded, err := seed.Seeded(ctx, db.Driver(), db.Database())
	if err != nil {
		return fmt.Errorf("checking the seed: %w", err)
	}
	switch {
	case seeded:
		// A database seeded by an older filmgraph may lack newer indexes (idempotent).
		if err := seed.EnsureSchema(ctx, db.Driver(), db.Database()); err != nil {
			return err
		}
		// A database seeded by an older filmgraph lacks the case-insensitive account keys.
		unkeyed, err := seed.EnsureAccountKeys(ctx, db.Driver(), db.Database())
		if len(unkeyed) > 0 {
			log.Warn("users share a case-insensitive username or email with an older member and cannot log in until renamed", "usernames", unkeyed)
		}
		return err
	case cfg.bundled:
		log.Info("loading the bundled seed (first start only)")
		_, err := seed.Load(ctx, db.Driver(), db.Database(), os.Stderr)
		return err
	default:
		log.Warn("the database holds no filmgraph seed; run `go run . seed` to load it")
		return nil
	}
}

// ensureSimilar computes the similarity edges of the bundled database on its first start
// (about a minute and a half); on a user's own database run `go run . similar` after `seed`.
func ensureSimilar(ctx context.Context, log *slog.Logger, cfg config, db *store.Store) error {
	if !cfg.bundled {
		return nil
	}
	log.Info("computing the similarity edges of recommendations, if missing (first start only)")
	return recommend.EnsureSimilar(ctx, db.Driver(), db.Database(), os.Stderr)
}

// liveEvents carries the subscriptions' events. It is per process: with several replicas,
// plug an events.Broker over a shared bus instead (see package events).
var liveEvents = events.NewLocal()

// server is the HTTP side of filmgraph.
type server struct {
	log    *slog.Logger
	db     *store.Store
	cfg    config
	issuer *auth.Issuer // signs and checks the Bearer tokens
	// bundled supervises the bundled Neo4j; nil when NEO4J_URI names the database.
	bundled *launcher.Supervisor
	// draining is set on SIGTERM: /readyz then says not ready, so that a load balancer
	// stops sending requests while the in-flight ones finish.
	draining atomic.Bool
}

// routes wires the API: GraphQL at /graphql (with its limits, request records and
// timeout; subscriptions over WebSocket there too), the web pages at / (GraphiQL, the demo
// movie page and widget), /healthz, /readyz and /metrics.
func (s *server) routes() http.Handler {
	resolver := &graph.Resolver{Store: s.db, Auth: s.issuer, Login: limits.NewLoginLimiter(s.cfg.login),
		SignUps: limits.NewSignUpLimiter(s.cfg.signUp), Events: liveEvents}
	gql := graph.NewHandler(resolver, s.log, s.cfg.graphql)
	gql = s.issuer.Middleware(gql)
	gql = graph.CacheGET(s.cfg.getMaxAge, gql)
	gql = limits.Body(s.cfg.maxBodyBytes, gql)
	gql = limits.Timeout(s.cfg.requestTimeout, gql)
	gql = observe.Middleware(s.log, gql)

	mux := http.NewServeMux()
	mux.Handle("/graphql", gql)
	// GraphiQL at /, the demo movie page, the widget and their assets (package web);
	// GraphiQL needs introspection, so it goes with it.
	mux.Handle("/", web.Handler(exampleOperations()...))
	if !s.cfg.graphql.Introspection {
		mux.Handle("GET /{$}", http.NotFoundHandler())
	} else {
		// The schema as one SDL file for codegen; it tells what introspection tells.
		mux.HandleFunc("GET /graphql/schema.graphql", func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", "text/plain; charset=utf-8")
			io.WriteString(w, graph.SDL())
		})
	}
	mux.HandleFunc("GET /healthz", s.healthz)
	mux.HandleFunc("GET /readyz", s.readyz)
	mux.Handle("GET /metrics", observe.MetricsHandler())
	// gzip for clients that accept it, on responses of 1 KiB and more (GraphQL answers,
	// GraphiQL's bundle); WebSocket upgrades pass through.
	return corsFor(s.cfg.corsOrigins).Handler(gzhttp.GzipHandler(mux))
}

// corsFor allows cross-origin requests from origins; with none configured, from any origin
// but without credentials, since `*` together with credentials would let any site act with
// a visitor's cookies.
func corsFor(origins []string) *cors.Cors {
	opts := cors.Options{
		AllowedOrigins: origins,
		AllowedMethods: []string{http.MethodGet, http.MethodPost},
		AllowedHeaders: []string{"Content-Type", "Authorization"},
		ExposedHeaders: []string{"X-Request-Id"},
		MaxAge:         600,
	}
	opts.AllowCredentials = len(origins) > 0 && !slices.Contains(origins, "*")
	if len(origins) == 0 {
		opts.AllowedOrigins = []string{"*"}
	}
	return cors.New(opts)
}

// healthz reports whether this process is alive and able to serve again by itself: 200
// while it runs, also while the bundled Neo4j is restarting, whose state the JSON body
// reports; 503 once that Neo4j is stopped, which nothing but a process restart mends (the
// supervisor never gives up, so that is only at shutdown).
func (s *server) healthz(w http.ResponseWriter, _ *http.Request) {
	status, body := http.StatusOK, map[string]any{"status": "ok"}
	if s.bundled == nil {
		body["neo4j"] = map[string]any{"bundled": false}
	} else {
		st := s.bundled.Status()
		body["neo4j"] = struct {
			Bundled bool `json:"bundled"`
			launcher.Status
		}{true, st}
		if st.State == launcher.Stopped {
			status, body["status"] = http.StatusServiceUnavailable, "the bundled Neo4j is stopped"
		}
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(body)
}

// readyz reports whether this replica should get traffic: not while draining, not while
// the bundled Neo4j is down or restarting, and only when Neo4j answers within a second and
// holds the complete seed (schema and data; seed.Seeded). It answers 200 or 503 with the
// reason, and never waits longer.
func (s *server) readyz(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), time.Second)
	defer cancel()
	status, checks := http.StatusOK, map[string]string{"neo4j": "ok", "seed": "ok"}
	if s.draining.Load() {
		status, checks["server"] = http.StatusServiceUnavailable, "draining"
	}
	bundledDown := false
	if s.bundled != nil {
		st := s.bundled.Status()
		checks["neo4jProcess"] = st.String()
		bundledDown = st.State != launcher.Running
	}
	seeded, err := false, error(nil)
	if !bundledDown { // with no process there is nobody to ask, and a probe need not wait
		seeded, err = seed.Seeded(ctx, s.db.Driver(), s.db.Database())
	}
	switch {
	case bundledDown:
		status, checks["neo4j"], checks["seed"] = http.StatusServiceUnavailable, "down", "unknown"
	case err != nil:
		status, checks["neo4j"], checks["seed"] = http.StatusServiceUnavailable, "unreachable", "unknown"
		s.log.Warn("readiness: Neo4j does not answer", "error", err)
	case !seeded:
		status, checks["seed"] = http.StatusServiceUnavailable, "missing"
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]any{"ready": status == http.StatusOK, "checks": checks})
}

// serve answers requests until ctx ends (SIGINT, SIGTERM), then drains: /readyz turns 503
// at once while everything else is served as before for FILMGRAPH_PRESTOP_DELAY, so that
// load balancers see the 503 and stop sending traffic before any connection is refused;
// then the listener closes and in-flight requests get up to FILMGRAPH_SHUTDOWN_TIMEOUT to
// finish before their connections are closed. A second signal cuts the delay short. The
// caller then closes the driver and stops the bundled Neo4j.
func serve(ctx context.Context, log *slog.Logger, cfg config, db *store.Store, bundled *launcher.Supervisor, issuer *auth.Issuer) error {
	s := &server{log: log, db: db, cfg: cfg, issuer: issuer, bundled: bundled}
	srv := &http.Server{
		Addr:              cfg.addr,
		Handler:           s.routes(),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      cfg.requestTimeout + 10*time.Second,
		IdleTimeout:       2 * time.Minute,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	// Recommendations follow new ratings without a full refresh (see recommend.Refresher).
	refresher := &recommend.Refresher{Driver: db.Driver(), Database: db.Database(), Interval: cfg.recommendRefresh,
		MaxFilms: recommend.RefreshFilmsPerCycle, Log: os.Stderr, Report: observe.SetRecommendationsPending}
	refreshCtx, stopRefresher := context.WithCancel(ctx)
	defer stopRefresher()
	go refresher.Run(refreshCtx)
	errc := make(chan error, 1)
	go func() { errc <- srv.ListenAndServe() }()
	log.Info("filmgraph is serving", "graphql", "http://localhost"+portOf(cfg.addr)+"/graphql", "graphiql", "http://localhost"+portOf(cfg.addr)+"/")

	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	s.draining.Store(true)
	again := make(chan os.Signal, 1)
	signal.Notify(again, os.Interrupt, syscall.SIGTERM)
	defer signal.Stop(again)
	log.Info("shutting down: /readyz answers 503; serving on for the pre-stop delay (signal again to skip it)",
		"preStopDelay", cfg.preStopDelay.String())
	select {
	case <-time.After(cfg.preStopDelay):
	case <-again:
		log.Info("second signal: skipping the rest of the pre-stop delay")
	case err := <-errc:
		return err
	}
	log.Info("closing the listener; draining in-flight requests", "timeout", cfg.shutdownTimeout.String())
	shutdownCtx, cancel := context.WithTimeout(context.Background(), cfg.shutdownTimeout)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil && !errors.Is(err, http.ErrServerClosed) {
		log.Warn("requests still running after the shutdown timeout were cut off", "error", err)
		srv.Close()
	}
	log.Info("drained")
	return nil
}

func portOf(addr string) string {
	for i := len(addr) - 1; i >= 0; i-- {
		if addr[i] == ':' {
			return addr[i:]
		}
	}
	return ""
}

// logWriter sends the launcher's progress lines to the structured log.
type logWriter struct{ log *slog.Logger }

func (w logWriter) Write(p []byte) (int, error) {
	w.log.Info("neo4j: " + string(trimNewline(p)))
	return len(p), nil
}

func trimNewline(p []byte) []byte {
	for len(p) > 0 && (p[len(p)-1] == '\n' || p[len(p)-1] == '\r') {
		p = p[:len(p)-1]
	}
	return p
}
