// Command latency compares the movie page with and without recommendations: it asks for
// 200 random films (-films; a fixed random seed, so the same films every run), each as a plain
// `movie(id)` page and as the same page with `recommended(first: 10)` (reasons included),
// through the real GraphQL handler, from -c clients at once (8 by default), and prints
// p50/p95/p99 of both with the machine's load average before and after.
//
//	NEO4J_URI=bolt://127.0.0.1:7687 NEO4J_PASSWORD=... go run ./recommend/latency [-c 1,8]
//	go run ./recommend/latency -scale 10 -similar asked -c 1,8
//
// Without -scale, the database of NEO4J_URI must hold the seed and its similarity edges
// (`go run . seed`). With -scale N, N copies of the seed are loaded on first use into it
// or, without NEO4J_URI, into the bundled Neo4j started in the benchmark's data directory
// (.bench-data/Nx, shared with `go run ./bench -scale N`). -similar says how the
// similarity edges are computed when the database has no complete refresh: "all" runs
// the full refresh, "asked" the normal refresh (recommend.RefreshFilms) for the films
// asked for only, as their pages read only their own edges. -leakage also prints the
// popularity leakage of issue 14 (see printLeakage).
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
	"os/signal"
	"path/filepath"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"filmgraph/graph"
	"filmgraph/launcher"
	"filmgraph/recommend"
	"filmgraph/relay"
	"filmgraph/seed"
	"filmgraph/server"
	"filmgraph/store"
)

// defaultFilms is how many random films a run asks for (-films).
const defaultFilms = 200

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
	clientList := flag.String("c", "8", "comma-separated numbers of concurrent clients, one run each")
	scale := flag.Int("scale", 0, "0: the database of NEO4J_URI as it is; N: N copies of the seed, loaded on first use into NEO4J_URI or, without it, the bundled Neo4j in .bench-data/Nx")
	similar := flag.String("similar", "all", `similarity edges to compute when missing: "all" (a full refresh) or "asked" (the films asked for only)`)
	heapMB := flag.Int("heap-mb", 0, "with -scale: JVM heap of the bundled Neo4j (0: 1024 at 1x, 2048 above, as go run ./bench)")
	cacheMB := flag.Int("pagecache-mb", 0, "with -scale: page cache of the bundled Neo4j (0: 256 at 1x, 1024 above, as go run ./bench)")
	jvm := flag.String("jvm", "", "with -scale: further JVM options of the bundled Neo4j, separated by spaces (e.g. -Xlog:gc:file=gc.log)")
	dbPIDFlag := flag.Int("db-pid", 0, "without -scale: the process id of the Neo4j of NEO4J_URI on this machine, to print its CPU per request")
	warm := flag.Int("warmup", 0, "unmeasured passes over the films' two pages before the runs, from the first number of -c clients (a JVM just started compiles Neo4j's code for its first few thousand requests)")
	leakage := flag.Bool("leakage", false, "also print the popularity leakage of the HYBRID lists of -films random films with at least 10 ratings")
	films := flag.Int("films", defaultFilms, "how many random films (a fixed random choice) each run and -leakage ask for; fewer make a shorter run (the smoke test)")
	flag.Parse()
	gcPercent, requestTimeout, err := server.MeasuredSettings() // as the server runs
	if err != nil {
		return err
	}
	debug.SetGCPercent(gcPercent)
	clients, err := parseClients(*clientList)
	if err != nil {
		return err
	}
	if *similar != "all" && *similar != "asked" {
		return fmt.Errorf(`-similar %q: want "all" or "asked"`, *similar)
	}
	if *warm < 0 {
		return fmt.Errorf("-warmup %d: want a number of passes, 0 or more", *warm)
	}
	if *films < 1 {
		return fmt.Errorf("-films %d: want a number of films, 1 or more", *films)
	}
	if *scale < 0 {
		return fmt.Errorf("-scale %d: want 0 (NEO4J_URI) or a number of copies", *scale)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	cfg := store.Config{URI: os.Getenv("NEO4J_URI"), Username: os.Getenv("NEO4J_USERNAME"), Password: os.Getenv("NEO4J_PASSWORD"), Database: os.Getenv("NEO4J_DATABASE"),
		RequestTimeout: requestTimeout}
	if cfg.Username == "" {
		cfg.Username = "neo4j"
	}
	if cfg.URI != "" && (*jvm != "" || *heapMB != 0 || *cacheMB != 0) {
		return fmt.Errorf("-jvm, -heap-mb and -pagecache-mb set the bundled Neo4j's, which -scale starts when NEO4J_URI is unset")
	}
	dbPID := *dbPIDFlag // for the database's CPU per request
	if *scale > 0 && cfg.URI == "" {
		inst, err := startBundled(ctx, *scale, *heapMB, *cacheMB, strings.Fields(*jvm))
		if err != nil {
			return err
		}
		defer inst.Stop()
		cfg.URI, cfg.Username, cfg.Password, cfg.Database = inst.URI, inst.Username, inst.Password, ""
		dbPID = inst.PID()
	}
	if cfg.URI == "" {
		return fmt.Errorf("set NEO4J_URI (and NEO4J_PASSWORD) to a Neo4j holding the seed and its similarity edges, or use -scale")
	}
	db, err := store.Open(ctx, cfg, 10*time.Second)
	if err != nil {
		return err
	}
	defer db.Close(context.Background())
	if *scale > 0 {
		if err := ensureData(ctx, db, *scale); err != nil {
			return err
		}
	}
	ids, err := movieIDs(ctx, db, *films)
	if err != nil {
		return err
	}
	rng := rand.New(rand.NewPCG(1, 2))
	rng.Shuffle(len(ids), func(i, j int) { ids[i], ids[j] = ids[j], ids[i] })
	ids = ids[:*films]
	if err := ensureSimilar(ctx, db, *similar, ids); err != nil {
		return err
	}
	counts, err := seed.Count(ctx, db.Driver(), db.Database())
	if err != nil {
		return err
	}
	fmt.Printf("data: %s\n", counts)
	if err := warmUp(db, ids, clients[0], *warm); err != nil {
		return err
	}
	for _, c := range clients {
		if err := measure(db, ids, c, dbPID); err != nil {
			return err
		}
	}
	if *leakage {
		return printLeakage(ctx, db, *similar, *films)
	}
	return nil
}

