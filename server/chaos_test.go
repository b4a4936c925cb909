package server

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"sort"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"filmgraph/auth"
	"filmgraph/launcher"
	"filmgraph/observe"
	"filmgraph/store"
)

// chaosEvent is one request of the chaos test's load.
type chaosEvent struct {
	at       time.Time
	took     time.Duration
	kind     string // read, write, ready, health
	ok       bool
	status   int
	codes    []string
	state    string // health: the bundled Neo4j's state in the body; ready: its check
	transErr error
}

// TestChaosKillBundledNeo4j runs the server as `go run .` does, over its own supervised
// bundled Neo4j (not the shared one of TestMain) loaded with the bundled seed, puts it
// under a mixed load of movie-page reads and rateMovie mutations over HTTP, kills the
// JVM with SIGKILL, and checks that the server restarts it by itself and serves again
// within 30 s, that /healthz and /readyz said what was happening meanwhile, and that every
// acknowledged rating is in the graph afterwards.
func TestChaosKillBundledNeo4j(t *testing.T) {
	if testing.Short() {
		t.Skip("starts, seeds and kills its own Neo4j")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	logs := &syncBuffer{}
	log := observe.NewLogger(logs, true, slog.LevelInfo)
	cfg := testConfig
	cfg.bundled, cfg.dataDir, cfg.bundledPort, cfg.neo4j = true, t.TempDir(), 0, store.Config{}
	startedAt := time.Now()
	db, bundled, closeDB, err := openDatabase(ctx, log, cfg)
	if err != nil {
		t.Fatal(err)
	}
	firstStart := time.Since(startedAt)
	t.Cleanup(closeDB) // runs before t.TempDir's removal
	if err := ensureSeeded(ctx, log, cfg, db); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer((&server{log: log, db: db, cfg: cfg, issuer: testIssuer, bundled: bundled}).routes())
	defer srv.Close()

	// Ratings to write: each (user, film) pair at most once and none rated before, so that
	// an acknowledged score can only be in the graph if that very write committed.
	const films = 10
	res, err := neo4j.ExecuteQuery(ctx, db.Driver(), `MATCH (m:Movie) WITH m ORDER BY m.movieId LIMIT $films
		MATCH (u:User) WHERE u.userId <= 1000 AND NOT EXISTS { (u)-[:RATED]->(m) }
		RETURN u.userId AS user, m.movieId AS movie ORDER BY user, movie LIMIT 5000`,
		map[string]any{"films": films}, neo4j.EagerResultTransformer)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Records) < 2000 {
		t.Fatalf("only %d unrated (user, film) pairs in the seed", len(res.Records))
	}
	type pair struct{ user, movie int64 }
	var pairs []pair
	tokens := map[int64]string{}
	filmIDs := map[int64]bool{}
	for _, r := range res.Records {
		p := pair{r.Values[0].(int64), r.Values[1].(int64)}
		pairs = append(pairs, p)
		filmIDs[p.movie] = true
		if tokens[p.user] == "" {
			tokens[p.user], _, _ = testIssuer.Issue(auth.Viewer{UserID: p.user, Role: auth.RoleUser})
		}
	}

	var (
		mu     sync.Mutex
		events []chaosEvent
		next   int              // next pair to write
		acked  = map[pair]int{} // acknowledged writes: pair -> score
	)
	record := func(e chaosEvent) {
		mu.Lock()
		events = append(events, e)
		mu.Unlock()
	}
	done := make(chan struct{})
	var wg sync.WaitGroup
	// Each client pauses 25 ms between requests, and 250 ms after a failure as a client
	// would back off, which also leaves the restarting JVM some CPU on a small machine.
	loop := func(body func(i int) (more, ok bool)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			pause := 25 * time.Millisecond
			for i := 0; ; i++ {
				select {
				case <-done:
					return
				case <-time.After(pause):
				}
				more, ok := body(i)
				if !more {
					return
				}
				pause = 25 * time.Millisecond
				if !ok {
					pause = 250 * time.Millisecond
				}
			}
		}()
	}
	client := &http.Client{Timeout: 30 * time.Second}
	filmList := make([]int64, 0, len(filmIDs))
	for id := range filmIDs {
		filmList = append(filmList, id)
	}
	slices.Sort(filmList)
	const pageQuery = `query Page($id: ID!) { movie(id: $id) { title year ratingSummary { count average } directors { name } } }`
	const rateQuery = `mutation Rate($m: ID!, $s: Int!) { rateMovie(movieId: $m, score: $s) { id viewerState { rating } } }`
	for r := range 3 {
		loop(func(i int) (bool, bool) {
			start := time.Now()
			status, resp, err := postAsTo(client, srv.URL, "", pageQuery, map[string]any{"id": movieID(int(filmList[(i+r)%len(filmList)]))})
			e := chaosEvent{at: start, took: time.Since(start), kind: "read", status: status, transErr: err}
			if err == nil {
				e.codes, e.ok = resp.codes(), status == 200 && len(resp.Errors) == 0 && strings.Contains(string(resp.Data), `"title"`)
			}
			record(e)
			return true, e.ok
		})
	}
	for range 3 {
		loop(func(i int) (bool, bool) {
			mu.Lock()
			if next == len(pairs) {
				mu.Unlock()
				return false, false // every pair written once: the write load is bounded
			}
			p := pairs[next]
			next++
			mu.Unlock()
			score := 1 + int(p.user+p.movie)%10
			start := time.Now()
			status, resp, err := postAsTo(client, srv.URL, tokens[p.user], rateQuery, map[string]any{"m": movieID(int(p.movie)), "s": score})
			e := chaosEvent{at: start, took: time.Since(start), kind: "write", status: status, transErr: err}
			if err == nil {
				e.codes, e.ok = resp.codes(), status == 200 && len(resp.Errors) == 0
			}
			if e.ok {
				mu.Lock()
				acked[p] = score
				mu.Unlock()
			}
			record(e)
			return true, e.ok
		})
	}
	loop(func(int) (bool, bool) {
		for _, path := range []string{"/healthz", "/readyz"} {
			start := time.Now()
			resp, err := client.Get(srv.URL + path)
			e := chaosEvent{at: start, kind: strings.TrimSuffix(strings.TrimPrefix(path, "/"), "z"), transErr: err}
			if err == nil {
				var body struct {
					Neo4j  struct{ State string }
					Checks map[string]string
				}
				_ = json.NewDecoder(resp.Body).Decode(&body)
				resp.Body.Close()
				e.took, e.status, e.ok = time.Since(start), resp.StatusCode, resp.StatusCode == 200
				e.state = body.Neo4j.State
				if path == "/readyz" {
					e.kind, e.state = "ready", body.Checks["neo4jProcess"]
				}
			}
			record(e)
		}
		return true, false // a probe every 250 ms
	})

	// Load until the server is warm and writes have been acknowledged (the ones a kill -9
	// must not lose), then the kill.
	const warm = 20
	for deadline := time.Now().Add(3 * time.Minute); ; time.Sleep(100 * time.Millisecond) {
		mu.Lock()
		reads := 0
		for _, e := range events {
			if e.kind == "read" && e.ok {
				reads++
			}
		}
		writes := len(acked)
		mu.Unlock()
		if reads >= warm && writes >= warm {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("before the kill, only %d reads and %d writes succeeded in 3 minutes", reads, writes)
		}
	}
	before := bundled.Status()
	if before.State != launcher.Running || before.PID == 0 {
		t.Fatalf("before the kill: %+v", before)
	}
	killedAt := time.Now()
	if err := syscall.Kill(before.PID, syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}

	// The supervisor restarts the JVM; then every kind of request must succeed again. The
	// target is 30 s. On a machine so loaded that a Neo4j start alone takes longer, the
	// bound is three times the first start of this very store (which created it; a restart
	// recovers it instead), and the server's own part is checked on its own below.
	bound := max(30*time.Second, 3*firstStart)
	var noticedAt, jvmBackAt, recoveredAt time.Time
	for deadline := killedAt.Add(bound + time.Minute); time.Now().Before(deadline) && recoveredAt.IsZero(); time.Sleep(100 * time.Millisecond) {
		if st := bundled.Status(); noticedAt.IsZero() && st.State == launcher.Restarting {
			noticedAt = time.Now()
		}
		if st := bundled.Status(); jvmBackAt.IsZero() && st.State == launcher.Running && st.Restarts == 1 {
			jvmBackAt = time.Now()
		}
		if jvmBackAt.IsZero() {
			continue
		}
		mu.Lock()
		firstOK := map[string]time.Time{}
		for _, e := range events {
			if e.ok && e.at.After(jvmBackAt) && firstOK[e.kind].IsZero() {
				firstOK[e.kind] = e.at.Add(e.took)
			}
		}
		mu.Unlock()
		if len(firstOK) == 4 {
			for _, at := range firstOK {
				recoveredAt = later(recoveredAt, at)
			}
		}
	}
	time.Sleep(2 * time.Second)
	close(done)
	wg.Wait()

	for _, line := range strings.Split(logs.String(), "\n") {
		if strings.Contains(line, "bundled Neo4j") {
			t.Log(line)
		}
	}
	if noticedAt.IsZero() || noticedAt.Sub(killedAt) > 5*time.Second {
		t.Errorf("the supervisor did not report the exit within 5 s of the kill (at %v)", noticedAt.Sub(killedAt))
	}
	if jvmBackAt.IsZero() {
		t.Fatalf("the JVM was not restarted within %v of the kill (the first start took %v): %+v",
			bound+time.Minute, firstStart.Round(time.Millisecond), bundled.Status())
	}
	if recoveredAt.IsZero() {
		t.Fatalf("reads, writes, /healthz and /readyz did not all succeed within %v of the kill (JVM back after %v; %d of %d pairs written)",
			bound+time.Minute, jvmBackAt.Sub(killedAt).Round(time.Millisecond), next, len(pairs))
	}
	if took := recoveredAt.Sub(killedAt); took > bound {
		t.Errorf("served again %v after the kill, want within %v (the first start took %v)",
			took.Round(time.Millisecond), bound, firstStart.Round(time.Millisecond))
	}
	if took := recoveredAt.Sub(jvmBackAt); took > 10*time.Second {
		t.Errorf("served again %v after the JVM was back, want within 10 s", took.Round(time.Millisecond))
	}
	after := bundled.Status()
	if after.State != launcher.Running || after.PID == before.PID || after.Restarts != 1 || !strings.Contains(after.LastExit, "signal: killed") {
		t.Errorf("supervisor after the restart: %+v", after)
	}
	for _, want := range []string{"exited unexpectedly", "signal: killed", "the bundled Neo4j is back"} {
		if !strings.Contains(logs.String(), want) {
			t.Errorf("the server's log lacks %q", want)
		}
	}

	// During the outage: answers, coded errors, /healthz 200 saying "restarting", /readyz 503.
	outage := map[string]int{}
	var healthStates, readyStates []string
	acksDuring, acksBefore, acksAfter := 0, 0, 0
	for _, e := range events {
		if e.transErr != nil {
			t.Errorf("%s at %v after the kill: no HTTP answer: %v", e.kind, e.at.Sub(killedAt).Round(time.Millisecond), e.transErr)
			continue
		}
		if e.kind == "write" && e.ok && e.at.After(killedAt) {
			acksAfter++
		}
		if e.kind == "write" && e.ok && e.at.Add(e.took).Before(killedAt) {
			acksBefore++
		}
		if e.at.Before(killedAt) || e.at.After(recoveredAt) {
			continue
		}
		switch e.kind {
		case "health":
			if e.status != 200 {
				t.Errorf("/healthz answered %d during the restart; want 200 while it recovers", e.status)
			}
			healthStates = appendNew(healthStates, e.state)
		case "ready":
			readyStates = appendNew(readyStates, fmt.Sprintf("%d %s", e.status, e.state))
		default:
			if e.status >= 500 {
				t.Errorf("%s answered %d", e.kind, e.status)
			}
			for _, c := range e.codes {
				if c != "SERVICE_UNAVAILABLE" {
					t.Errorf("%s answered %s during the outage; want only SERVICE_UNAVAILABLE", e.kind, c)
				}
			}
			// The restarted JVM serves a moment before the supervisor reports it back and
			// this loop (every 100 ms) sees that; a second of slack keeps those writes out.
			if e.ok && e.kind == "write" && e.at.Add(e.took).Before(jvmBackAt.Add(-time.Second)) {
				acksDuring++
			}
		}
		key := fmt.Sprintf("%s %d", e.kind, e.status)
		if len(e.codes) > 0 {
			key += " " + strings.Join(e.codes, ",")
		}
		outage[key]++
	}
	if !slices.Contains(healthStates, string(launcher.Restarting)) {
		t.Errorf("/healthz never said restarting during the outage: states %v", healthStates)
	}
	if !slices.ContainsFunc(readyStates, func(s string) bool { return strings.HasPrefix(s, "503 restarting") }) {
		t.Errorf("/readyz never answered 503 restarting during the outage: %v", readyStates)
	}
	if acksDuring > 0 {
		t.Errorf("%d writes were acknowledged while no Neo4j ran", acksDuring)
	}
	if acksAfter == 0 {
		t.Errorf("no write was acknowledged after the kill")
	}
	keys := make([]string, 0, len(outage))
	for k := range outage {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var byCode []string
	for _, k := range keys {
		byCode = append(byCode, fmt.Sprintf("%s: %d", k, outage[k]))
	}
	t.Logf("requests from the kill to the recovery: %s", strings.Join(byCode, "; "))
	t.Logf("/healthz states seen: %v; /readyz: %v", healthStates, readyStates)
	t.Logf("exit noticed %v after the kill, JVM back after %v, every kind of request served again after %v; %d requests in all; the first start took %v",
		noticedAt.Sub(killedAt).Round(time.Millisecond), jvmBackAt.Sub(killedAt).Round(time.Millisecond),
		recoveredAt.Sub(killedAt).Round(time.Millisecond), len(events), firstStart.Round(time.Millisecond))

	// Every acknowledged rating is in the graph with its score, and each film's cached
	// summary matches its RATED edges; read through a driver of its own.
	check, err := neo4j.NewDriverWithContext(bundled.URI, neo4j.BasicAuth(bundled.Username, bundled.Password, ""))
	if err != nil {
		t.Fatal(err)
	}
	defer check.Close(ctx)
	var users, movies []int64
	for p := range acked {
		users, movies = append(users, p.user), append(movies, p.movie)
	}
	rows, err := neo4j.ExecuteQuery(ctx, check, `UNWIND range(0, size($users) - 1) AS i
		OPTIONAL MATCH (:User {userId: $users[i]})-[r:RATED]->(:Movie {movieId: $movies[i]})
		RETURN $users[i] AS user, $movies[i] AS movie, r.score AS score`,
		map[string]any{"users": users, "movies": movies}, neo4j.EagerResultTransformer)
	if err != nil {
		t.Fatal(err)
	}
	missing := 0
	for _, r := range rows.Records {
		p := pair{r.Values[0].(int64), r.Values[1].(int64)}
		if score, _ := r.Values[2].(int64); score != int64(acked[p]) {
			missing++
			if missing <= 5 {
				t.Errorf("acknowledged rating %v = %d: the graph has %v", p, acked[p], r.Values[2])
			}
		}
	}
	if len(rows.Records) != len(acked) {
		t.Errorf("checked %d ratings, want %d", len(rows.Records), len(acked))
	}
	t.Logf("writes: %d attempted, %d acknowledged (%d before the kill, %d started after it), %d of them present with their score",
		next, len(acked), acksBefore, acksAfter, len(acked)-missing)
	summaries, err := neo4j.ExecuteQuery(ctx, check, `MATCH (m:Movie) WHERE m.movieId IN $films
		OPTIONAL MATCH (:User)-[r:RATED]->(m)
		WITH m, count(r) AS n, coalesce(sum(r.score), 0) AS total
		RETURN m.movieId AS movie, m.ratingCount = n AND m.ratingTotal = total AS consistent`,
		map[string]any{"films": filmList}, neo4j.EagerResultTransformer)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range summaries.Records {
		if ok, _ := r.Get("consistent"); ok != true {
			t.Errorf("film %v: cached rating summary does not match its RATED edges", r.AsMap())
		}
	}
}

func later(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}

func appendNew(list []string, s string) []string {
	if slices.Contains(list, s) {
		return list
	}
	return append(list, s)
}
