package server

import (
	"bytes"
	"context"
	"fmt"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"filmgraph/internal/neo4jtest"
	"filmgraph/internal/programtest"
	"filmgraph/internal/testenv"
)

// smokeFilms is the -films the latency smoke test adds to the README's command lines: a
// few films keep a run at a few hundred requests however many passes the line asks for.
const smokeFilms = 10

// readmeLatencyCommands returns the `go run ./recommend/latency ...` command lines of the
// README's "Latency of the movie page" section, in order, their spaces normalised (a line
// may wrap inside the backticks).
func readmeLatencyCommands(t *testing.T) []string {
	t.Helper()
	section := readmeSection(t, "### Latency of the movie page")
	var out []string
	for _, m := range regexp.MustCompile("`(go run ./recommend/latency[^`]*)`").FindAllStringSubmatch(section, -1) {
		out = append(out, strings.Join(strings.Fields(m[1]), " "))
	}
	return out
}

// readmeLatencyCommand returns the first of them that starts with prefix.
func readmeLatencyCommand(t *testing.T, prefix string) string {
	t.Helper()
	commands := readmeLatencyCommands(t)
	for _, c := range commands {
		if strings.HasPrefix(c, prefix) {
			return c
		}
	}
	t.Fatalf("README's latency section has no command starting with %q; it has %q", prefix, commands)
	return ""
}