// measure asks for the films' two pages from that many clients at once and prints the table
// and what the run cost (dbPID: the bundled Neo4j's process, 0 if unknown).
func measure(db *store.Store, ids []int64, clients, dbPID int) error {
	srv := httptest.NewServer(graph.NewHandler(&graph.Resolver{Store: db}, slog.New(slog.NewTextHandler(io.Discard, nil)), graph.DefaultOptions()))
	defer srv.Close()

	// One unmeasured round plans both statements' shapes and warms the page cache.
	for _, q := range []string{plainQuery, recommendedQuery} {
		if _, err := post(srv.URL, q, ids[0]); err != nil {
			return err
		}
	}
	trips := db.RoundTrips()
	loadBefore := loadAverage()
	before := sampleCosts(dbPID)
	start := time.Now()
	plain, withRecs, err := askAll(srv.URL, ids, clients)
	after := sampleCosts(dbPID)
	if err != nil {
		return err
	}
	fmt.Printf("\n%d random films (fixed seed), %d clients, %d statements for %d requests in %s; load average %s before, %s after\n\n",
		len(ids), clients, db.RoundTrips()-trips, 2*len(ids), time.Since(start).Round(time.Millisecond), loadBefore, loadAverage())
	fmt.Println("| query | p50 | p95 | p99 |")
	fmt.Println("| --- | --- | --- | --- |")
	for _, r := range []struct {
		name string
		d    []time.Duration
	}{{"movie(id)", plain}, {"movie(id) + recommended(first: 10)", withRecs}} {
		slices.Sort(r.d)
		fmt.Printf("| %s | %s | %s | %s |\n", r.name, ms(pct(r.d, 50)), ms(pct(r.d, 95)), ms(pct(r.d, 99)))
	}
	after.report(before, 2*len(ids))
	return nil
}

