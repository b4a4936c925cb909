// Package neo4jtest gives a test binary one Neo4j for all its tests: the
// server named by NEO4J_URI when set (CI, a developer's own Neo4j), otherwise
// the bundled one from filmgraph/launcher, started once in a temp dir.
//
// Use it from TestMain:
//
//	func TestMain(m *testing.M) {
//		os.Exit(neo4jtest.Run(m, seed))
//	}
//
// and in tests:
//
//	d := neo4jtest.Driver(t)
//	neo4j.ExecuteQuery(ctx, d, cypher, params, neo4j.EagerResultTransformer,
//		neo4j.ExecuteQueryWithDatabase(neo4jtest.Database()))
package neo4jtest

import (
	"context"
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"filmgraph/launcher"
)

// setupTimeout covers a first run that builds the launcher with Maven, the
// Neo4j start and the caller's seeding. The seed (about 39,000 films) loads in
// well under a minute on a quiet machine, but took nearly 5 minutes on 2 cores
// under a load average of 30.
const setupTimeout = 10 * time.Minute

var (
	uri, username, password, database string
	driver                            neo4j.DriverWithContext
)

// Run connects to or starts Neo4j, runs setup (nil for none) with a driver
// for it, runs the tests and shuts everything down, returning the exit code
// for os.Exit. setup's ctx ends when setup returns, so it must not be kept
// for the tests. A missing Java or Maven fails the binary with the reason,
// never skips: a test suite that silently ran nothing would look green.
func Run(m *testing.M, setup func(ctx context.Context, d neo4j.DriverWithContext) error) int {
	ctx, cancel := context.WithTimeout(context.Background(), setupTimeout)
	defer cancel()

	if uri = os.Getenv("NEO4J_URI"); uri != "" {
		username = envOr("NEO4J_USERNAME", "neo4j")
		password = os.Getenv("NEO4J_PASSWORD")
	} else {
		dir, err := os.MkdirTemp("", "filmgraph-neo4jtest-")
		if err != nil {
			return fail(err)
		}
		defer os.RemoveAll(dir)
		// The launcher's few lines (first-run build, ready, stopped) help when
		// a package's tests fail; go test hides them when they pass.
		inst, err := launcher.Start(ctx, launcher.Options{DataDir: dir, Log: os.Stderr})
		if err != nil {
			return fail(err)
		}
		defer func() {
			if err := inst.Stop(); err != nil {
				fmt.Fprintln(os.Stderr, "neo4jtest:", err)
			}
		}()
		uri, username, password = inst.URI, inst.Username, inst.Password
	}
	database = envOr("NEO4J_DATABASE", "neo4j")

	var err error
	driver, err = neo4j.NewDriverWithContext(uri, neo4j.BasicAuth(username, password, ""))
	if err != nil {
		return fail(err)
	}
	defer driver.Close(context.Background())
	if err := driver.VerifyConnectivity(ctx); err != nil {
		return fail(fmt.Errorf("connect to %s as %s: %w", uri, username, err))
	}
	if setup != nil {
		if err := setup(ctx, driver); err != nil {
			return fail(fmt.Errorf("setup: %w", err))
		}
	}
	cancel() // the tests get their own deadlines, not what is left of setup's
	return m.Run()
}

// Driver is the binary's shared driver. Tests share it rather than dial
// their own, as the application does.
func Driver(tb testing.TB) neo4j.DriverWithContext {
	tb.Helper()
	if driver == nil {
		tb.Fatal("neo4jtest: no Neo4j; call neo4jtest.Run from TestMain")
	}
	return driver
}

// URI is the Bolt URI of the Neo4j in use, for code under test that dials
// its own connection.
func URI() string { return uri }

// Username is the user the driver authenticates as.
func Username() string { return username }

// Password is that user's password.
func Password() string { return password }

// Database is where tests should read and write: NEO4J_DATABASE, or "neo4j",
// the default database of a fresh server.
func Database() string { return database }

func envOr(key, fallback string) string {
	if v := os.Getenv(key); v != "" {
		return v
	}
	return fallback
}

func fail(err error) int {
	fmt.Fprintln(os.Stderr, "neo4jtest:", err)
	return 1
}
