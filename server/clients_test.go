package server

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"filmgraph/internal/programtest"
	"filmgraph/internal/testenv"
)

// The client tests run real JavaScript clients and tools (testdata/clients: graphql-http's
// audit, Apollo Client, urql, graphql-codegen; exact versions in its package-lock.json)
// with Node against the real server. They install from the lockfile themselves, once per
// test binary, when node_modules is missing; without node and npm they skip, like the
// browser tests without chromium.

const clientsDir = "testdata/clients"

var (
	installClients sync.Once
	installErr     error
)

// nodeClients makes sure testdata/clients/node_modules is installed from the lockfile.
func nodeClients(t *testing.T) {
	t.Helper()
	for _, tool := range []string{"node", "npm"} {
		if _, err := exec.LookPath(tool); err != nil {
			testenv.Missing(t, "%s is not installed: the client tests need Node 20+ and npm", tool)
		}
	}
	installClients.Do(func() {
		// Installed, and not older than the lockfile (which a pull may have changed).
		installed, err := os.Stat(filepath.Join(clientsDir, "node_modules", ".package-lock.json"))
		lock, lockErr := os.Stat(filepath.Join(clientsDir, "package-lock.json"))
		if err == nil && lockErr == nil && !installed.ModTime().Before(lock.ModTime()) {
			return
		}
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
		defer cancel()
		cmd := exec.CommandContext(ctx, "npm", "ci", "--no-audit", "--no-fund", "--loglevel=error")
		cmd.Dir = clientsDir
		if out, err := cmd.CombinedOutput(); err != nil {
			installErr = &installError{err: err, output: string(out)}
		}
	})
	if installErr != nil {
		t.Fatalf("npm ci in %s: %v", clientsDir, installErr)
	}
}

type installError struct {
	err    error
	output string
}

func (e *installError) Error() string { return e.err.Error() + "\n" + e.output }

// runNode runs a script of testdata/clients with FILMGRAPH_URL set to the test server and
// decodes the JSON its last output line holds into out. It allows the script 2 minutes.
func runNode(t *testing.T, script string, out any, env ...string) {
	t.Helper()
	nodeClients(t)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "node", script)
	cmd.Dir = clientsDir
	cmd.Env = append(append(os.Environ(), "FILMGRAPH_URL="+testServer.URL), env...)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	stdout, err := cmd.Output()
	if err != nil {
		t.Fatalf("node %s: %v\nstdout:\n%s\nstderr:\n%s", script, err, stdout, stderr.String())
	}
	lines := strings.Split(strings.TrimSpace(string(stdout)), "\n")
	if err := json.Unmarshal([]byte(lines[len(lines)-1]), out); err != nil {
		t.Fatalf("node %s printed no JSON result: %v\nstdout:\n%s\nstderr:\n%s", script, err, stdout, stderr.String())
	}
	if s := stderr.String(); s != "" {
		t.Logf("node %s wrote to stderr:\n%s", script, s)
	}
}

// TestGraphQLOverHTTPAudit runs graphql-http's auditServer, the reference audit of the
// GraphQL-over-HTTP spec, against the real server: every MUST, SHOULD and MAY passes.
func TestGraphQLOverHTTPAudit(t *testing.T) {
	var result struct {
		Score    map[string]struct{ OK, Total int }
		Failures []struct{ ID, Name, Status, Reason string }
	}
	runNode(t, "audit.mjs", &result)
	for _, level := range []string{"MUST", "SHOULD", "MAY"} {
		s := result.Score[level]
		t.Logf("%s %d/%d", level, s.OK, s.Total)
		if s.Total == 0 || s.OK != s.Total {
			t.Errorf("%s: %d of %d audits pass", level, s.OK, s.Total)
		}
	}
	for _, f := range result.Failures {
		t.Errorf("%s %s: %s (%s)", f.ID, f.Name, f.Reason, f.Status)
	}
}

// TestClientCaches runs Apollo Client (default InMemoryCache) and urql (default cache)
// through the example operations of docs/queries and every mutation (caches.mjs): no
// client logs a warning (Apollo's "cache data may be lost" included), and after each
// mutation the cached film page is complete and equals the server's own answer.
func TestClientCaches(t *testing.T) {
	mod := signUp(t, "cachemod")
	if err := testStore.MakeModerator(context.Background(), mod.Username); err != nil {
		t.Fatal(err)
	}
	var result struct{ Checks, Problems []string }
	runNode(t, "caches.mjs", &result, "MODERATOR_TOKEN="+mod.Token)
	examples, _ := filepath.Glob("../docs/queries/*.graphql")
	if want := 2 * (len(examples) + 27); len(result.Checks) < want {
		t.Errorf("%d checks ran, want %d: %v", len(result.Checks), want, result.Checks)
	}
	t.Logf("%d checks: %s", len(result.Checks), strings.Join(result.Checks, "; "))
	for _, p := range result.Problems {
		t.Error(p)
	}
}

// TestSchemaSDLForCodegen: the SDL served at /graphql/schema.graphql is what `filmgraph
// schema` prints, describes the schema introspection describes, and graphql-codegen
// generates the types of every operation in docs/queries from it (codegen.mjs).
func TestSchemaSDLForCodegen(t *testing.T) {
	resp, err := http.Get(testServer.URL + "/graphql/schema.graphql")
	if err != nil {
		t.Fatal(err)
	}
	served, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	printed, stderr, status := programtest.Run(t, nil, "schema")
	if status != 0 {
		t.Fatalf("filmgraph schema: exit %d: %s", status, stderr)
	}
	if resp.StatusCode != http.StatusOK || string(served) != printed || !strings.Contains(printed, "type Movie implements Node") {
		t.Errorf("served (status %d, %d bytes) and printed (%d bytes) differ or miss Movie", resp.StatusCode, len(served), len(printed))
	}

	var result struct {
		SDLLines       int
		OutputBytes    int
		OperationTypes []string
		Problems       []string
	}
	runNode(t, "codegen.mjs", &result)
	for _, p := range result.Problems {
		t.Error(p)
	}
	examples, _ := filepath.Glob("../docs/queries/*.graphql")
	var want []string
	for _, e := range examples {
		name := strings.TrimSuffix(filepath.Base(e), ".graphql")
		want = append(want, strings.ToUpper(name[:1])+name[1:]+"Query")
	}
	slices.Sort(result.OperationTypes)
	if !slices.Equal(result.OperationTypes, want) {
		t.Errorf("graphql-codegen generated %v, want %v", result.OperationTypes, want)
	}
	t.Logf("SDL: %d lines; graphql-codegen wrote %d bytes of TypeScript with %v", result.SDLLines, result.OutputBytes, result.OperationTypes)

	// Without introspection (production) the SDL is not served either.
	closed, _ := newTestServer(t, func(c *config) { c.graphql.Introspection = false })
	resp, err = http.Get(closed.URL + "/graphql/schema.graphql")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNotFound {
		t.Errorf("without introspection, GET /graphql/schema.graphql answered %d, want 404", resp.StatusCode)
	}
}
