// Package harness drives filmgraph's example operations over HTTP against an in-process
// server, next to a baseline that fetches the same data with one hand-written Cypher
// statement per operation, and reports throughput, latency and costs per operation.
// `go run ./bench` is its command; a smoke test in package server runs it briefly.
package harness

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"runtime/metrics"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"filmgraph/auth"
	"filmgraph/store"
)

// Target is what the harness measures: the GraphQL handler (served at /graphql) and the
// store behind it, whose driver the baseline shares.
type Target struct {
	GraphQL http.Handler
	Store   *store.Store
	// Issuer signs the tokens of operations run as a signed-in viewer.
	Issuer *auth.Issuer
	// DBPID is the Neo4j process id, for its CPU per operation; 0 when unknown.
	DBPID int
}

// Options say what to run and for how long.
type Options struct {
	QueriesDir  string        // the example operations, docs/queries
	Duration    time.Duration // measured time of each (operation, side, concurrency)
	Warmup      time.Duration // unmeasured load before each operation's first run
	Concurrency []int         // client goroutines, e.g. 1, 8, 32
	Only        []string      // operation names to run; empty runs all
	Sides       []string      // SideFilmgraph and/or SideBaseline; empty runs both
	SkipWrites  bool          // leave out mutations (the smoke test shares its database)
	Log         io.Writer     // progress lines; nil discards them
}

// Side names the two implementations of an operation.
const (
	SideFilmgraph = "filmgraph"
	SideBaseline  = "baseline"
)

// Result is one measured run: one operation, one side, one concurrency.
type Result struct {
	Operation   string  `json:"operation"`
	Side        string  `json:"side"`
	Concurrency int     `json:"concurrency"`
	Requests    int64   `json:"requests"`
	Errors      int64   `json:"errors"`
	Seconds     float64 `json:"seconds"`
	Throughput  float64 `json:"throughputPerSec"`
	P50ms       float64 `json:"p50Ms"`
	P95ms       float64 `json:"p95Ms"`
	P99ms       float64 `json:"p99Ms"`
	RoundTrips  float64 `json:"roundTripsPerOp"`
	Bytes       float64 `json:"bytesPerResponse"`
	// CPUus is CPU time of this Go process (server and load client) per operation.
	CPUus float64 `json:"processCpuMicrosPerOp"`
	// DBCPUus is CPU time of the Neo4j process per operation; -1 when unknown.
	DBCPUus     float64 `json:"dbCpuMicrosPerOp"`
	AllocsPerOp float64 `json:"allocsPerOp"`
	AllocBytes  float64 `json:"allocBytesPerOp"`
	// Goroutines is how many goroutines the process started per operation.
	Goroutines float64 `json:"goroutinesPerOp"`
	DBHits     int64   `json:"dbHits"`
}

// Report is a whole run.
type Report struct {
	Started     time.Time `json:"started"`
	Scale       string    `json:"scale"`
	Commit      string    `json:"commit"`
	Cores       int       `json:"cores"`
	MemoryMB    int64     `json:"memoryMB"`
	LoadAverage string    `json:"loadAverageAtStart"`
	LoadAvgEnd  string    `json:"loadAverageAtEnd"`
	GoVersion   string    `json:"goVersion"`
	Data        string    `json:"data"`
	Duration    string    `json:"durationPerRun"`
	Results     []Result  `json:"results"`
}

