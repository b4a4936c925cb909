// Command bench measures filmgraph's example operations against a raw-driver baseline.
//
//	go run ./bench                      1x data, concurrency 1, 8, 32, 4 s each: a few minutes
//	go run ./bench -scale 10            10x generated data in its own Neo4j (first run loads it),
//	                                    then bench/results/growth.md compares with the last 1x run
//	go run ./bench -ops moviePage -c 8 -cpuprofile cpu.prof -memprofile mem.prof
//
// It starts the bundled Neo4j in .bench-data/<scale> (or uses NEO4J_URI), loads the data on
// first use, runs the GraphQL server and the baseline in this process, and writes
// bench/results/<scale>.md and .json. See bench/harness for what is measured.
package main

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"strconv"
	"strings"
	"syscall"
	"time"

	"filmgraph/auth"
	"filmgraph/bench/harness"
	"filmgraph/graph"
	"filmgraph/launcher"
	"filmgraph/recommend"
	"filmgraph/seed"
	"filmgraph/store"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

func run() error {
	var (
		duration   = flag.Duration("duration", 4*time.Second, "measured load per operation, side and concurrency")
		warmup     = flag.Duration("warmup", 2*time.Second, "unmeasured load per operation and side before measuring")
		conc       = flag.String("c", "1,8,32", "comma-separated client concurrencies")
		ops        = flag.String("ops", "", "comma-separated operation names (default: all)")
		sides      = flag.String("sides", "", "filmgraph, baseline or both (default), e.g. to profile one side")
		scale      = flag.Int("scale", 1, "data size: 1 is the bundled seed, N loads N generated copies (e.g. 10)")
		out        = flag.String("out", "bench/results", "directory of the Markdown and JSON results")
		dataRoot   = flag.String("data-dir", ".bench-data", "parent of the bundled Neo4j data directories, one per scale")
		heapMB     = flag.Int("heap-mb", 0, "JVM heap of the bundled Neo4j (0: 1024 at 1x, 2048 above)")
		cacheMB    = flag.Int("pagecache-mb", 0, "page cache of the bundled Neo4j (0: 256 at 1x, 1024 above)")
		cpuProfile = flag.String("cpuprofile", "", "write a CPU profile of the measured load to this file")
		memProfile = flag.String("memprofile", "", "write an allocation profile to this file at the end")
	)
	flag.Parse()
	root, err := repoRoot()
	if err != nil {
		return err
	}
	concurrency, err := parseInts(*conc)
	if err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	label := strconv.Itoa(*scale) + "x"

	cfg := store.Config{URI: os.Getenv("NEO4J_URI"), Username: envOr("NEO4J_USERNAME", "neo4j"),
		Password: os.Getenv("NEO4J_PASSWORD"), Database: os.Getenv("NEO4J_DATABASE")}
	pid := 0
	if cfg.URI == "" {
		heap, cache := *heapMB, *cacheMB
		if heap == 0 {
			heap = map[bool]int{true: 1024, false: 2048}[*scale == 1]
		}
		if cache == 0 {
			cache = map[bool]int{true: 256, false: 1024}[*scale == 1]
		}
		dir := filepath.Join(*dataRoot, label)
		if !filepath.IsAbs(dir) { // a relative -data-dir is under the module's root
			dir = filepath.Join(root, dir)
		}
		fmt.Fprintf(os.Stderr, "bench: starting the bundled Neo4j in %s (heap %d MB, page cache %d MB)\n", dir, heap, cache)
		inst, err := launcher.Start(ctx, launcher.Options{DataDir: dir, HeapMB: heap, PageCacheMB: cache})
		if err != nil {
			return err
		}
		defer inst.Stop()
		cfg.URI, cfg.Username, cfg.Password, pid = inst.URI, inst.Username, inst.Password, inst.PID()
	}
	db, err := store.Open(ctx, cfg, 10*time.Second)
	if err != nil {
		return err
	}
	defer db.Close(context.Background())

	seeded, err := seed.SeededScaled(ctx, db.Driver(), db.Database(), *scale)
	if err != nil {
		return err
	}
	if !seeded {
		if cfg.URI != "" && os.Getenv("NEO4J_URI") != "" && *scale > 1 {
			return fmt.Errorf("NEO4J_URI holds no x%d data; scaled data goes only into the bundled Neo4j", *scale)
		}
		fmt.Fprintf(os.Stderr, "bench: loading %s data (first run only)\n", label)
		if _, err := seed.LoadScaled(ctx, db.Driver(), db.Database(), *scale, os.Stderr); err != nil {
			return err
		}
	}
	// The recommendation rows read the similarity edges, computed once per database.
	if err := recommend.EnsureSimilar(ctx, db.Driver(), db.Database(), os.Stderr); err != nil {
		return err
	}
	counts, err := seed.Count(ctx, db.Driver(), db.Database())
	if err != nil {
		return err
	}

	if *cpuProfile != "" {
		f, err := os.Create(*cpuProfile)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}
	only := split(*ops)
	issuer := auth.NewIssuer([]byte(rand.Text()+rand.Text()), time.Hour)
	rep, err := harness.Run(ctx, harness.Target{
		GraphQL: issuer.Middleware(graph.NewHandler(&graph.Resolver{Store: db, Auth: issuer}, log, graph.DefaultOptions())),
		Store:   db,
		Issuer:  issuer,
		DBPID:   pid,
	}, harness.Options{
		QueriesDir: filepath.Join(root, "docs", "queries"), Duration: *duration, Warmup: *warmup,
		Concurrency: concurrency, Only: only, Sides: split(*sides), Log: os.Stderr,
	})
	if err != nil {
		return err
	}
	if *memProfile != "" {
		f, err := os.Create(*memProfile)
		if err != nil {
			return err
		}
		defer f.Close()
		runtime.GC()
		if err := pprof.Lookup("allocs").WriteTo(f, 0); err != nil {
			return err
		}
	}
	rep.Scale = label
	rep.Commit = commit(root)
	rep.Data = counts.String()

	outDir := *out
	if !filepath.IsAbs(outDir) {
		outDir = filepath.Join(root, outDir)
	}
	if err := os.MkdirAll(outDir, 0o755); err != nil {
		return err
	}
	if err := writeFile(filepath.Join(outDir, label+".md"), rep.Markdown); err != nil {
		return err
	}
	if err := writeFile(filepath.Join(outDir, label+".json"), func(w io.Writer) { rep.JSON(w) }); err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "bench: wrote %s\n", filepath.Join(outDir, label+".md"))
	if *scale > 1 {
		small, err := readReport(filepath.Join(outDir, "1x.json"))
		if err != nil {
			fmt.Fprintf(os.Stderr, "bench: no growth table: %v (run the 1x benchmark first)\n", err)
			return nil
		}
		if err := writeFile(filepath.Join(outDir, "growth.md"), func(w io.Writer) { harness.Growth(w, small, rep) }); err != nil {
			return err
		}
		fmt.Fprintf(os.Stderr, "bench: wrote %s\n", filepath.Join(outDir, "growth.md"))
	}
	return nil
}

