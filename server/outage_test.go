package server

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"filmgraph/auth"
	"filmgraph/internal/apitest"
	"filmgraph/launcher"
	"filmgraph/observe"
	"filmgraph/seed"
	"filmgraph/store"
)

// outageFixtureCypher is the outage test's small graph: a few films with an empty rating
// cache, users to rate them, and the seed marker so that /readyz reports ready.
const outageFixtureCypher = `
UNWIND range(1, 5) AS i
CREATE (:Movie {movieId: i, title: 'Outage Film ' + i, ratingCount: 0, ratingTotal: 0, ratingAverage: null})
WITH count(*) AS films
UNWIND range(1, 400) AS i
CREATE (:User {userId: i, username: 'outage-' + i, role: 'USER'})
WITH count(*) AS users
CREATE (:SeedInfo {version: $version})`

// outageEvent is one request of the load.
type outageEvent struct {
	at       time.Time
	took     time.Duration
	kind     string // read, write, ready
	ok       bool
	status   int
	codes    []string
	reqID    bool // every SERVICE_UNAVAILABLE error carried a requestId
	transErr error
}

// TestNeo4jOutage stops the database under a load of reads and rateMovie mutations over
// HTTP, restarts it on the same data directory and port, and checks that the server stayed
// up and answered quickly with coded errors meanwhile, that it recovered by itself, and that
// every acknowledged rating (a mutation that answered without errors), and nothing
// half-written, is in the graph.
func TestNeo4jOutage(t *testing.T) {
	if testing.Short() {
		t.Skip("starts and restarts its own Neo4j")
	}
	ctx := context.Background()
	dir, port, password := t.TempDir(), freePort(t), "outage-test-password"
	opts := launcher.Options{DataDir: dir, Port: port, Password: password, HeapMB: 512, PageCacheMB: 64, Log: os.Stderr}
	inst, err := launcher.Start(ctx, opts)
	if err != nil {
		t.Fatal(err)
	}
	var instMu sync.Mutex
	t.Cleanup(func() {
		instMu.Lock()
		defer instMu.Unlock()
		if inst != nil {
			inst.Stop()
		}
	})
	db, err := store.Open(ctx, store.Config{URI: inst.URI, Username: inst.Username, Password: password, Database: "neo4j",
		RequestTimeout: testConfig.requestTimeout}, 30*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close(ctx)
	if _, err := neo4j.ExecuteQuery(ctx, db.Driver(), outageFixtureCypher, map[string]any{"version": seed.Version()},
		neo4j.EagerResultTransformer, neo4j.ExecuteQueryWithDatabase("neo4j")); err != nil {
		t.Fatal(err)
	}
	logs := &syncBuffer{}
	srv := httptest.NewServer((&server{log: observe.NewLogger(logs, true, 0), db: db, cfg: testConfig, issuer: testIssuer}).routes())
	defer func() {
		if t.Failed() { // the server's account of the requests that timed out
			for _, line := range strings.Split(logs.String(), "\n") {
				if strings.Contains(line, `"TIMEOUT"`) {
					t.Log(line)
				}
			}
		}
	}()
	defer srv.Close()

	// The load: 3 readers and 2 writers over HTTP, 1 readiness probe, each pausing 25 ms
	// between requests; it stops when done closes.
	var (
		mu     sync.Mutex
		events []outageEvent
		acked  = map[[2]int]int{} // (user, movie) -> score of acknowledged writes
	)
	record := func(e outageEvent) {
		mu.Lock()
		events = append(events, e)
		mu.Unlock()
	}
	done := make(chan struct{})
	var wg sync.WaitGroup
	loop := func(body func(i int)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; ; i++ {
				select {
				case <-done:
					return
				case <-time.After(25 * time.Millisecond):
				}
				body(i)
			}
		}()
	}
	client := &http.Client{Timeout: 30 * time.Second}
	for range 3 {
		loop(func(int) {
			start := time.Now()
			status, resp, err := postTo(client, srv.URL, `query OutageRead { movies(first: 5) { totalCount edges { node { title ratingSummary { count average } } } } }`)
			e := outageEvent{at: start, took: time.Since(start), kind: "read", status: status, transErr: err, reqID: true}
			if err == nil {
				e.codes = resp.codes()
				e.ok = status == 200 && len(resp.Errors) == 0
				e.reqID = everyUnavailableHasRequestID(resp)
			}
			record(e)
		})
	}
	const rateOp = `mutation OutageRate($m: ID!, $s: Int!) { rateMovie(movieId: $m, score: $s) { id ratingSummary { count } } }`
	for w := range 2 {
		loop(func(i int) {
			// Writer w rates as users w*200+1 .. w*200+200, each film once, cycling scores.
			n := i % 1000
			key := [2]int{w*200 + 1 + n/5, 1 + n%5}
			score := 1 + (i*7+w)%10
			token, _, err := testIssuer.Issue(auth.Viewer{UserID: int64(key[0]), Role: auth.RoleUser})
			if err != nil {
				t.Error(err)
				return
			}
			start := time.Now()
			status, resp, err := postAsTo(client, srv.URL, token, rateOp, map[string]any{"m": movieID(key[1]), "s": score})
			e := outageEvent{at: start, took: time.Since(start), kind: "write", status: status, transErr: err, reqID: true}
			if err == nil {
				e.codes = resp.codes()
				e.ok = status == 200 && len(resp.Errors) == 0 && at(decodeData(resp), "rateMovie.id") == movieID(key[1])
				e.reqID = everyUnavailableHasRequestID(resp)
			}
			if e.ok {
				mu.Lock()
				acked[key] = score
				mu.Unlock()
			}
			record(e)
		})
	}
	loop(func(int) {
		start := time.Now()
		resp, err := client.Get(srv.URL + "/readyz")
		e := outageEvent{at: start, took: time.Since(start), kind: "ready", transErr: err, reqID: true}
		if err == nil {
			resp.Body.Close()
			e.status, e.ok = resp.StatusCode, resp.StatusCode == 200
		}
		record(e)
	})

	time.Sleep(3 * time.Second)
	stopAt := time.Now()
	instMu.Lock()
	err = inst.Stop()
	inst = nil
	instMu.Unlock()
	stoppedAt := time.Now()
	if err != nil {
		t.Errorf("stopping Neo4j: %v", err)
	}
	time.Sleep(3 * time.Second) // a few seconds of a dead database
	restartAt := time.Now()
	// The moment the restarting Neo4j accepts connections: from then on it is starting,
	// not gone, and a statement it accepts may be slow on a loaded machine.
	portOpen := make(chan time.Time, 1)
	go func() {
		for deadline := time.Now().Add(5 * time.Minute); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
			if c, err := net.DialTimeout("tcp", fmt.Sprintf("127.0.0.1:%d", port), 100*time.Millisecond); err == nil {
				at := time.Now()
				c.Close()
				portOpen <- at
				return
			}
		}
		close(portOpen)
	}()
	restarted, err := launcher.Start(ctx, opts)
	if err != nil {
		close(done)
		wg.Wait()
		t.Fatalf("restarting Neo4j on the same directory and port: %v", err)
	}
	instMu.Lock()
	inst = restarted
	instMu.Unlock()
	upAt := time.Now()
	acceptingAt, ok := <-portOpen
	if !ok {
		t.Fatal("the restarted Neo4j never accepted a connection")
	}
	// Wait until every kind of request succeeds again, then a little longer.
	var recoveredAt time.Time
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline) && recoveredAt.IsZero(); time.Sleep(100 * time.Millisecond) {
		mu.Lock()
		recovered := map[string]bool{}
		for _, e := range events {
			if e.at.After(upAt) && e.ok {
				recovered[e.kind] = true
			}
		}
		mu.Unlock()
		if len(recovered) == 3 {
			recoveredAt = time.Now()
		}
	}
	time.Sleep(2 * time.Second)
	close(done)
	wg.Wait()

	// Figures.
	if recoveredAt.IsZero() {
		t.Fatal("reads, writes and readiness did not all succeed within 30 s of the restart")
	}
	firstOK := map[string]time.Time{}
	var during []outageEvent
	codes, startingCodes := map[string]int{}, map[string]int{}
	var slowestError, slowestSuccess time.Duration
	for _, e := range events {
		if e.transErr != nil {
			t.Errorf("%s at %v: no HTTP answer: %v", e.kind, e.at.Sub(stopAt).Round(time.Millisecond), e.transErr)
		}
		if e.status >= 500 && e.kind != "ready" {
			t.Errorf("%s answered %d", e.kind, e.status)
		}
		if !e.reqID {
			t.Errorf("a SERVICE_UNAVAILABLE error without a requestId")
		}
		if e.ok && e.at.After(stoppedAt) {
			if _, seen := firstOK[e.kind]; !seen {
				firstOK[e.kind] = e.at.Add(e.took)
			}
		}
		if e.at.After(recoveredAt) && !e.ok {
			// Back to a healthy database: the slow first statements after a restart are
			// load, not an outage.
			t.Errorf("%s started %v after the recovery failed: HTTP %d %v", e.kind, e.at.Sub(recoveredAt).Round(time.Millisecond), e.status, e.codes)
		}
		if e.at.Before(stopAt) || e.at.After(recoveredAt) {
			continue
		}
		// From the stop to the recovery: failures are coded. While Neo4j is gone (until
		// the restarted one accepts connections) they are SERVICE_UNAVAILABLE within 2 s;
		// while it starts, a statement it accepted may also run to its deadline (TIMEOUT).
		during = append(during, e)
		starting := !e.at.Before(acceptingAt)
		for _, c := range e.codes {
			if starting {
				startingCodes[c]++
			} else {
				codes[c]++
			}
		}
		if e.ok {
			slowestSuccess = max(slowestSuccess, e.took)
		} else {
			slowestError = max(slowestError, e.took)
			limit := 2 * time.Second
			if starting {
				limit += testConfig.requestTimeout
			}
			if e.took > limit {
				t.Errorf("a failed %s started %v after the stop took %v; want under %v", e.kind, e.at.Sub(stopAt).Round(time.Millisecond), e.took.Round(time.Millisecond), limit)
			}
		}
		// While no Neo4j process runs, nothing succeeds and the replica is not ready.
		if e.ok && !e.at.Before(stoppedAt) && e.at.Add(e.took).Before(restartAt) {
			t.Errorf("%s succeeded while Neo4j was stopped", e.kind)
		}
	}
	for c := range codes {
		if c != "SERVICE_UNAVAILABLE" {
			t.Errorf("error code %s while Neo4j was gone; want only SERVICE_UNAVAILABLE", c)
		}
	}
	for c := range startingCodes {
		if c != "SERVICE_UNAVAILABLE" && c != "TIMEOUT" {
			t.Errorf("error code %s while Neo4j was starting; want SERVICE_UNAVAILABLE or TIMEOUT", c)
		}
	}
	kinds := map[string]int{}
	for _, e := range during {
		kinds[e.kind]++
	}
	t.Logf("Neo4j stop took %v, down %v, restart took %v", stoppedAt.Sub(stopAt).Round(time.Millisecond),
		restartAt.Sub(stoppedAt).Round(time.Millisecond), upAt.Sub(restartAt).Round(time.Millisecond))
	t.Logf("requests from the stop to the recovery: %d (%v); error codes while gone %v, while starting (accepting connections %v before the launcher's ready) %v; slowest failure %v, slowest success %v",
		len(during), kinds, codes, upAt.Sub(acceptingAt).Round(time.Millisecond), startingCodes, slowestError.Round(time.Millisecond), slowestSuccess.Round(time.Millisecond))
	var rec []string
	for _, k := range []string{"read", "write", "ready"} {
		rec = append(rec, fmt.Sprintf("%s %v", k, firstOK[k].Sub(upAt).Round(time.Millisecond)))
	}
	t.Logf("first success relative to the launcher's ready: %s; all kinds recovered %v after it; total requests %d",
		strings.Join(rec, ", "), recoveredAt.Sub(upAt).Round(time.Millisecond), len(events))

	// Every acknowledged write is there, with its score; every film's cached summary
	// matches its RATED edges (nothing half-written). Checked through a new driver.
	check, err := neo4j.NewDriverWithContext(restarted.URI, neo4j.BasicAuth(restarted.Username, password, ""))
	if err != nil {
		t.Fatal(err)
	}
	defer check.Close(ctx)
	rows, err := neo4j.ExecuteQuery(ctx, check, `MATCH (u:User)-[r:RATED]->(m:Movie) RETURN u.userId AS user, m.movieId AS movie, r.score AS score`,
		nil, neo4j.EagerResultTransformer, neo4j.ExecuteQueryWithDatabase("neo4j"))
	if err != nil {
		t.Fatal(err)
	}
	inGraph := map[[2]int]int{}
	for _, r := range rows.Records {
		u, _ := r.Get("user")
		m, _ := r.Get("movie")
		s, _ := r.Get("score")
		inGraph[[2]int{int(u.(int64)), int(m.(int64))}] = int(s.(int64))
	}
	missing := 0
	for key, score := range acked {
		if got, ok := inGraph[key]; !ok || got != score {
			missing++
			if missing < 5 {
				t.Errorf("acknowledged rating %v = %d: graph has %d (present %v)", key, score, got, ok)
			}
		}
	}
	unacked := 0
	for key := range inGraph {
		if _, ok := acked[key]; !ok {
			unacked++
		}
	}
	t.Logf("rateMovie: %d ratings acknowledged, %d of them present with their score; %d ratings in the graph, %d of them from unacknowledged attempts (committed, acknowledgement lost)",
		len(acked), len(acked)-missing, len(inGraph), unacked)
	if len(acked) == 0 {
		t.Error("no rateMovie was acknowledged: the durability check checked nothing")
	}
	summaries, err := neo4j.ExecuteQuery(ctx, check, `MATCH (m:Movie)
		OPTIONAL MATCH (:User)-[r:RATED]->(m)
		WITH m, count(r) AS n, coalesce(sum(r.score), 0) AS total
		RETURN m.movieId AS movie, m.ratingCount = n AND m.ratingTotal = total AS consistent, n`,
		nil, neo4j.EagerResultTransformer, neo4j.ExecuteQueryWithDatabase("neo4j"))
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range summaries.Records {
		if ok, _ := r.Get("consistent"); ok != true {
			t.Errorf("film %v: cached rating summary does not match its RATED edges", r.AsMap())
		}
	}
}