// Run measures every selected operation on both sides at every concurrency.
func Run(ctx context.Context, t Target, opts Options) (*Report, error) {
	log := opts.Log
	if log == nil {
		log = io.Discard
	}
	base := &baseline{driver: t.Store.Driver(), database: t.Store.Database()}
	mux := http.NewServeMux()
	mux.Handle("/graphql", t.GraphQL)
	mux.Handle("/baseline/{op}", base)
	srv := httptest.NewServer(mux)
	defer srv.Close()
	client := &http.Client{Transport: &http.Transport{MaxIdleConns: 256, MaxIdleConnsPerHost: 256}}
	defer client.CloseIdleConnections()

	rep := &Report{
		Started: time.Now().UTC(), Cores: runtime.NumCPU(), MemoryMB: memoryMB(),
		LoadAverage: loadAverage(), GoVersion: runtime.Version(), Duration: opts.Duration.String(),
	}
	for _, op := range Operations() {
		if len(opts.Only) > 0 && !slices.Contains(opts.Only, op.Name) {
			continue
		}
		if op.Write && opts.SkipWrites {
			continue
		}
		base.add(op)
		query := []byte(op.Query)
		if op.Query == "" {
			var err error
			if query, err = os.ReadFile(filepath.Join(opts.QueriesDir, op.Name+".graphql")); err != nil {
				return nil, err
			}
		}
		body, err := json.Marshal(map[string]any{"query": string(query), "variables": op.Variables})
		if err != nil {
			return nil, err
		}
		sides := []side{
			{SideFilmgraph, srv.URL + "/graphql", body, t.Store.RoundTrips, ""},
			{SideBaseline, srv.URL + "/baseline/" + op.Name, []byte("{}"), base.roundTrips.Load, ""},
		}
		if op.Viewer != nil {
			if t.Issuer == nil {
				return nil, fmt.Errorf("%s runs signed in: Target.Issuer is required", op.Name)
			}
			token, _, err := t.Issuer.Issue(*op.Viewer)
			if err != nil {
				return nil, err
			}
			sides[0].auth = "Bearer " + token
		}
		hits := map[string]int64{}
		if hits[SideFilmgraph], err = profileGraphQL(ctx, t.GraphQL, body, sides[0].auth); err != nil {
			return nil, fmt.Errorf("%s: %w", op.Name, err)
		}
		if hits[SideBaseline], err = base.profile(ctx, op); err != nil {
			return nil, fmt.Errorf("%s baseline: %w", op.Name, err)
		}
		if len(opts.Sides) > 0 {
			sides = slices.DeleteFunc(sides, func(s side) bool { return !slices.Contains(opts.Sides, s.name) })
		}
		for _, side := range sides { // warm both: plans cached, pages in memory, connections open
			load(ctx, client, side, max(slices.Max(opts.Concurrency), 1), opts.Warmup)
		}
		for i, c := range opts.Concurrency {
			order := slices.Clone(sides)
			if i%2 == 1 {
				// Alternate which side goes first: the first run after the warm-up also
				// pays for background work the warm-up left (JIT, GC) in Neo4j's CPU.
				slices.Reverse(order)
			}
			for _, side := range order {
				runtime.GC()
				before := sample(t.DBPID)
				trips := side.trips()
				st := load(ctx, client, side, c, opts.Duration)
				after := sample(t.DBPID)
				r := st.result(op.Name, side.name, c)
				if r.Requests > 0 {
					n := float64(r.Requests)
					r.RoundTrips = float64(side.trips()-trips) / n
					r.CPUus = float64(after.cpu-before.cpu) / float64(time.Microsecond) / n
					r.DBCPUus = -1
					if before.dbCPU >= 0 && after.dbCPU >= 0 {
						r.DBCPUus = float64(after.dbCPU-before.dbCPU) / float64(time.Microsecond) / n
					}
					r.AllocsPerOp = float64(after.allocs-before.allocs) / n
					r.AllocBytes = float64(after.allocBytes-before.allocBytes) / n
					r.Goroutines = float64(after.goroutines-before.goroutines) / n
				}
				r.DBHits = hits[side.name]
				rep.Results = append(rep.Results, r)
				fmt.Fprintf(log, "bench: %-20s %-9s c=%-2d %8.1f/s p50 %6.2fms p99 %7.2fms errors %d\n",
					op.Name, side.name, c, r.Throughput, r.P50ms, r.P99ms, r.Errors)
				if ctx.Err() != nil {
					return nil, ctx.Err()
				}
			}
		}
	}
	rep.LoadAvgEnd = loadAverage()
	return rep, nil
}

