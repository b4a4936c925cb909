package server

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"filmgraph/apperr"
	"filmgraph/auth"
	"filmgraph/cypher"
	"filmgraph/internal/neo4jtest"
	"filmgraph/observe"
	"filmgraph/store"
)

// TestRatingContention: many members rate one film at the same moment, on a healthy
// database. Lock waits and connection-pool waits are load, not an outage: every write must
// succeed, and the film's cached rating summary must equal a recomputation from its RATED
// edges afterwards.
func TestRatingContention(t *testing.T) {
	if testing.Short() {
		t.Skip("600 concurrent writes")
	}
	const (
		clients = 30
		rounds  = 20
		film    = int64(990_013)
		firstID = int64(2_013_001)
		earlier = 200 // ratings the film has before the test
	)
	// A popular film: 200 earlier ratings make it a dense node, as the films people rate
	// at the same moment are (its relationships then live in groups, locked on MERGE).
	cypherRows(t, `CREATE (m:Movie {movieId: $film, title: 'Contention Film'})
		WITH m UNWIND range($first, $first + $n + $earlier - 1) AS id
		CREATE (u:User {userId: id, username: 'contention-' + id, role: 'USER', joinedAt: datetime()})
		WITH m, u, id WHERE id >= $first + $n
		CREATE (u)-[:RATED {score: 1 + id % 10, ratedAt: datetime()}]->(m)
		WITH m, count(*) AS n, sum(1 + id % 10) AS total
		SET m.ratingCount = n, m.ratingTotal = total, m.ratingAverage = toFloat(total) / n`,
		map[string]any{"film": film, "first": firstID, "n": clients, "earlier": earlier})
	t.Cleanup(func() {
		cypherRows(t, `MATCH (n) WHERE (n:Movie AND n.movieId = $film) OR (n:User AND n.userId >= $first AND n.userId < $first + $n + $earlier)
			DETACH DELETE n`, map[string]any{"film": film, "first": firstID, "n": clients, "earlier": earlier})
	})

	srv := newStoreServer(t, nil)

	const op = `mutation($m: ID!, $s: Int!) { rateMovie(movieId: $m, score: $s) { id ratingSummary { count } } }`
	type outcome struct {
		took  time.Duration
		codes []string
		err   error
	}
	var (
		mu        sync.Mutex
		outcomes  []outcome
		lastScore = map[int64]int64{} // user -> score of its last acknowledged rating
		wg        sync.WaitGroup
	)
	client := &http.Client{Timeout: testConfig.requestTimeout + 20*time.Second}
	start := time.Now()
	for c := range int64(clients) {
		user := firstID + c
		token, _, err := testIssuer.Issue(auth.Viewer{UserID: user, Role: auth.RoleUser})
		if err != nil {
			t.Fatal(err)
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			for r := range int64(rounds) {
				score := 1 + (user*7+r*3)%10
				body, _ := json.Marshal(map[string]any{"query": op, "variables": map[string]any{"m": movieID(int(film)), "s": score}})
				req, _ := http.NewRequest(http.MethodPost, srv.URL+"/graphql", bytes.NewReader(body))
				req.Header.Set("Content-Type", "application/json")
				req.Header.Set("Authorization", "Bearer "+token)
				began := time.Now()
				o := outcome{}
				resp, err := client.Do(req)
				if err == nil {
					var out gqlResponse
					err = json.NewDecoder(resp.Body).Decode(&out)
					resp.Body.Close()
					o.codes = out.codes()
					if err == nil && resp.StatusCode != http.StatusOK {
						err = fmt.Errorf("HTTP %d", resp.StatusCode)
					}
				}
				o.took, o.err = time.Since(began), err
				mu.Lock()
				outcomes = append(outcomes, o)
				if err == nil && len(o.codes) == 0 {
					lastScore[user] = score
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)

	codes := map[string]int{}
	var took []time.Duration
	for _, o := range outcomes {
		took = append(took, o.took)
		if o.err != nil {
			codes["transport: "+o.err.Error()]++
		}
		for _, c := range o.codes {
			codes[c]++
		}
	}
	slices.Sort(took)
	t.Logf("%d rateMovie calls (%d clients x %d) in %v: errors %v; per call median %v, p95 %v, slowest %v",
		len(outcomes), clients, rounds, elapsed.Round(time.Millisecond), codes,
		took[len(took)/2].Round(time.Millisecond), took[len(took)*95/100].Round(time.Millisecond), took[len(took)-1].Round(time.Millisecond))
	if len(codes) > 0 {
		t.Errorf("writes on a healthy database failed: %v; want every one to succeed", codes)
	}

	// The graph, read by independent Cypher: each member's rating is its last acknowledged
	// score, and the film's cache equals a recomputation from the RATED edges.
	edges := cypherRows(t, `MATCH (u:User)-[r:RATED]->(:Movie {movieId: $film}) RETURN u.userId AS user, r.score AS score`,
		map[string]any{"film": film})
	for _, e := range edges {
		user, score := e["user"].(int64), e["score"].(int64)
		if want, acked := lastScore[user]; acked && score != want {
			t.Errorf("user %d: rating %d in the graph, last acknowledged %d", user, score, want)
		}
	}
	if len(lastScore) != clients {
		t.Errorf("%d of %d members had a rating acknowledged", len(lastScore), clients)
	}
	row := cypherRows(t, `MATCH (m:Movie {movieId: $film})
		OPTIONAL MATCH (:User)-[r:RATED]->(m)
		WITH m, count(r) AS n, sum(r.score) AS total
		RETURN m.ratingCount AS count, m.ratingTotal AS total, m.ratingAverage AS average, n AS wantCount, total AS wantTotal,
			CASE n WHEN 0 THEN null ELSE toFloat(total) / n END AS wantAverage`, map[string]any{"film": film})[0]
	if row["count"] != row["wantCount"] || row["total"] != row["wantTotal"] || row["average"] != row["wantAverage"] {
		t.Errorf("cached rating summary %v/%v/%v, recomputed from the RATED edges %v/%v/%v",
			row["count"], row["total"], row["average"], row["wantCount"], row["wantTotal"], row["wantAverage"])
	}
	if row["wantCount"] != int64(clients+earlier) {
		t.Errorf("%v RATED edges, want one per member (%d)", row["wantCount"], clients+earlier)
	}
}

// newStoreServer serves the API with the default configuration changed by change, over a
// store of its own opened as the binary opens it (pool size, acquisition timeout), so that
// what its health tracking concludes does not leak into other tests.
func newStoreServer(t *testing.T, change func(*config)) *httptest.Server {
	t.Helper()
	cfg := testConfig
	if change != nil {
		change(&cfg)
	}
	db, err := store.Open(context.Background(), cfg.neo4j, 10*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer((&server{log: observe.NewLogger(os.Stderr, false, slog.LevelWarn), db: db, cfg: cfg, issuer: testIssuer}).routes())
	t.Cleanup(func() {
		srv.Close()
		db.Close(context.Background())
	})
	return srv
}

// TestLockAndPoolWaitsAreTimeouts: while another transaction holds a film's lock, rating it
// waits for the lock, and with a pool of one connection every other request waits for
// that connection. Both are load: they answer TIMEOUT at the request's deadline, never
// SERVICE_UNAVAILABLE, and the next request after the lock is released succeeds.
func TestLockAndPoolWaitsAreTimeouts(t *testing.T) {
	const (
		film    = int64(990_014)
		firstID = int64(2_014_001)
		users   = 3
	)
	cypherRows(t, `CREATE (:Movie {movieId: $film, title: 'Locked Film', ratingCount: 0, ratingTotal: 0})
		WITH * UNWIND range($first, $first + $n - 1) AS id
		CREATE (:User {userId: id, username: 'locked-' + id, role: 'USER', joinedAt: datetime()})`,
		map[string]any{"film": film, "first": firstID, "n": users})
	t.Cleanup(func() {
		cypherRows(t, `MATCH (n) WHERE (n:Movie AND n.movieId = $film) OR (n:User AND n.userId >= $first AND n.userId < $first + $n)
			DETACH DELETE n`, map[string]any{"film": film, "first": firstID, "n": users})
	})
	const timeout = 2 * time.Second
	srv := newStoreServer(t, func(c *config) {
		c.requestTimeout, c.neo4j.RequestTimeout, c.neo4j.MaxConnections = timeout, timeout, 1
	})

	// Another client takes the film's write lock and keeps it.
	ctx := context.Background()
	session := neo4jtest.Driver(t).NewSession(ctx, neo4j.SessionConfig{DatabaseName: neo4jtest.Database()})
	defer session.Close(ctx)
	tx, err := session.BeginTransaction(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tx.Run(ctx, `MATCH (m:Movie {movieId: $film}) SET m.ratingCount = m.ratingCount`, map[string]any{"film": film}); err != nil {
		t.Fatal(err)
	}

	client := &http.Client{Timeout: 30 * time.Second}
	rate := func(user int64) (int, gqlResponse, time.Duration, error) {
		token, _, _ := testIssuer.Issue(auth.Viewer{UserID: user, Role: auth.RoleUser})
		start := time.Now()
		status, resp, err := postAsTo(client, srv.URL, token, `mutation($m: ID!) { rateMovie(movieId: $m, score: 7) { id } }`,
			map[string]any{"m": movieID(int(film))})
		return status, resp, time.Since(start), err
	}
	var wg sync.WaitGroup
	for i := range int64(users) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if i > 0 {
				time.Sleep(200 * time.Millisecond) // the first one holds the pool's connection
			}
			status, resp, took, err := rate(firstID + i)
			t.Logf("rateMovie %d while the film is locked: HTTP %d %v after %v", i, status, resp.codes(), took.Round(time.Millisecond))
			if err != nil || status != http.StatusOK || !slices.Equal(resp.codes(), []string{"TIMEOUT"}) {
				t.Errorf("rateMovie %d: HTTP %d, codes %v, error %v; want TIMEOUT", i, status, resp.codes(), err)
			}
		}()
	}
	wg.Wait()
	if err := tx.Rollback(ctx); err != nil {
		t.Fatal(err)
	}
	// The timed-out statements may still wait in Neo4j until its transaction monitor stops
	// them (every 2 s); the next rating would queue behind them.
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		rows := cypherRows(t, `SHOW TRANSACTIONS YIELD currentQuery WHERE currentQuery CONTAINS $rating RETURN count(*) AS n`,
			map[string]any{"rating": "$viewerId"}) // a parameter, or this query would find itself
		if rows[0]["n"] == int64(0) {
			break
		}
	}
	status, resp, took, err := rate(firstID)
	if err != nil || status != http.StatusOK || len(resp.Errors) > 0 {
		t.Errorf("rateMovie after the lock was released: HTTP %d, codes %v, error %v; want success", status, resp.codes(), err)
	}
	t.Logf("rateMovie after the lock was released: %v", took.Round(time.Millisecond))
	row := cypherRows(t, `MATCH (m:Movie {movieId: $film}) RETURN m.ratingCount AS count, COUNT { (m)<-[:RATED]-() } AS edges`,
		map[string]any{"film": film})[0]
	if row["count"] != int64(1) || row["edges"] != int64(1) {
		t.Errorf("after the timeouts and one rating: cache count %v, RATED edges %v; want 1 and 1 (nothing half-written)", row["count"], row["edges"])
	}
}

// TestDeadlocksAreRetried: writers lock two nodes in opposite orders, so Neo4j kills some
// of their transactions as deadlocked (a transient error). The store reruns them: none
// answers SERVICE_UNAVAILABLE, every write succeeds (or, on a machine too loaded to finish
// the reruns, answers TIMEOUT at its deadline), and each acknowledged write counts once.
func TestDeadlocksAreRetried(t *testing.T) {
	if testing.Short() {
		t.Skip("200 concurrent writes")
	}
	const writers, rounds = 10, 20
	cypherRows(t, `CREATE (:DeadlockProbe {n: 1, v: 0}), (:DeadlockProbe {n: 2, v: 0})`, nil)
	t.Cleanup(func() { cypherRows(t, `MATCH (p:DeadlockProbe) DELETE p`, nil) })
	db, err := store.Open(context.Background(), testConfig.neo4j, 10*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close(context.Background())

	// Lock one node, work a little while holding it, then lock the other.
	const lockBoth = `MATCH (a:DeadlockProbe {n: $first}) SET a.v = a.v + 1
		WITH a, reduce(s = 0, x IN range(1, 5000) | s + x) AS busy
		MATCH (b:DeadlockProbe {n: 3 - $first}) SET b.v = b.v + 1
		RETURN {a: a.v, b: b.v, busy: busy} AS this`
	var (
		mu       sync.Mutex
		codes    = map[string]int{}
		acked    int64
		earliest = testConfig.requestTimeout // the quickest TIMEOUT
		wg       sync.WaitGroup
	)
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range rounds {
				ctx, cancel := context.WithTimeout(context.Background(), testConfig.requestTimeout)
				start := time.Now()
				_, err := db.WriteOne(ctx, cypher.Statement{Text: lockBoth, Params: map[string]any{"first": 1 + w%2}})
				took := time.Since(start)
				cancel()
				mu.Lock()
				if err != nil {
					codes[string(apperr.CodeOf(err))]++
					if apperr.CodeOf(err) == apperr.Timeout {
						earliest = min(earliest, took)
					}
				} else {
					acked++
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	reruns := db.RoundTrips() - writers*rounds
	t.Logf("%d writes, %d reruns of deadlocked transactions, errors %v", writers*rounds, reruns, codes)
	for code, n := range codes {
		if code != string(apperr.Timeout) {
			t.Errorf("%d writes answered %s; want every one to succeed", n, code)
		}
	}
	// A rerun stops when its next pause would end past the deadline, at most 1 s early.
	if codes[string(apperr.Timeout)] > 0 && earliest < testConfig.requestTimeout-maxRetryPause {
		t.Errorf("a write answered TIMEOUT after %v, before its %v deadline", earliest.Round(time.Millisecond), testConfig.requestTimeout)
	}
	// A write cut at its deadline may or may not have committed; an acknowledged one has.
	for _, row := range cypherRows(t, `MATCH (p:DeadlockProbe) RETURN p.n AS n, p.v AS v`, nil) {
		if v := row["v"].(int64); v < acked || v > acked+int64(codes[string(apperr.Timeout)]) {
			t.Errorf("node %v counted %d writes; %d were acknowledged (each must count exactly once)", row["n"], v, acked)
		}
	}
	if reruns == 0 {
		t.Log("no transaction deadlocked in this run: the reruns were not exercised")
	}
}

// maxRetryPause is the longest pause the store makes between reruns (jitter included).
const maxRetryPause = time.Second
