package main

import (
	"fmt"
	"math"
	"runtime/metrics"
	"time"

	"filmgraph/bench/harness"
)

// costs is a snapshot of what the run's two processes have spent, to tell the tail's
// causes apart: CPU per request (this process holds the clients and the server), the Go
// collector's stop-the-world pauses and the time goroutines waited for a thread.
type costs struct {
	at        time.Time
	goCPU     time.Duration
	dbCPU     time.Duration // -1: unknown (not the bundled Neo4j)
	gcCycles  uint64
	gcPauses  *metrics.Float64Histogram
	schedWait *metrics.Float64Histogram
}

var costMetrics = []string{"/gc/cycles/total:gc-cycles", "/sched/pauses/total/gc:seconds", "/sched/latencies:seconds"}

func sampleCosts(dbPID int) costs {
	s := make([]metrics.Sample, len(costMetrics))
	for i, name := range costMetrics {
		s[i].Name = name
	}
	metrics.Read(s)
	c := costs{at: time.Now(), goCPU: harness.ProcessCPU(), dbCPU: harness.ProcessCPUOf(dbPID)}
	if s[0].Value.Kind() == metrics.KindUint64 {
		c.gcCycles = s[0].Value.Uint64()
	}
	if s[1].Value.Kind() == metrics.KindFloat64Histogram {
		c.gcPauses = s[1].Value.Float64Histogram()
	}
	if s[2].Value.Kind() == metrics.KindFloat64Histogram {
		c.schedWait = s[2].Value.Float64Histogram()
	}
	return c
}

// report prints what was spent between before and after on requests requests.
func (after costs) report(before costs, requests int) {
	perRequest := func(d time.Duration) string {
		if d < 0 {
			return "unknown"
		}
		return fmt.Sprintf("%.2f ms", float64(d.Microseconds())/1000/float64(requests))
	}
	dbCPU := time.Duration(-1)
	if before.dbCPU >= 0 && after.dbCPU >= 0 {
		dbCPU = after.dbCPU - before.dbCPU
	}
	fmt.Printf("\nfrom %s to %s UTC: CPU per request: Go %s (clients and server), Neo4j %s; Go GC: %d cycles, stop-the-world pauses %s; goroutines waiting for a thread: %s\n",
		before.at.UTC().Format("15:04:05.000"), after.at.UTC().Format("15:04:05.000"),
		perRequest(after.goCPU-before.goCPU), perRequest(dbCPU), after.gcCycles-before.gcCycles,
		histogramSummary(before.gcPauses, after.gcPauses), histogramSummary(before.schedWait, after.schedWait))
}

// histogramSummary describes the observations a histogram gained between two readings:
// how many, and the upper bounds of the buckets holding their p99 and their maximum.
func histogramSummary(before, after *metrics.Float64Histogram) string {
	if before == nil || after == nil || len(before.Counts) != len(after.Counts) {
		return "unknown"
	}
	delta := make([]uint64, len(after.Counts))
	var total uint64
	for i := range delta {
		delta[i] = after.Counts[i] - before.Counts[i]
		total += delta[i]
	}
	if total == 0 {
		return "none"
	}
	bound := func(i int) string {
		b := after.Buckets[i+1]
		if math.IsInf(b, 1) {
			b = after.Buckets[i]
		}
		return fmt.Sprintf("%.3g ms", b*1000)
	}
	var seen uint64
	p99, maxBucket := -1, 0
	for i, n := range delta {
		seen += n
		if p99 < 0 && float64(seen) >= 0.99*float64(total) {
			p99 = i
		}
		if n > 0 {
			maxBucket = i
		}
	}
	return fmt.Sprintf("%d, p99 <= %s, max <= %s", total, bound(p99), bound(maxBucket))
}