// postTo posts a query and decodes the response.
func postTo(client *http.Client, url, query string) (int, gqlResponse, error) {
	return postAsTo(client, url, "", query, nil)
}

// postAsTo posts an operation with variables and a Bearer token (none when "") to the
// server at url and decodes the response.
func postAsTo(client *http.Client, url, token, query string, variables map[string]any) (int, gqlResponse, error) {
	status, resp, _, err := apitest.Do(client, apitest.Request{URL: url, Token: token, Body: apitest.Operation(query, variables)})
	return status, gqlResponse{resp}, err
}

// decodeData decodes a response's data as a generic value for at (nil when absent).
func decodeData(resp gqlResponse) any {
	var data any
	_ = json.Unmarshal(resp.Data, &data)
	return data
}

// everyUnavailableHasRequestID reports whether each SERVICE_UNAVAILABLE error of resp
// carries the requestId that finds its log line.
func everyUnavailableHasRequestID(resp gqlResponse) bool {
	for _, e := range resp.Errors {
		if e.Extensions["code"] == "SERVICE_UNAVAILABLE" && e.Extensions["requestId"] == nil {
			return false
		}
	}
	return true
}

// freePort returns a TCP port on 127.0.0.1 that nothing listens on now. The outage test
// fixes it so that the restarted Neo4j listens where the driver reconnects.
func freePort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}