func writeFile(path string, write func(io.Writer)) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	write(f)
	return f.Close()
}

func readReport(path string) (*harness.Report, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var r harness.Report
	return &r, json.Unmarshal(data, &r)
}

// repoRoot is the directory of go.mod, so the command runs from anywhere in the repo.
func repoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for d := dir; ; d = filepath.Dir(d) {
		if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
			return d, nil
		}
		if filepath.Dir(d) == d {
			return "", fmt.Errorf("no go.mod above %s: run from the filmgraph repository", dir)
		}
	}
}

// commit is the checked-out commit, marked -dirty when the worktree has changes other than
// the results themselves (a 10x run follows a 1x run that rewrote bench/results).
func commit(root string) string {
	out, err := exec.Command("git", "-C", root, "rev-parse", "--short", "HEAD").Output()
	if err != nil {
		return "unknown"
	}
	c := strings.TrimSpace(string(out))
	if st, err := exec.Command("git", "-C", root, "status", "--porcelain", "--untracked-files=no", "--", ".", ":!bench/results").Output(); err == nil && len(st) > 0 {
		c += "-dirty"
	}
	return c
}

func parseInts(s string) ([]int, error) {
	var out []int
	for _, f := range strings.Split(s, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n < 1 {
			return nil, fmt.Errorf("-c %q: want positive integers separated by commas", s)
		}
		out = append(out, n)
	}
	return out, nil
}

func split(list string) []string {
	if list == "" {
		return nil
	}
	return strings.Split(list, ",")
}

func envOr(name, fallback string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return fallback
}
