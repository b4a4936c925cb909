// Package eval measures the recommendations offline, the way anyone can rerun them:
// MovieLens-small is split by time, holding out each user's latest ratings; only the
// training part is loaded into a fresh bundled Neo4j (with the similarity edges computed
// from it); then the real Cypher (cypher.PicksFor) picks each sampled user's top 10 from
// their training ratings, and the held-out films are looked for in it.
//
// The split and the user sample are deterministic, so every run measures the same thing;
// only the latencies vary.
package eval

import (
	"cmp"
	"context"
	"fmt"
	"io"
	"math"
	"os"
	"slices"
	"sort"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"filmgraph/cypher"
	"filmgraph/launcher"
	"filmgraph/recommend"
	"filmgraph/seed"
)

const (
	// HeldOut is the number of latest ratings per user kept out of the graph as the test
	// set (and, when tuning, the number before them kept out as the validation set).
	HeldOut = 5
	// K is the length of the recommendation lists measured.
	K = 10
	// SampleEvery samples the users whose userId is a multiple of it (about 200 of the
	// 610), which keeps a run within minutes on two cores.
	SampleEvery = 3
)

// Options configure a run.
type Options struct {
	// Tune also runs the validation split and chooses the hybrid weights on it.
	Tune bool
	// Out receives the tables; Log receives progress lines.
	Out, Log io.Writer
}

// split is one train/held-out partition of the ratings.
type split struct {
	name    string
	keep    func(seed.Rating) bool // loaded into the graph
	heldOut map[int64]map[int64]bool
}

// splits returns the test split (each user's HeldOut latest ratings held out) and the
// validation split (the HeldOut before those held out, and the test ones removed too).
func splits(ratings []seed.Rating) (test, validation split) {
	byUser := map[int][]seed.Rating{}
	for _, r := range ratings {
		byUser[r.UserID] = append(byUser[r.UserID], r)
	}
	rank := map[[2]int]int{} // (user, movie) -> position from the latest, 0 = latest
	test = split{name: "test", heldOut: map[int64]map[int64]bool{}}
	validation = split{name: "validation", heldOut: map[int64]map[int64]bool{}}
	for user, rs := range byUser {
		slices.SortFunc(rs, func(a, b seed.Rating) int {
			return cmp.Or(cmp.Compare(b.RatedAt, a.RatedAt), cmp.Compare(b.MovieID, a.MovieID))
		})
		test.heldOut[int64(user)] = map[int64]bool{}
		validation.heldOut[int64(user)] = map[int64]bool{}
		for i, r := range rs {
			rank[[2]int{user, r.MovieID}] = i
			switch {
			case i < HeldOut:
				test.heldOut[int64(user)][int64(r.MovieID)] = true
			case i < 2*HeldOut:
				validation.heldOut[int64(user)][int64(r.MovieID)] = true
			}
		}
	}
	test.keep = func(r seed.Rating) bool { return rank[[2]int{r.UserID, r.MovieID}] >= HeldOut }
	validation.keep = func(r seed.Rating) bool { return rank[[2]int{r.UserID, r.MovieID}] >= 2*HeldOut }
	return test, validation
}

// Result is the measure of one strategy over the sampled users.
type Result struct {
	Name          string
	HR, NDCG      float64 // means over users, at K
	Coverage      float64 // distinct films recommended / films in the catalogue
	P50, P95, P99 time.Duration
}

// Run performs the evaluation and prints its tables.
func Run(ctx context.Context, opts Options) error {
	if opts.Log == nil {
		opts.Log = io.Discard
	}
	ratings, err := seed.Ratings()
	if err != nil {
		return err
	}
	test, validation := splits(ratings)
	var users []int64
	for u := range test.heldOut {
		if u%SampleEvery == 0 {
			users = append(users, u)
		}
	}
	slices.Sort(users)
	fmt.Fprintf(opts.Log, "eval: %d ratings, %d users, %d sampled (userId %% %d == 0), %d held out each\n",
		len(ratings), len(test.heldOut), len(users), SampleEvery, HeldOut)

	wCollab, wContent := cypher.WeightCollaborative, cypher.WeightContent
	if opts.Tune {
		err := withGraph(ctx, opts.Log, validation, func(d neo4j.DriverWithContext, films int64) error {
			fmt.Fprintf(opts.Out, "\nValidation split (each user's ratings 6-10 from the latest held out), hybrid weights:\n\n")
			fmt.Fprintln(opts.Out, "| wCollaborative | wContent | HR@10 | NDCG@10 |")
			fmt.Fprintln(opts.Out, "| --- | --- | --- | --- |")
			best := -1.0
			for step := 0; step <= 10; step++ {
				wc := float64(step) / 10
				res, err := measure(ctx, d, films, users, validation, cypher.Hybrid, wc, 1-wc)
				if err != nil {
					return err
				}
				fmt.Fprintf(opts.Out, "| %.1f | %.1f | %.3f | %.3f |\n", wc, 1-wc, res.HR, res.NDCG)
				if res.NDCG > best {
					best, wCollab, wContent = res.NDCG, wc, 1-wc
				}
			}
			fmt.Fprintf(opts.Out, "\nchosen by NDCG@10: wCollaborative=%.1f wContent=%.1f (the code uses %.1f / %.1f)\n",
				wCollab, wContent, cypher.WeightCollaborative, cypher.WeightContent)
			return nil
		})
		if err != nil {
			return err
		}
	}
	return withGraph(ctx, opts.Log, test, func(d neo4j.DriverWithContext, films int64) error {
		fmt.Fprintf(opts.Out, "\nTest split: each user's %d latest ratings held out; %d users (userId %% %d == 0); top %d; %d films.\n\n",
			HeldOut, len(users), SampleEvery, K, films)
		fmt.Fprintln(opts.Out, "| strategy | HR@10 | NDCG@10 | coverage | p50 | p95 | p99 |")
		fmt.Fprintln(opts.Out, "| --- | --- | --- | --- | --- | --- | --- |")
		for _, s := range []cypher.Strategy{cypher.Popular, cypher.Collaborative, cypher.Content, cypher.Hybrid} {
			res, err := measure(ctx, d, films, users, test, s, wCollab, wContent)
			if err != nil {
				return err
			}
			fmt.Fprintf(opts.Out, "| %s | %.3f | %.3f | %.1f%% | %s | %s | %s |\n", res.Name, res.HR, res.NDCG, 100*res.Coverage,
				ms(res.P50), ms(res.P95), ms(res.P99))
		}
		fmt.Fprintf(opts.Out, "\nhybrid weights: wCollaborative=%.1f wContent=%.1f\n", wCollab, wContent)
		return nil
	})
}