// warmUp asks for the films' two pages passes times from that many clients, unmeasured:
// the JVM compiles Neo4j's hot code as it runs, and a page cost several times its steady
// CPU for the first few thousand requests after a start.
func warmUp(db *store.Store, ids []int64, clients, passes int) error {
	if passes == 0 {
		return nil
	}
	srv := httptest.NewServer(graph.NewHandler(&graph.Resolver{Store: db}, slog.New(slog.NewTextHandler(io.Discard, nil)), graph.DefaultOptions()))
	defer srv.Close()
	start := time.Now()
	for range passes {
		if _, _, err := askAll(srv.URL, ids, clients); err != nil {
			return err
		}
	}
	fmt.Printf("\nwarm-up: %d unmeasured requests from %d clients in %s\n", 2*len(ids)*passes, clients, time.Since(start).Round(time.Millisecond))
	return nil
}

// askAll asks for every film's two pages from that many clients and returns their
// latencies, in the order of ids.
func askAll(url string, ids []int64, clients int) (plain, withRecs []time.Duration, err error) {
	plain, withRecs = make([]time.Duration, len(ids)), make([]time.Duration, len(ids))
	// Each client takes the next film and asks for both pages, interleaved, so both see
	// the same load.
	next := make(chan int)
	errs := make(chan error, clients)
	var wg sync.WaitGroup
	for range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				d, err := post(url, plainQuery, ids[i])
				if err == nil {
					plain[i] = d
					d, err = post(url, recommendedQuery, ids[i])
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
	return plain, withRecs, failed
}

// Popularity leakage (issue 14): over -films films (200) with at least leakageMinRatings ratings
// (a fixed random choice), the average number of the top 10 HYBRID slots of their pages
// taken by the leakageTop most rated films.
const (
	leakageMinRatings = 10
	leakageTop        = 20
)

const leakageQuery = `query($id: ID!) { movie(id: $id) { recommended(first: 10) { edges { node { movie { id } } } } } }`

// printLeakage reads the films' lists through the GraphQL handler, as a page does, and the
// most rated films with Cypher of its own.
func printLeakage(ctx context.Context, db *store.Store, similar string, films int) error {
	query := func(stmt string) ([]any, error) {
		res, err := neo4j.ExecuteQuery(ctx, db.Driver(), stmt, map[string]any{"min": leakageMinRatings, "top": leakageTop},
			neo4j.EagerResultTransformer, neo4j.ExecuteQueryWithDatabase(db.Database()))
		if err != nil {
			return nil, err
		}
		return res.Records[0].Values[0].([]any), nil
	}
	ratedIDs, err := query(`MATCH (m:Movie) WHERE COUNT { (m)<-[:RATED]-(:User) } >= $min RETURN collect(m.movieId)`)
	if err != nil {
		return err
	}
	topIDs, err := query(`MATCH (m:Movie) WITH m, COUNT { (m)<-[:RATED]-(:User) } AS raters
		ORDER BY raters DESC, m.movieId LIMIT $top RETURN collect(m.movieId)`)
	if err != nil {
		return err
	}
	var rated []int64
	top := map[string]bool{}
	for _, id := range ratedIDs {
		rated = append(rated, id.(int64))
	}
	for _, id := range topIDs {
		top[relay.ID("Movie", strconv.FormatInt(id.(int64), 10))] = true
	}
	if len(rated) < films {
		return fmt.Errorf("leakage: only %d films with %d ratings or more", len(rated), leakageMinRatings)
	}
	slices.Sort(rated)
	rng := rand.New(rand.NewPCG(3, 4))
	rng.Shuffle(len(rated), func(i, j int) { rated[i], rated[j] = rated[j], rated[i] })
	rated = rated[:films]
	if err := ensureSimilar(ctx, db, similar, rated); err != nil {
		return err
	}
	srv := httptest.NewServer(graph.NewHandler(&graph.Resolver{Store: db}, slog.New(slog.NewTextHandler(io.Discard, nil)), graph.DefaultOptions()))
	defer srv.Close()
	taken := 0
	for _, id := range rated {
		body, _ := json.Marshal(map[string]any{"query": leakageQuery, "variables": map[string]any{"id": relay.ID("Movie", strconv.FormatInt(id, 10))}})
		resp, err := client.Post(srv.URL, "application/json", bytes.NewReader(body))
		if err != nil {
			return err
		}
		var out struct {
			Data struct {
				Movie struct {
					Recommended struct {
						Edges []struct {
							Node struct{ Movie struct{ ID string } }
						}
					}
				}
			}
			Errors []any
		}
		err = json.NewDecoder(resp.Body).Decode(&out)
		resp.Body.Close()
		if err != nil || len(out.Errors) > 0 {
			return fmt.Errorf("leakage: film %d: %v %v", id, err, out.Errors)
		}
		for _, e := range out.Data.Movie.Recommended.Edges {
			if top[e.Node.Movie.ID] {
				taken++
			}
		}
	}
	fmt.Printf("\npopularity leakage: over %d random films with at least %d ratings, %.2f of the top 10 HYBRID slots are taken by the %d most rated films\n",
		films, leakageMinRatings, float64(taken)/float64(films), leakageTop)
	return nil
}

// parseClients reads -c: positive numbers separated by commas.
func parseClients(list string) ([]int, error) {
	var out []int
	for _, f := range strings.Split(list, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n < 1 {
			return nil, fmt.Errorf("-c %q: want numbers of clients (at least 1) separated by commas", list)
		}
		out = append(out, n)
	}
	return out, nil
}

// startBundled starts the bundled Neo4j in the benchmark's data directory of this scale,
// with the benchmark's memory settings unless given.
func startBundled(ctx context.Context, scale, heapMB, cacheMB int, jvm []string) (*launcher.Instance, error) {
	if heapMB == 0 {
		heapMB = map[bool]int{true: 1024, false: 2048}[scale == 1]
	}
	if cacheMB == 0 {
		cacheMB = map[bool]int{true: 256, false: 1024}[scale == 1]
	}
	dir, err := filepath.Abs(filepath.Join(".bench-data", strconv.Itoa(scale)+"x"))
	if err != nil {
		return nil, err
	}
	fmt.Fprintf(os.Stderr, "latency: starting the bundled Neo4j in %s (heap %d MB, page cache %d MB, JVM options %q)\n", dir, heapMB, cacheMB, jvm)
	opts := launcher.Options{DataDir: dir, HeapMB: heapMB, PageCacheMB: cacheMB, JVMOptions: jvm}
	inst, err := launcher.Start(ctx, opts)
	if err != nil && ctx.Err() == nil {
		// On a loaded machine a first start, which creates the store, can outlast the
		// launcher's bound; the next start finds the store made.
		fmt.Fprintf(os.Stderr, "latency: %v; starting again\n", err)
		inst, err = launcher.Start(ctx, opts)
	}
	return inst, err
}

// ensureData loads scale copies of the seed unless the database holds them.
func ensureData(ctx context.Context, db *store.Store, scale int) error {
	seeded, err := seed.SeededScaled(ctx, db.Driver(), db.Database(), scale)
	if err != nil || seeded {
		return err
	}
	fmt.Fprintf(os.Stderr, "latency: loading %dx data (first run only)\n", scale)
	_, err = seed.LoadScaled(ctx, db.Driver(), db.Database(), scale, os.Stderr)
	return err
}

// ensureSimilar computes the similarity edges unless a full refresh has completed: all
// of them (how = "all"), or those of the films asked for (how = "asked"; skipped when
// every one of them already has its edges computed, see recommend's stamp).
func ensureSimilar(ctx context.Context, db *store.Store, how string, ids []int64) error {
	current, err := recommend.Current(ctx, db.Driver(), db.Database())
	if err != nil || current {
		return err
	}
	if how == "all" {
		return recommend.EnsureSimilar(ctx, db.Driver(), db.Database(), os.Stderr)
	}
	res, err := neo4j.ExecuteQuery(ctx, db.Driver(), `MATCH (m:Movie) WHERE m.movieId IN $ids AND m.similarAt IS NOT NULL RETURN count(m) AS n`,
		map[string]any{"ids": ids}, neo4j.EagerResultTransformer, neo4j.ExecuteQueryWithDatabase(db.Database()))
	if err != nil {
		return err
	}
	if n, _, _ := neo4j.GetRecordValue[int64](res.Records[0], "n"); n == int64(len(ids)) {
		return nil
	}
	start := time.Now()
	if err := recommend.RefreshFilms(ctx, db.Driver(), db.Database(), ids, os.Stderr); err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "latency: similarity edges of the %d films asked for computed in %s\n", len(ids), time.Since(start).Round(time.Millisecond))
	return nil
}

// movieIDs returns every film's MovieLens id in id order.
func movieIDs(ctx context.Context, db *store.Store, films int) ([]int64, error) {
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