// side is one implementation of an operation as the load client sees it.
type side struct {
	name, url string
	body      []byte
	trips     func() int64
	auth      string // Authorization header, if any
}

// stats are what the client saw during one run.
type stats struct {
	requests, errors, bytes int64
	latencies               []time.Duration
	elapsed                 time.Duration
}

// load posts body to url from c goroutines for d, each sending its next request when the
// last one has been answered.
func load(ctx context.Context, client *http.Client, s side, c int, d time.Duration) *stats {
	var (
		mu  sync.Mutex
		all stats
		wg  sync.WaitGroup
	)
	start := time.Now()
	deadline := start.Add(d)
	for range c {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var mine stats
			for time.Now().Before(deadline) && ctx.Err() == nil {
				t0 := time.Now()
				n, ok := post(ctx, client, s)
				mine.latencies = append(mine.latencies, time.Since(t0))
				mine.requests++
				mine.bytes += n
				if !ok {
					mine.errors++
				}
			}
			mu.Lock()
			all.requests += mine.requests
			all.errors += mine.errors
			all.bytes += mine.bytes
			all.latencies = append(all.latencies, mine.latencies...)
			mu.Unlock()
		}()
	}
	wg.Wait()
	all.elapsed = time.Since(start)
	return &all
}

var errorsKey = []byte(`"errors":`)

// post sends one request and reads the whole response; ok is false for a non-200 status
// or a GraphQL error.
func post(ctx context.Context, client *http.Client, s side) (int64, bool) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, s.url, bytes.NewReader(s.body))
	if err != nil {
		return 0, false
	}
	req.Header.Set("Content-Type", "application/json")
	if s.auth != "" {
		req.Header.Set("Authorization", s.auth)
	}
	resp, err := client.Do(req)
	if err != nil {
		return 0, false
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	return int64(len(data)), err == nil && resp.StatusCode == http.StatusOK && !bytes.Contains(data, errorsKey)
}

func (s *stats) result(op, side string, c int) Result {
	r := Result{Operation: op, Side: side, Concurrency: c, Requests: s.requests, Errors: s.errors,
		Seconds: s.elapsed.Seconds()}
	if s.requests == 0 {
		return r
	}
	r.Throughput = float64(s.requests) / s.elapsed.Seconds()
	r.Bytes = float64(s.bytes) / float64(s.requests)
	sort.Slice(s.latencies, func(i, j int) bool { return s.latencies[i] < s.latencies[j] })
	pct := func(p float64) float64 {
		i := int(p * float64(len(s.latencies)-1))
		return float64(s.latencies[i]) / float64(time.Millisecond)
	}
	r.P50ms, r.P95ms, r.P99ms = pct(0.50), pct(0.95), pct(0.99)
	return r
}