func ms(d time.Duration) string { return fmt.Sprintf("%.0f ms", float64(d.Microseconds())/1000) }

// withGraph starts a throw-away bundled Neo4j, loads the split's training ratings and
// the rest of the seed, computes the similarity edges, and calls f.
func withGraph(ctx context.Context, log io.Writer, sp split, f func(d neo4j.DriverWithContext, films int64) error) error {
	dir, err := os.MkdirTemp("", "filmgraph-eval-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	fmt.Fprintf(log, "eval: %s split: starting a fresh Neo4j in %s\n", sp.name, dir)
	inst, err := launcher.Start(ctx, launcher.Options{DataDir: dir, Log: log})
	if err != nil {
		return err
	}
	defer inst.Stop()
	d, err := neo4j.NewDriverWithContext(inst.URI, neo4j.BasicAuth(inst.Username, inst.Password, ""))
	if err != nil {
		return err
	}
	defer d.Close(context.Background())
	stats, err := seed.LoadWith(ctx, d, "", log, seed.Options{KeepRating: sp.keep})
	if err != nil {
		return err
	}
	if err := recommend.Refresh(ctx, d, "", log); err != nil {
		return err
	}
	return f(d, stats.Movies)
}

// measure asks the real Cypher for every user's top K with strategy s and scores it
// against the split's held-out films.
func measure(ctx context.Context, d neo4j.DriverWithContext, films int64, users []int64, sp split, s cypher.Strategy, wCollab, wContent float64) (Result, error) {
	res := Result{Name: string(s)}
	seen := map[int64]bool{}
	var latencies []time.Duration
	idcg := 0.0
	for i := 0; i < min(HeldOut, K); i++ {
		idcg += 1 / math.Log2(float64(i)+2)
	}
	// One unmeasured run plans the statement, as a serving process would have.
	warm := cypher.PicksFor(users[0], s, wCollab, wContent, K)
	if _, err := neo4j.ExecuteQuery(ctx, d, warm.Text, warm.Params, neo4j.EagerResultTransformer); err != nil {
		return res, fmt.Errorf("eval: %s: %w", s, err)
	}
	for _, u := range users {
		stmt := cypher.PicksFor(u, s, wCollab, wContent, K)
		start := time.Now()
		out, err := neo4j.ExecuteQuery(ctx, d, stmt.Text, stmt.Params, neo4j.EagerResultTransformer,
			neo4j.ExecuteQueryWithReadersRouting())
		if err != nil {
			return res, fmt.Errorf("eval: user %d, %s: %w", u, s, err)
		}
		latencies = append(latencies, time.Since(start))
		hit, dcg := false, 0.0
		for rank, rec := range out.Records {
			row, _ := rec.Values[0].(map[string]any)
			id, _ := row["movieId"].(int64)
			seen[id] = true
			if sp.heldOut[u][id] {
				hit = true
				dcg += 1 / math.Log2(float64(rank)+2)
			}
		}
		if hit {
			res.HR++
		}
		res.NDCG += dcg / idcg
	}
	n := float64(len(users))
	res.HR /= n
	res.NDCG /= n
	res.Coverage = float64(len(seen)) / float64(films)
	sort.Slice(latencies, func(i, j int) bool { return latencies[i] < latencies[j] })
	res.P50, res.P95, res.P99 = percentile(latencies, 50), percentile(latencies, 95), percentile(latencies, 99)
	return res, nil
}

// percentile returns the p-th percentile (nearest rank) of sorted durations.
func percentile(sorted []time.Duration, p int) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := int(math.Ceil(float64(p)/100*float64(len(sorted)))) - 1
	return sorted[max(i, 0)]
}
