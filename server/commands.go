package server

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"runtime/debug"
	"syscall"
	"time"

	"filmgraph/auth"
	"filmgraph/launcher"
	"filmgraph/observe"
	"filmgraph/recommend"
	"filmgraph/seed"
	"filmgraph/store"
)

// RunCommand runs serve, seed (or "seed --if-missing"), similar, profile or moderator
// (args: the username) once the command line has been accepted (package cli).
func RunCommand(command string, args []string) error {
	cfg, err := loadConfig()
	if err != nil {
		return err
	}
	debug.SetGCPercent(cfg.gcPercent) // GOGC, or filmgraph's default when unset
	log := observe.NewLogger(logOutput(), cfg.production, cfg.logLevel)
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
		return runModerator(ctx, log, cfg, args[0], os.Stdout)
	}
	db, bundled, closeDB, err := openDatabase(ctx, log, cfg)
	if err != nil {
		return err
	}
	defer closeDB()

	switch command {
	case "seed --if-missing":
		// What a first start of the bundled Neo4j does, on the configured database: load
		// the seed unless it is there, compute the similarity edges unless they are complete.
		cfg.bundled = true
		if err := ensureSeeded(ctx, log, cfg, db); err != nil {
			return err
		}
		return ensureSimilar(ctx, log, cfg, db)
	case "seed":
		progress := observe.StartProgress(log, terminal, "loading the bundled seed")
		_, err := seed.Load(ctx, db.Driver(), db.Database(), progress)
		if progress.End(err); err != nil {
			return err
		}
		fallthrough
	case "similar":
		progress := observe.StartProgress(log, terminal, "computing the similarity edges of recommendations")
		err := recommend.Refresh(ctx, db.Driver(), db.Database(), progress)
		progress.End(err)
		return err
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
		building := func() func(error) {
			return observe.StartProgress(log, terminal, "building the bundled Neo4j launcher with Maven (first run only)").End
		}
		bundled, err = launcher.Supervise(ctx, launcher.SupervisorOptions{
			Options: launcher.Options{DataDir: dir, Port: cfg.bundledPort, Password: cfg.neo4j.Password, Log: logWriter{log: log, prefix: "neo4j: "},
				Building: building},
			Logger: log,
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
		progress := observe.StartProgress(log, terminal, "loading the bundled seed (first start only)")
		_, err := seed.Load(ctx, db.Driver(), db.Database(), progress)
		progress.End(err)
		return err
	default:
		log.Warn("the database holds no filmgraph seed; run `go run . seed` to load it")
		return nil
	}
}

// ensureSimilar computes the similarity edges of the bundled database on its first start
// (a few minutes), or when the last refresh was cut short; on a user's own database run
// `go run . similar` after `seed`. The content neighbours of the films nobody rated are
// left to the server's Refresher, which computes them while it serves (RefreshRated).
func ensureSimilar(ctx context.Context, log *slog.Logger, cfg config, db *store.Store) error {
	if !cfg.bundled {
		return nil
	}
	current, err := recommend.Current(ctx, db.Driver(), db.Database())
	if err != nil || current {
		return err
	}
	progress := observe.StartProgress(log, terminal, "computing the similarity edges of recommendations (first start only)")
	err = recommend.RefreshRated(ctx, db.Driver(), db.Database(), progress)
	progress.End(err)
	if err == nil {
		log.Info("the content neighbours of the films nobody rated are computed in the background while the server serves (first start only)",
			"filmsPerCycle", recommend.BackfillFilmsPerCycle, "interval", cfg.recommendRefresh.String())
	}
	return err
}

// terminal is standard error when a person watches it: first-start tasks then draw a
// progress bar below the log lines. nil otherwise (a log shipper, a file, a test).
var terminal = observe.OpenTerminal(os.Stderr)

// logOutput is where the process logs: standard error, through terminal when it is one so
// that log lines and progress bars do not overwrite each other.
func logOutput() io.Writer {
	if terminal != nil {
		return terminal
	}
	return os.Stderr
}
