package harness

import (
	"encoding/json"
	"fmt"
	"io"
	"slices"
)

// find returns the result of op on side at concurrency c, if measured.
func (r *Report) find(op, side string, c int) (Result, bool) {
	for _, res := range r.Results {
		if res.Operation == op && res.Side == side && res.Concurrency == c {
			return res, true
		}
	}
	return Result{}, false
}

// pairs lists the measured (operation, concurrency) pairs in run order.
func (r *Report) pairs() (out []Result) {
	for _, res := range r.Results {
		if res.Side == SideFilmgraph {
			out = append(out, res)
		}
	}
	return out
}

func ratio(a, b float64) string {
	if b == 0 {
		return "–"
	}
	return fmt.Sprintf("%.2f", a/b)
}

func hits(n int64) string {
	if n < 0 {
		return "n/a"
	}
	return fmt.Sprint(n)
}

func num(v float64) string {
	switch {
	case v < 0:
		return "n/a"
	case v >= 100:
		return fmt.Sprintf("%.0f", v)
	case v >= 10:
		return fmt.Sprintf("%.1f", v)
	default:
		return fmt.Sprintf("%.2f", v)
	}
}

// Markdown writes the report: the machine, then one row per operation and concurrency
// with filmgraph's figures, the baseline's, and their ratio.
func (r *Report) Markdown(w io.Writer) {
	fmt.Fprintf(w, "# filmgraph benchmark, %s data\n\n", r.Scale)
	fmt.Fprintf(w, "- started %s, commit `%s`, %s\n", r.Started.Format("2006-01-02 15:04 MST"), r.Commit, r.GoVersion)
	fmt.Fprintf(w, "- machine: %d cores, %d MB memory; load average %s at the start, %s at the end "+
		"(a shared machine: compare ratios within one run, not absolute figures across runs)\n",
		r.Cores, r.MemoryMB, r.LoadAverage, r.LoadAvgEnd)
	if r.Data != "" {
		fmt.Fprintf(w, "- data: %s\n", r.Data)
	}
	fmt.Fprintf(w, "- %s of closed-loop load per operation, side and concurrency, after a warm-up; "+
		"server, baseline and load client in one process over loopback HTTP\n\n", r.Duration)

	r.summary(w)
	fmt.Fprintln(w, "## Throughput and latency (filmgraph / baseline)")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "| operation | c | req/s fg | req/s base | **ratio** | p50 ms fg / base | p95 ms fg / base | p99 ms fg / base | errors |")
	fmt.Fprintln(w, "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
	for _, fg := range r.pairs() {
		b, _ := r.find(fg.Operation, SideBaseline, fg.Concurrency)
		fmt.Fprintf(w, "| %s | %d | %s | %s | **%s** | %s / %s | %s / %s | %s / %s | %d / %d |\n",
			fg.Operation, fg.Concurrency, num(fg.Throughput), num(b.Throughput), ratio(fg.Throughput, b.Throughput),
			num(fg.P50ms), num(b.P50ms), num(fg.P95ms), num(b.P95ms), num(fg.P99ms), num(b.P99ms), fg.Errors, b.Errors)
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, "## Cost per operation (filmgraph / baseline)")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Round trips are statements sent to Neo4j; db hits come from one PROFILEd run. "+
		"Go CPU, allocations and goroutines started are the whole Go process (server and load client) per request, "+
		"from getrusage and runtime/metrics; Neo4j CPU is the database process, from /proc.")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "| operation | c | round trips | db hits | bytes/response | Go CPU µs | Neo4j CPU µs | allocs | alloc KB | goroutines |")
	fmt.Fprintln(w, "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
	for _, fg := range r.pairs() {
		b, _ := r.find(fg.Operation, SideBaseline, fg.Concurrency)
		fmt.Fprintf(w, "| %s | %d | %s / %s | %s / %s | %s / %s | %s / %s | %s / %s | %s / %s | %s / %s | %s / %s |\n",
			fg.Operation, fg.Concurrency, num(fg.RoundTrips), num(b.RoundTrips), hits(fg.DBHits), hits(b.DBHits),
			num(fg.Bytes), num(b.Bytes), num(fg.CPUus), num(b.CPUus), num(fg.DBCPUus), num(b.DBCPUus),
			num(fg.AllocsPerOp), num(b.AllocsPerOp), num(fg.AllocBytes/1024), num(b.AllocBytes/1024),
			num(fg.Goroutines), num(b.Goroutines))
	}
}

