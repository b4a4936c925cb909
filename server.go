// Command filmgraph serves the filmgraph GraphQL API over a Neo4j graph of films.
//
//	go run .          serve on :8080; starts and seeds the bundled Neo4j when NEO4J_URI is unset
//	go run . seed     (re)load the bundled seed into the configured Neo4j
//	go run . profile  print Neo4j db hits of the example operations in docs/queries
//	go run . moderator <username>   give a member the MODERATOR role
//
// See README.md for the settings.
package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"syscall"
	"time"

	"github.com/99designs/gqlgen/graphql/playground"
	"github.com/rs/cors"

	"filmgraph/auth"
	"filmgraph/graph"
	"filmgraph/launcher"
	"filmgraph/seed"
	"filmgraph/store"
)

// config is read from the environment; every setting has a development default.
type config struct {
	addr        string // FILMGRAPH_ADDR, default ":8080"
	neo4j       store.Config
	bundled     bool   // NEO4J_URI unset: start the bundled Neo4j
	dataDir     string // NEO4J_DATA_DIR, bundled Neo4j's data, default ./.neo4j-data
	bundledPort int    // NEO4J_BUNDLED_PORT, default 0 (any free port)
}

func loadConfig() (config, error) {
	cfg := config{
		addr: env("FILMGRAPH_ADDR", ":8080"),
		neo4j: store.Config{
			URI:      os.Getenv("NEO4J_URI"),
			Username: env("NEO4J_USERNAME", "neo4j"),
			Password: os.Getenv("NEO4J_PASSWORD"),
			Database: os.Getenv("NEO4J_DATABASE"),
		},
		dataDir: env("NEO4J_DATA_DIR", ".neo4j-data"),
	}
	cfg.bundled = cfg.neo4j.URI == ""
	if p := os.Getenv("NEO4J_BUNDLED_PORT"); p != "" {
		port, err := strconv.Atoi(p)
		if err != nil || port < 0 || port > 65535 {
			return cfg, fmt.Errorf("NEO4J_BUNDLED_PORT=%q is not a port number", p)
		}
		cfg.bundledPort = port
	}
	return cfg, nil
}

func env(name, fallback string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return fallback
}

func main() {
	log := slog.New(slog.NewTextHandler(os.Stderr, nil))
	if err := run(log, os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "filmgraph:", err)
		os.Exit(1)
	}
}

func run(log *slog.Logger, args []string) error {
	command := "serve"
	if len(args) > 0 {
		command = args[0]
	}
	if command != "serve" && command != "seed" && command != "profile" && command != "moderator" {
		return fmt.Errorf("unknown command %q: use no argument to serve, or `seed`, `profile` or `moderator <username>`", command)
	}
	if command == "moderator" && len(args) != 2 {
		return errors.New("usage: moderator <username>")
	}
	cfg, err := loadConfig()
	if err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	db, closeDB, err := openDatabase(ctx, log, cfg)
	if err != nil {
		return err
	}
	defer closeDB()

	switch command {
	case "seed":
		_, err := seed.Load(ctx, db.Driver(), db.Database(), os.Stderr)
		return err
	case "moderator":
		if err := db.MakeModerator(ctx, args[1]); err != nil {
			return err
		}
		log.Info("made a moderator (effective for moderation at once; in tokens at the next log-in)", "username", args[1])
		return nil
	case "profile":
		if err := ensureSeeded(ctx, log, cfg, db); err != nil {
			return err
		}
		return profileExamples(ctx, log, db, "docs/queries", os.Stdout)
	default:
		if err := ensureSeeded(ctx, log, cfg, db); err != nil {
			return err
		}
		issuer, err := auth.IssuerFromEnv(log, os.Getenv)
		if err != nil {
			return err
		}
		return serve(ctx, log, cfg, db, issuer)
	}
}

// openDatabase connects to the configured Neo4j, or starts the bundled one. The returned
// func closes the driver and stops the bundled Neo4j.
func openDatabase(ctx context.Context, log *slog.Logger, cfg config) (*store.Store, func(), error) {
	var instance *launcher.Instance
	if cfg.bundled {
		dir, err := filepath.Abs(cfg.dataDir)
		if err != nil {
			return nil, nil, err
		}
		log.Info("starting the bundled Neo4j (set NEO4J_URI to use your own)", "dataDir", dir)
		instance, err = launcher.Start(ctx, launcher.Options{
			DataDir: dir, Port: cfg.bundledPort, Password: cfg.neo4j.Password, Log: logWriter{log},
		})
		if err != nil {
			return nil, nil, fmt.Errorf("starting the bundled Neo4j: %w", err)
		}
		cfg.neo4j.URI, cfg.neo4j.Username, cfg.neo4j.Password = instance.URI, instance.Username, instance.Password
		log.Info("bundled Neo4j is up", "uri", instance.URI)
	}
	db, err := store.Open(ctx, cfg.neo4j, 10*time.Second)
	if err != nil {
		if instance != nil {
			instance.Stop()
		}
		return nil, nil, err
	}
	return db, func() {
		db.Close(context.Background())
		if instance != nil {
			if err := instance.Stop(); err != nil {
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
		return nil
	case cfg.bundled:
		log.Info("loading the bundled seed (first start only)")
		_, err := seed.Load(ctx, db.Driver(), db.Database(), os.Stderr)
		return err
	default:
		log.Warn("the database holds no filmgraph seed; run `go run . seed` to load it")
		return nil
	}
}

// newMux routes the API: GraphQL at /graphql (with the viewer of a Bearer token, signed
// by issuer), GraphiQL at /, liveness at /healthz.
func newMux(log *slog.Logger, db *store.Store, issuer *auth.Issuer) http.Handler {
	mux := http.NewServeMux()
	mux.Handle("/graphql", issuer.Middleware(graph.NewHandler(&graph.Resolver{Store: db, Auth: issuer}, log)))
	mux.Handle("GET /{$}", playground.Handler("filmgraph", "/graphql"))
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) { fmt.Fprintln(w, "ok") })
	// Browsers' apps on other origins may send the token: allow the Authorization header.
	return cors.New(cors.Options{
		AllowedMethods: []string{http.MethodGet, http.MethodPost, http.MethodHead},
		AllowedHeaders: []string{"Origin", "Accept", "Content-Type", "X-Requested-With", "Authorization"},
	}).Handler(mux)
}

func serve(ctx context.Context, log *slog.Logger, cfg config, db *store.Store, issuer *auth.Issuer) error {
	srv := &http.Server{
		Addr:              cfg.addr,
		Handler:           newMux(log, db, issuer),
		ReadHeaderTimeout: 10 * time.Second,
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.ListenAndServe() }()
	log.Info("filmgraph is serving", "graphql", "http://localhost"+portOf(cfg.addr)+"/graphql", "graphiql", "http://localhost"+portOf(cfg.addr)+"/")

	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
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
