// Package server wires filmgraph: the HTTP server (this file: routes, middleware, health,
// drain and shutdown), its settings (config.go) and what the commands of package cli run
// (commands.go: serve, seed, similar; profile.go, moderator.go), each over the configured or
// the bundled Neo4j.
package server

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"slices"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/klauspost/compress/gzhttp"
	"github.com/rs/cors"

	"filmgraph/auth"
	"filmgraph/docs"
	"filmgraph/events"
	"filmgraph/graph"
	"filmgraph/launcher"
	"filmgraph/lease"
	"filmgraph/limits"
	"filmgraph/observe"
	"filmgraph/recommend"
	"filmgraph/seed"
	"filmgraph/store"
	"filmgraph/web"
)

// liveEvents carries the subscriptions' events when FILMGRAPH_NATS_URL is unset. It is per
// process: with several replicas, set FILMGRAPH_NATS_URL (events.NATS) instead.
var liveEvents = events.NewLocal()

// server is the HTTP side of filmgraph.
type server struct {
	log    *slog.Logger
	db     *store.Store
	cfg    config
	issuer *auth.Issuer // signs and checks the Bearer tokens
	// bundled supervises the bundled Neo4j; nil when NEO4J_URI names the database.
	bundled *launcher.Supervisor
	// events carries the subscriptions' events; nil: liveEvents, within this process.
	events events.Broker
	// draining is set on SIGTERM: /readyz then says not ready, so that a load balancer
	// stops sending requests while the in-flight ones finish.
	draining atomic.Bool
	// refresher keeps the similarity edges current; nil in tests that serve without one.
	refresher *recommend.Refresher
}

// routes wires the API: GraphQL at /graphql (with its limits, request records and
// timeout; subscriptions over WebSocket there too), the web pages at / (GraphiQL, the demo
// movie page and widget), /healthz, /readyz and /metrics.
func (s *server) routes() http.Handler {
	broker := s.events
	if broker == nil {
		broker = liveEvents
	}
	resolver := &graph.Resolver{Store: s.db, Auth: s.issuer, Login: limits.NewLoginLimiter(s.cfg.login),
		SignUps: limits.NewSignUpLimiter(s.cfg.signUp), Events: broker}
	gql := graph.NewHandler(resolver, s.log, s.cfg.graphql)
	gql = graph.Bookmarks(gql) // read-your-writes across replicas
	gql = s.issuer.Middleware(gql)
	gql = graph.CacheGET(s.cfg.getMaxAge, gql)
	gql = limits.Body(s.cfg.maxBodyBytes, gql)
	gql = limits.Timeout(s.cfg.requestTimeout, gql)
	gql = observe.Middleware(s.log, gql)

	mux := http.NewServeMux()
	mux.Handle("/graphql", gql)
	// GraphiQL at /, the demo movie page, the widget and their assets (package web);
	// GraphiQL needs introspection, so it goes with it.
	mux.Handle("/", web.Handler(docs.ExampleOperations()...))
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
	if s.cfg.metricsAddr == "" { // otherwise on its own address only (serveMetrics)
		mux.Handle("GET /metrics", observe.MetricsHandler())
	}
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
		AllowedHeaders: []string{"Content-Type", "Authorization", graph.BookmarkHeader},
		ExposedHeaders: []string{"X-Request-Id", graph.BookmarkHeader},
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
	// Still being computed, but no reason to hold traffic back (see recommend.RefreshRated).
	if s.refresher != nil && s.refresher.BackfillLeft() > 0 {
		checks["recommendations"] = fmt.Sprintf("computing the content neighbours of %d films nobody rated", s.refresher.BackfillLeft())
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
	if cfg.natsURL != "" {
		bus, err := events.ConnectNATS(cfg.natsURL, log)
		if err != nil {
			return err
		}
		defer bus.Close()
		s.events = bus
		log.Info("live updates go through NATS (shared by the replicas)", "connected", bus.Connected())
	}
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
		MaxFilms: recommend.RefreshFilmsPerCycle, Log: logWriter{log: log}, Report: observe.SetRecommendationsPending,
		Backfill: recommend.BackfillFilmsPerCycle, ReportBackfill: observe.SetRecommendationsBackfill}
	s.refresher = refresher
	// One replica of a cluster refreshes at a time (see refresherLease).
	refreshLease := refresherLease(db, cfg.recommendRefresh)
	refresher.Lease = refreshLease
	refreshCtx, stopRefresher := context.WithCancel(ctx)
	refresherDone := make(chan struct{})
	defer func() {
		// Stop, then hand the lease on at once rather than when it lapses.
		stopRefresher()
		<-refresherDone
		releaseCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := refreshLease.Release(releaseCtx); err != nil {
			log.Warn("releasing the refresher's lease (it lapses by itself)", "error", err)
		}
	}()
	go func() { refresher.Run(refreshCtx); close(refresherDone) }()
	if cfg.metricsAddr != "" {
		metrics, err := serveMetrics(log, cfg.metricsAddr)
		if err != nil {
			return fmt.Errorf("FILMGRAPH_METRICS_ADDR: %w", err)
		}
		defer metrics.Close() // after the drain: the drain is worth watching
	}
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

// serveMetrics serves /metrics alone on addr (FILMGRAPH_METRICS_ADDR), e.g. on an address
// that only the monitoring network reaches, so that the public port does not show it.
func serveMetrics(log *slog.Logger, addr string) (*http.Server, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, err
	}
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", observe.MetricsHandler())
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 30 * time.Second,
		WriteTimeout: 30 * time.Second, ErrorLog: slog.NewLogLogger(log.Handler(), slog.LevelWarn)}
	go srv.Serve(ln)
	log.Info("serving /metrics on its own address", "metrics", "http://"+ln.Addr().String()+"/metrics")
	return srv, nil
}

// refresherLease is the lease that lets one replica of a cluster run the refresher. It
// lasts two refresh intervals and each cycle renews it, so it stays with a live holder and
// passes on to another replica within about three intervals of its holder's death.
func refresherLease(db *store.Store, interval time.Duration) *lease.Lease {
	return &lease.Lease{Driver: db.Driver(), Database: db.Database(), Name: "recommend.refresher",
		Holder: lease.HolderID(), TTL: 2 * interval}
}

func portOf(addr string) string {
	for i := len(addr) - 1; i >= 0; i-- {
		if addr[i] == ':' {
			return addr[i:]
		}
	}
	return ""
}

// logWriter sends a component's progress lines (the launcher's, the refresher's) to the
// structured log, each after prefix.
type logWriter struct {
	log    *slog.Logger
	prefix string
}

func (w logWriter) Write(p []byte) (int, error) {
	w.log.Info(w.prefix + string(trimNewline(p)))
	return len(p), nil
}

func trimNewline(p []byte) []byte {
	for len(p) > 0 && (p[len(p)-1] == '\n' || p[len(p)-1] == '\r') {
		p = p[:len(p)-1]
	}
	return p
}
