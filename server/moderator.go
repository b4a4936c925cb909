package server

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
	"time"

	"filmgraph/launcher"
	"filmgraph/store"
)

// runModerator is `go run . moderator <username>`: it gives the member the MODERATOR role
// and says what it did on out. With the bundled Neo4j (NEO4J_URI unset) it first connects
// to the one a running `go run .` supervises on the same data directory (through its
// connection file, see launcher.ConnectionFile): a second Neo4j cannot open a store that
// is in use. Only when none answers does it start the bundled Neo4j itself.
func runModerator(ctx context.Context, log *slog.Logger, cfg config, username string, out io.Writer) error {
	db, where, closeDB, err := openForCommand(ctx, log, cfg)
	if err != nil {
		return err
	}
	defer closeDB()
	before, err := db.PromoteModerator(ctx, username)
	if err != nil {
		return err
	}
	if before == "MODERATOR" {
		_, err = fmt.Fprintf(out, "%s is already a moderator (%s): nothing changed.\n", username, where)
		return err
	}
	_, err = fmt.Fprintf(out, "%s is now a moderator (was %s; %s). It applies from their next request: roles are read from the database, not from tokens.\n",
		username, before, where)
	return err
}

// openForCommand opens the database a one-shot command works on: the running server's
// bundled Neo4j when there is one, else as the server would (openDatabase). where says
// which, for the operator.
func openForCommand(ctx context.Context, log *slog.Logger, cfg config) (db *store.Store, where string, closeDB func(), err error) {
	if cfg.bundled {
		dir, err := filepath.Abs(cfg.dataDir)
		if err != nil {
			return nil, "", nil, err
		}
		conn, ok, err := launcher.ReadConnection(dir)
		if err != nil {
			log.Warn("ignoring the bundled Neo4j's connection file", "error", err.Error())
		}
		if ok {
			running := cfg.neo4j
			running.URI, running.Username, running.Password = conn.URI, conn.Username, conn.Password
			db, err := store.Open(ctx, running, 5*time.Second)
			if err == nil {
				return db, fmt.Sprintf("in the bundled Neo4j of the running filmgraph, process %d, at %s", conn.PID, conn.URI),
					func() { db.Close(context.Background()) }, nil
			}
			log.Warn("the bundled Neo4j of the connection file does not answer; starting it", "uri", conn.URI, "error", err.Error())
		}
	}
	db, _, closeDB, err = openDatabase(ctx, log, cfg)
	if err != nil {
		return nil, "", nil, err
	}
	where = "in the Neo4j at " + cfg.neo4j.URI
	if cfg.bundled {
		where = "in the bundled Neo4j of " + cfg.dataDir + ", started for this command and stopped again"
	}
	return db, where, closeDB, nil
}
