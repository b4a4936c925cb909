// Command latency compares the movie page with and without recommendations: it asks for
// 200 random films (a fixed random seed, so the same films every run), each as a plain
// `movie(id)` page and as the same page with `recommended(first: 10)` (reasons included),
// through the real GraphQL handler, from -c clients at once (8 by default), and prints
// p50/p95/p99 of both with the machine's load average before and after.
//
//	NEO4J_URI=bolt://127.0.0.1:7687 NEO4J_PASSWORD=... go run ./recommend/latency [-c 8]
//
// The database must hold the seed and its similarity edges (`go run . seed`), or the
// benchmark's generated data (`go run ./bench -scale 10` leaves it in .bench-data/10x).
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"math"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"filmgraph/graph"
	"filmgraph/relay"
	"filmgraph/store"
)

const films = 200

const plainQuery = `query($id: ID!) { movie(id: $id) {
  id title year cover { url caption } synopsis plot genres { name } directors { name }
  cast(first: 5) { order person { name } } ratingSummary { average count } } }`

const recommendedQuery = `query($id: ID!) { movie(id: $id) {
  id title year cover { url caption } synopsis plot genres { name } directors { name }
  cast(first: 5) { order person { name } } ratingSummary { average count }
  recommended(first: 10) { totalCount edges { node { score movie { id title year cover { url } }
    reasons { kind text via { __typename ... on Movie { id title } ... on Person { id name } ... on Genre { name } ... on Tag { name } } } } } } } }`

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "latency:", err)
		os.Exit(1)
	}
}

func run() error {
	clients := flag.Int("c", 8, "concurrent clients")
	flag.Parse()
	if *clients < 1 {
		return fmt.Errorf("-c %d: want at least 1 client", *clients)
	}
	ctx := context.Background()
	uri := os.Getenv("NEO4J_URI")
	if uri == "" {
		return fmt.Errorf("set NEO4J_URI (and NEO4J_PASSWORD) to a Neo4j holding the seed and its similarity edges")
	}
	user := os.Getenv("NEO4J_USERNAME")
	if user == "" {
		user = "neo4j"
	}
	db, err := store.Open(ctx, store.Config{URI: uri, Username: user, Password: os.Getenv("NEO4J_PASSWORD"), Database: os.Getenv("NEO4J_DATABASE")}, 10*time.Second)
	if err != nil {
		return err
	}
	defer db.Close(ctx)
	srv := httptest.NewServer(graph.NewHandler(&graph.Resolver{Store: db}, slog.New(slog.NewTextHandler(io.Discard, nil)), graph.DefaultOptions()))
	defer srv.Close()

	ids, err := movieIDs(ctx, db)
	if err != nil {
		return err
	}
	rng := rand.New(rand.NewPCG(1, 2))
	rng.Shuffle(len(ids), func(i, j int) { ids[i], ids[j] = ids[j], ids[i] })
	ids = ids[:films]

	// One unmeasured round plans both statements' shapes and warms the page cache.
	for _, q := range []string{plainQuery, recommendedQuery} {
		if _, err := post(srv.URL, q, ids[0]); err != nil {
			return err
		}
	}
	plain, withRecs := make([]time.Duration, len(ids)), make([]time.Duration, len(ids))
	trips := db.RoundTrips()
	loadBefore := loadAverage()
	start := time.Now()
	// Each client takes the next film and asks for both pages, interleaved, so both see
	// the same load.
	next := make(chan int)
	errs := make(chan error, *clients)
	var wg sync.WaitGroup
	for range *clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				d, err := post(srv.URL, plainQuery, ids[i])
				if err == nil {
					plain[i] = d
					d, err = post(srv.URL, recommendedQuery, ids[i])
					withRecs[i] = d
				}
				if err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	var failed error
feed:
	for i := range ids {
		select {
		case next <- i:
		case failed = <-errs:
			break feed
		}
	}
	close(next)
	wg.Wait()
	if failed == nil && len(errs) > 0 {
		failed = <-errs
	}
	if failed != nil {
		return failed
	}
	fmt.Printf("%d random films (fixed seed), %d clients, %d statements for %d requests in %s; load average %s before, %s after\n\n",
		films, *clients, db.RoundTrips()-trips, 2*films, time.Since(start).Round(time.Millisecond), loadBefore, loadAverage())
	fmt.Println("| query | p50 | p95 | p99 |")
	fmt.Println("| --- | --- | --- | --- |")
	for _, r := range []struct {
		name string
		d    []time.Duration
	}{{"movie(id)", plain}, {"movie(id) + recommended(first: 10)", withRecs}} {
		slices.Sort(r.d)
		fmt.Printf("| %s | %s | %s | %s |\n", r.name, ms(pct(r.d, 50)), ms(pct(r.d, 95)), ms(pct(r.d, 99)))
	}
	return nil
}

// movieIDs returns every film's MovieLens id in id order.
func movieIDs(ctx context.Context, db *store.Store) ([]int64, error) {
	sess := db.Driver().NewSession(ctx, neo4jSessionConfig(db))
	defer sess.Close(ctx)
	res, err := sess.Run(ctx, "MATCH (m:Movie) RETURN m.movieId AS id ORDER BY id", nil)
	if err != nil {
		return nil, err
	}
	var ids []int64
	for res.Next(ctx) {
		id, _ := res.Record().Values[0].(int64)
		ids = append(ids, id)
	}
	if len(ids) < films {
		return nil, fmt.Errorf("only %d films in the database", len(ids))
	}
	return ids, res.Err()
}

// client keeps a connection per concurrent client (the default keeps 2 idle).
var client = &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}}

// post sends one query for the film and returns its latency; GraphQL errors fail.
func post(url, query string, id int64) (time.Duration, error) {
	body, _ := json.Marshal(map[string]any{"query": query, "variables": map[string]any{"id": relay.ID("Movie", strconv.FormatInt(id, 10))}})
	start := time.Now()
	resp, err := client.Post(url, "application/json", bytes.NewReader(body))
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	var out struct{ Errors []any }
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		return 0, err
	}
	elapsed := time.Since(start)
	if len(out.Errors) > 0 {
		return 0, fmt.Errorf("film %d: %v", id, out.Errors)
	}
	return elapsed, nil
}

// loadAverage is the machine's 1, 5 and 15 minute load averages, as uptime shows them.
func loadAverage() string {
	data, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	f := strings.Fields(string(data))
	if len(f) < 3 {
		return "unknown"
	}
	return strings.Join(f[:3], " ")
}

func pct(sorted []time.Duration, p int) time.Duration {
	i := int(math.Ceil(float64(p)/100*float64(len(sorted)))) - 1
	return sorted[max(i, 0)]
}

func ms(d time.Duration) string { return fmt.Sprintf("%.1f ms", float64(d.Microseconds())/1000) }

func neo4jSessionConfig(db *store.Store) neo4j.SessionConfig {
	return neo4j.SessionConfig{DatabaseName: db.Database(), AccessMode: neo4j.AccessModeRead}
}