// profileGraphQL runs the operation once through the handler with every statement
// PROFILEd and returns the db hits of all of them.
func profileGraphQL(ctx context.Context, h http.Handler, body []byte, authorization string) (int64, error) {
	pctx, profile := store.WithProfile(ctx)
	req := httptest.NewRequest(http.MethodPost, "/graphql", bytes.NewReader(body)).WithContext(pctx)
	req.Header.Set("Content-Type", "application/json")
	if authorization != "" {
		req.Header.Set("Authorization", authorization)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != http.StatusOK || bytes.Contains(rec.Body.Bytes(), errorsKey) {
		return 0, fmt.Errorf("status %d: %s", rec.Code, rec.Body.String())
	}
	if profile.Statements == 0 {
		return -1, nil // the store profiles reads only (writes go through Store.Write)
	}
	return profile.DBHits, nil
}

// counters is a snapshot of the process's costs.
type counters struct {
	cpu, dbCPU         time.Duration
	allocs, allocBytes uint64
	goroutines         uint64
}

var metricSamples = []metrics.Sample{
	{Name: "/gc/heap/allocs:objects"}, {Name: "/gc/heap/allocs:bytes"}, {Name: "/sched/goroutines-created:goroutines"},
}

func sample(dbPID int) counters {
	c := counters{cpu: ProcessCPU()}
	s := slices.Clone(metricSamples)
	metrics.Read(s)
	c.allocs, c.allocBytes = s[0].Value.Uint64(), s[1].Value.Uint64()
	if s[2].Value.Kind() == metrics.KindUint64 {
		c.goroutines = s[2].Value.Uint64()
	}
	c.dbCPU = ProcessCPUOf(dbPID)
	return c
}

// ProcessCPU is the user and system CPU time this process has used; 0 when unknown.
func ProcessCPU() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// ProcessCPUOf reads user+system time of pid from /proc; -1 when unavailable. Clock ticks
// are taken as 100 per second, the value on every Linux this runs on.
func ProcessCPUOf(pid int) time.Duration {
	if pid <= 0 {
		return -1
	}
	data, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return -1
	}
	// The command name (field 2) may hold spaces; fields after its ')' are plain.
	i := bytes.LastIndexByte(data, ')')
	fields := strings.Fields(string(data[i+1:]))
	if len(fields) < 13 {
		return -1
	}
	utime, _ := strconv.ParseInt(fields[11], 10, 64)
	stime, _ := strconv.ParseInt(fields[12], 10, 64)
	return time.Duration(utime+stime) * 10 * time.Millisecond
}

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

func memoryMB() int64 {
	data, err := os.ReadFile("/proc/meminfo")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(data), "\n") {
		if rest, ok := strings.CutPrefix(line, "MemTotal:"); ok {
			kb, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			return kb / 1024
		}
	}
	return 0
}

// baseline serves POST /baseline/{op}: the operation's hand-written statement, run through
// the driver in one managed transaction, its `data` column written as JSON.
type baseline struct {
	driver     neo4j.DriverWithContext
	database   string
	mu         sync.RWMutex
	ops        map[string]Operation
	roundTrips atomic.Int64
}

func (b *baseline) add(op Operation) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.ops == nil {
		b.ops = map[string]Operation{}
	}
	b.ops[op.Name] = op
}

func (b *baseline) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	b.mu.RLock()
	op, ok := b.ops[r.PathValue("op")]
	b.mu.RUnlock()
	if !ok {
		http.NotFound(w, r)
		return
	}
	io.Copy(io.Discard, r.Body)
	data, err := b.run(r.Context(), op, "")
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(map[string]any{"data": map[string]any{op.Name: data}})
}

// run executes op's statement (with prefix, e.g. PROFILE) and returns its data column.
func (b *baseline) run(ctx context.Context, op Operation, prefix string) (any, error) {
	session := b.driver.NewSession(ctx, neo4j.SessionConfig{DatabaseName: b.database})
	defer session.Close(context.Background())
	work := func(tx neo4j.ManagedTransaction) (any, error) {
		b.roundTrips.Add(1)
		res, err := tx.Run(ctx, prefix+op.Baseline, op.Params)
		if err != nil {
			return nil, err
		}
		rec, err := res.Single(ctx)
		if err != nil {
			return nil, err
		}
		data, _ := rec.Get("data")
		if prefix != "" {
			summary, err := res.Consume(ctx)
			if err != nil {
				return nil, err
			}
			return planHits(summary.Profile()), nil
		}
		return data, nil
	}
	if op.Write {
		return session.ExecuteWrite(ctx, work)
	}
	return session.ExecuteRead(ctx, work)
}

// profile returns the db hits of op's baseline statement.
func (b *baseline) profile(ctx context.Context, op Operation) (int64, error) {
	hits, err := b.run(ctx, op, "PROFILE ")
	if err != nil {
		return 0, err
	}
	return hits.(int64), nil
}

func planHits(plan neo4j.ProfiledPlan) int64 {
	if plan == nil {
		return 0
	}
	hits := plan.DbHits()
	for _, child := range plan.Children() {
		hits += planHits(child)
	}
	return hits
}