// TargetRatio is the throughput ratio filmgraph/baseline the project aims for.
const TargetRatio = 0.8

// summary writes the tracked figure, the throughput ratio, one row per operation and one
// column per concurrency, marking the ratios under TargetRatio.
func (r *Report) summary(w io.Writer) {
	var ops []string
	var concurrencies []int
	for _, fg := range r.pairs() {
		if !slices.Contains(ops, fg.Operation) {
			ops = append(ops, fg.Operation)
		}
		if !slices.Contains(concurrencies, fg.Concurrency) {
			concurrencies = append(concurrencies, fg.Concurrency)
		}
	}
	fmt.Fprintf(w, "## Throughput ratio filmgraph / baseline (target >= %.1f; below it in italics)\n\n| operation |", TargetRatio)
	for _, c := range concurrencies {
		fmt.Fprintf(w, " c=%d |", c)
	}
	fmt.Fprint(w, "\n| --- |")
	for range concurrencies {
		fmt.Fprint(w, " ---: |")
	}
	fmt.Fprintln(w)
	for _, op := range ops {
		fmt.Fprintf(w, "| %s |", op)
		for _, c := range concurrencies {
			fg, ok1 := r.find(op, SideFilmgraph, c)
			b, ok2 := r.find(op, SideBaseline, c)
			switch {
			case !ok1 || !ok2 || b.Throughput == 0:
				fmt.Fprint(w, " – |")
			case fg.Throughput/b.Throughput < TargetRatio:
				fmt.Fprintf(w, " *%s* |", ratio(fg.Throughput, b.Throughput))
			default:
				fmt.Fprintf(w, " %s |", ratio(fg.Throughput, b.Throughput))
			}
		}
		fmt.Fprintln(w)
	}
	fmt.Fprintln(w)
}

// JSON writes the report as indented JSON.
func (r *Report) JSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}

// Growth writes how each figure of small grows in large (e.g. 1x -> 10x data): large's
// value over small's, per operation, side and concurrency.
func Growth(w io.Writer, small, large *Report) {
	fmt.Fprintf(w, "# filmgraph benchmark: growth from %s to %s data\n\n", small.Scale, large.Scale)
	fmt.Fprintf(w, "- %s: %s (commit `%s`, load average %s)\n", small.Scale, small.Data, small.Commit, small.LoadAverage)
	fmt.Fprintf(w, "- %s: %s (commit `%s`, load average %s)\n\n", large.Scale, large.Data, large.Commit, large.LoadAverage)
	fmt.Fprintf(w, "Each cell is `%s -> %s (factor)`.\n\n", small.Scale, large.Scale)
	fmt.Fprintln(w, "| operation | side | c | req/s | p50 ms | p99 ms | db hits | bytes/response | Neo4j CPU µs/op |")
	fmt.Fprintln(w, "| --- | --- | ---: | --- | --- | --- | --- | --- | --- |")
	cell := func(a, b float64) string {
		return num(a) + " -> " + num(b) + " (" + ratio(b, a) + ")"
	}
	for _, l := range large.Results {
		s, ok := small.find(l.Operation, l.Side, l.Concurrency)
		if !ok {
			continue
		}
		fmt.Fprintf(w, "| %s | %s | %d | %s | %s | %s | %s | %s | %s |\n", l.Operation, l.Side, l.Concurrency,
			cell(s.Throughput, l.Throughput), cell(s.P50ms, l.P50ms), cell(s.P99ms, l.P99ms),
			cell(float64(s.DBHits), float64(l.DBHits)), cell(s.Bytes, l.Bytes), cell(s.DBCPUus, l.DBCPUus))
	}
}
