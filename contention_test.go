package main

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

	"filmgraph/auth"
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

	// A server of its own, with a store opened as the binary opens it (same pool sizing),
	// so that what its health tracking concludes does not leak into other tests.
	db := openTestStore(t, testConfig)
	srv := httptest.NewServer((&server{log: observe.NewLogger(os.Stderr, false, slog.LevelWarn), db: db, cfg: testConfig, issuer: testIssuer}).routes())
	defer srv.Close()

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

// openTestStore opens a store of its own on the tests' Neo4j with cfg, closed at the end
// of the test.
func openTestStore(t *testing.T, cfg config) *store.Store {
	t.Helper()
	db, err := store.Open(context.Background(), cfg.neo4j, 10*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close(context.Background()) })
	return db
}