// runLatency runs the command line as the README writes it (go run from the module's
// root), with -films smokeFilms appended unless films is 0 and the test database in
// NEO4J_URI (and env), and returns its stdout and stderr; it fails the test if the exit
// status is not want.
func runLatency(t *testing.T, ctx context.Context, line string, films, want int, env ...string) (stdout, stderr string) {
	t.Helper()
	root, err := testenv.ModuleRoot()
	if err != nil {
		t.Fatal(err)
	}
	args := strings.Fields(line)
	if films > 0 {
		args = append(args, "-films", strconv.Itoa(films))
	}
	cmd := exec.CommandContext(ctx, args[0], args[1:]...)
	cmd.Dir = root
	cmd.Env = append(programtest.EnvironWithout("FILMGRAPH_", "NEO4J_", "OTEL_", "JWT_", "GOGC="),
		"NEO4J_URI="+neo4jtest.URI(), "NEO4J_USERNAME="+neo4jtest.Username(),
		"NEO4J_PASSWORD="+neo4jtest.Password(), "NEO4J_DATABASE="+neo4jtest.Database(),
		// Load is not a failure here: a Neo4j just started, at a load average of 30, has
		// kept a page past the default 10 s (README).
		"FILMGRAPH_REQUEST_TIMEOUT=2m")
	for _, kv := range env {
		if kv != "" {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	cmd.WaitDelay = 5 * time.Second
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err = cmd.Run()
	if ctx.Err() != nil {
		t.Fatalf("%s: not done in time\nstdout:\n%s\nstderr:\n%s", strings.Join(args, " "), out.String(), errOut.String())
	}
	if code := cmd.ProcessState.ExitCode(); code != want {
		t.Fatalf("%s: exit status %d (%v), want %d\nstdout:\n%s\nstderr:\n%s", strings.Join(args, " "), code, err, want, out.String(), errOut.String())
	}
	return out.String(), errOut.String()
}

// similarityFingerprint describes the test database's similarity edges and stamps: a
// refresh of any film changes it (its edges are replaced and its similarAt moves on).
func similarityFingerprint(t *testing.T) string {
	t.Helper()
	edges := cypherRows(t, `MATCH ()-[s:SIMILAR|SIMILAR_STAGED]->() RETURN type(s) AS type, count(s) AS n ORDER BY type`, nil)
	stamps := cypherRows(t, `MATCH (m:Movie) WHERE m.similarAt IS NOT NULL RETURN count(m) AS films, max(m.similarAt) AS latest`, nil)
	return fmt.Sprint(edges, stamps)
}

// latencyRun is one measured run of the latency program's output.
var latencyRun = regexp.MustCompile(`(?m)^(\d+) random films \(fixed seed\), (\d+) clients, (\d+) statements for (\d+) requests in \S+; load average (\S+ \S+ \S+) before, (\S+ \S+ \S+) after\n\n` +
	`\| query \| p50 \| p95 \| p99 \|\n\| --- \| --- \| --- \| --- \|\n` +
	`\| movie\(id\) \| ([\d.]+) ms \| ([\d.]+) ms \| ([\d.]+) ms \|\n` +
	`\| movie\(id\) \+ recommended\(first: 10\) \| ([\d.]+) ms \| ([\d.]+) ms \| ([\d.]+) ms \|\n\n` +
	`from \S+ to \S+ UTC: CPU per request: Go [\d.]+ ms \(clients and server\), Neo4j (unknown|[\d.]+ ms); Go GC: \d+ cycles, stop-the-world pauses [^;]+; goroutines waiting for a thread: .+$`)

// checkLatencyRuns checks that stdout holds one run per number of clients, in order, each
// asking for films films' two pages in one statement per request, with ordered percentiles.
func checkLatencyRuns(t *testing.T, stdout string, clients []int, films int) {
	t.Helper()
	runs := latencyRun.FindAllStringSubmatch(stdout, -1)
	if len(runs) != len(clients) {
		t.Fatalf("%d runs printed, want %d (-c %v):\n%s", len(runs), len(clients), clients, stdout)
	}
	load := regexp.MustCompile(`^[\d.]+ [\d.]+ [\d.]+$`)
	for i, r := range runs {
		if r[1] != strconv.Itoa(films) || r[2] != strconv.Itoa(clients[i]) || r[4] != strconv.Itoa(2*films) {
			t.Errorf("run %d: %q, want %d films, %d clients, %d requests", i+1, r[0], films, clients[i], 2*films)
		}
		if r[3] != r[4] {
			t.Errorf("run %d: %s statements for %s requests, want one statement per request (README)", i+1, r[3], r[4])
		}
		if !load.MatchString(r[5]) || !load.MatchString(r[6]) {
			t.Errorf("run %d: load averages %q and %q, want the three figures of /proc/loadavg", i+1, r[5], r[6])
		}
		for _, row := range [][]string{r[7:10], r[10:13]} {
			p := make([]float64, 3)
			for j, v := range row {
				p[j], _ = strconv.ParseFloat(v, 64)
			}
			if p[0] <= 0 || p[0] > p[1] || p[1] > p[2] {
				t.Errorf("run %d: p50, p95, p99 %v: want positive and ordered", i+1, row)
			}
		}
	}
}

// TestLatencyProgramAsTheREADMEWritesIt runs `go run ./recommend/latency` briefly with the
// README's command lines against the test database (NEO4J_URI, which holds the seed: -scale 1
// finds it loaded), with -films 10 appended, and checks that it prints what the README says:
// the warm-up, one table per number of -c with p50/p95/p99 of both pages, one statement per
// request, the load average before and after, the CPU per request, and the popularity
// leakage. The database is marked as fully refreshed for the test, so the program computes
// no similarity edge: the other tests read the edges of the films they chose, and this test
// fails if any edge or stamp changed. It asserts nothing about speed.
func TestLatencyProgramAsTheREADMEWritesIt(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs go run ./recommend/latency")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	markSimilarityComplete(t)
	before := similarityFingerprint(t)
	defer func() {
		if after := similarityFingerprint(t); after != before {
			t.Errorf("the latency program changed the test database's similarity edges:\nbefore %s\nafter  %s", before, after)
		}
	}()

	t.Run("quiet-machine runs", func(t *testing.T) {
		// "... each `go run ./recommend/latency -scale N -similar asked -c 8,8,8,1 -warmup 15`"
		line := readmeLatencyCommand(t, "go run ./recommend/latency -scale N ")
		stdout, _ := runLatency(t, ctx, strings.Replace(line, "-scale N", "-scale 1", 1), smokeFilms, 0)
		c := regexp.MustCompile(`-c (\S+)`).FindStringSubmatch(line)
		w := regexp.MustCompile(`-warmup (\d+)`).FindStringSubmatch(line)
		if c == nil || w == nil {
			t.Fatalf("README's line %q has no -c or -warmup: this test checks their runs", line)
		}
		var clients []int
		for _, n := range strings.Split(c[1], ",") {
			v, _ := strconv.Atoi(n)
			clients = append(clients, v)
		}
		passes, _ := strconv.Atoi(w[1])
		films := cypherRows(t, `MATCH (m:Movie) RETURN count(m) AS n`, nil)[0]["n"].(int64)
		if want := fmt.Sprintf("data: movies=%d ", films); !strings.HasPrefix(stdout, want) {
			t.Errorf("the output does not start with %q:\n%s", want, stdout)
		}
		warm := fmt.Sprintf("\nwarm-up: %d unmeasured requests from %d clients in ", 2*smokeFilms*passes, clients[0])
		if !strings.Contains(stdout, warm) {
			t.Errorf("no %q in:\n%s", strings.TrimSpace(warm), stdout)
		}
		checkLatencyRuns(t, stdout, clients, smokeFilms)
	})

	t.Run("NEO4J_URI as it is, with -leakage", func(t *testing.T) {
		// "`go run ./recommend/latency [-c 1,8]` (against a database holding the seed and its
		// similarity edges, via `NEO4J_URI`) ... `-leakage` also prints the popularity leakage"
		line := readmeLatencyCommand(t, "go run ./recommend/latency [-c 1,8]")
		line = strings.NewReplacer("[", "", "]", "").Replace(line) + " -leakage"
		stdout, _ := runLatency(t, ctx, line, smokeFilms, 0)
		checkLatencyRuns(t, stdout, []int{1, 8}, smokeFilms)
		leak := regexp.MustCompile(fmt.Sprintf(`\npopularity leakage: over %d random films with at least 10 ratings, [\d.]+ of the top 10 HYBRID slots are taken by the 20 most rated films\n`, smokeFilms))
		if !leak.MatchString(stdout) {
			t.Errorf("no popularity leakage line in:\n%s", stdout)
		}
	})

	t.Run("bad flags", func(t *testing.T) {
		for _, c := range []struct{ args, env, message string }{
			{"-c 0", "", `latency: -c "0": want numbers of clients (at least 1) separated by commas`},
			{"-similar some", "", `latency: -similar "some": want "all" or "asked"`},
			{"-warmup -1", "", "latency: -warmup -1: want a number of passes, 0 or more"},
			{"-films 0", "", "latency: -films 0: want a number of films, 1 or more"},
			{"-scale 1 -jvm -Xlog:gc", "", "latency: -jvm, -heap-mb and -pagecache-mb set the bundled Neo4j's, which -scale starts when NEO4J_URI is unset"},
			// GOGC and FILMGRAPH_REQUEST_TIMEOUT are read as the server reads them.
			{"-c 1", "GOGC=lots", `latency: GOGC="lots" is not a whole number from 1 to 1000000`},
			{"-c 1", "FILMGRAPH_REQUEST_TIMEOUT=0", `latency: FILMGRAPH_REQUEST_TIMEOUT="0" is not a positive duration such as 10s or 500ms`},
		} {
			_, stderr := runLatency(t, ctx, "go run ./recommend/latency "+c.args, 0, 1, c.env)
			// go run adds its own "exit status 1" line.
			if first, _, _ := strings.Cut(stderr, "\n"); first != c.message {
				t.Errorf("%s: stderr %q, want %q first", c.args, stderr, c.message)
			}
		}
	})
}
