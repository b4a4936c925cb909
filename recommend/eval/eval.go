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

	var all []int64
	for u := range test.heldOut {
		all = append(all, u)
	}
	slices.Sort(all)

	blend := cypher.PicksBlend
	if opts.Tune {
		err := withGraph(ctx, opts.Log, validation, func(d neo4j.DriverWithContext, films int64) error {
			fmt.Fprintf(opts.Out, "\nValidation split (each user's ratings 6-10 from the latest held out), HYBRID blends of personal picks:\n\n")
			fmt.Fprintln(opts.Out, "| wFollowed | wCollaborative | wContent | HR@10 (203) | NDCG@10 (203) | HR@10 (all) | NDCG@10 (all) |")
			fmt.Fprintln(opts.Out, "| --- | --- | --- | --- | --- | --- | --- |")
			best := -1.0
			for _, b := range tuneGrid() {
				sample, everyone, err := measure(ctx, d, films, users, all, validation, cypher.Hybrid, b)
				if err != nil {
					return err
				}
				fmt.Fprintf(opts.Out, "| %.2f | %.2f | %.2f | %.3f | %.3f | %.3f | %.3f |\n", b.Followed, b.Collaborative, b.Content,
					sample.HR, sample.NDCG, everyone.HR, everyone.NDCG)
				if everyone.NDCG > best {
					best, blend = everyone.NDCG, b
				}
			}
			fmt.Fprintf(opts.Out, "\nchosen by NDCG@10 over all users: %+v (the code uses %+v)\n", blend, cypher.PicksBlend)
			return nil
		})
		if err != nil {
			return err
		}
	}
	return withGraph(ctx, opts.Log, test, func(d neo4j.DriverWithContext, films int64) error {
		fmt.Fprintf(opts.Out, "\nTest split: each user's %d latest ratings held out; %d users (userId %% %d == 0) and all %d; top %d; %d films.\n\n",
			HeldOut, len(users), SampleEvery, len(all), K, films)
		fmt.Fprintln(opts.Out, "| strategy | HR@10 (203) | NDCG@10 (203) | HR@10 (all) | NDCG@10 (all) | coverage | p50 | p95 | p99 |")
		fmt.Fprintln(opts.Out, "| --- | --- | --- | --- | --- | --- | --- | --- | --- |")
		for _, s := range []cypher.Strategy{cypher.Popular, cypher.Collaborative, cypher.Content, cypher.Hybrid} {
			sample, everyone, err := measure(ctx, d, films, users, all, test, s, blend)
			if err != nil {
				return err
			}
			fmt.Fprintf(opts.Out, "| %s | %.3f | %.3f | %.3f | %.3f | %.1f%% | %s | %s | %s |\n", sample.Name, sample.HR, sample.NDCG,
				everyone.HR, everyone.NDCG, 100*everyone.Coverage, ms(everyone.P50), ms(everyone.P95), ms(everyone.P99))
		}
		fmt.Fprintf(opts.Out, "\npersonal picks blend: %+v\n", blend)
		return nil
	})
}

// tuneGrid is the HYBRID blends tried on the validation split: "rated soon after" leads
// (alone it is the strongest), the others are added in steps.
func tuneGrid() []cypher.Blend {
	var grid []cypher.Blend
	for _, wc := range []float64{0, 0.1, 0.3} {
		for _, wk := range []float64{0, 0.1, 0.3} {
			grid = append(grid, cypher.Blend{Followed: 1, Collaborative: wc, Content: wk})
		}
	}
	return grid
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
// against the split's held-out films: over the sampled users, and over all users.
func measure(ctx context.Context, d neo4j.DriverWithContext, films int64, sampled, all []int64, sp split, s cypher.Strategy, blend cypher.Blend) (sample, everyone Result, err error) {
	sample, everyone = Result{Name: string(s)}, Result{Name: string(s)}
	inSample := map[int64]bool{}
	for _, u := range sampled {
		inSample[u] = true
	}
	seen := map[int64]bool{}
	seenSample := map[int64]bool{}
	var latencies []time.Duration
	idcg := 0.0
	for i := 0; i < min(HeldOut, K); i++ {
		idcg += 1 / math.Log2(float64(i)+2)
	}
	// One unmeasured run plans the statement, as a serving process would have.
	warm := cypher.PicksFor(all[0], s, blend, K)
	if _, err := neo4j.ExecuteQuery(ctx, d, warm.Text, warm.Params, neo4j.EagerResultTransformer); err != nil {
		return sample, everyone, fmt.Errorf("eval: %s: %w", s, err)
	}
	for _, u := range all {
		stmt := cypher.PicksFor(u, s, blend, K)
		start := time.Now()
		out, err := neo4j.ExecuteQuery(ctx, d, stmt.Text, stmt.Params, neo4j.EagerResultTransformer,
			neo4j.ExecuteQueryWithReadersRouting())
		if err != nil {
			return sample, everyone, fmt.Errorf("eval: user %d, %s: %w", u, s, err)
		}
		latencies = append(latencies, time.Since(start))
		hit, dcg := 0.0, 0.0
		for rank, rec := range out.Records {
			row, _ := rec.Values[0].(map[string]any)
			id, _ := row["movieId"].(int64)
			seen[id] = true
			if inSample[u] {
				seenSample[id] = true
			}
			if sp.heldOut[u][id] {
				hit = 1
				dcg += 1 / math.Log2(float64(rank)+2)
			}
		}
		everyone.HR += hit
		everyone.NDCG += dcg / idcg
		if inSample[u] {
			sample.HR += hit
			sample.NDCG += dcg / idcg
		}
	}
	n, ns := float64(len(all)), float64(len(sampled))
	everyone.HR, everyone.NDCG = everyone.HR/n, everyone.NDCG/n
	sample.HR, sample.NDCG = sample.HR/ns, sample.NDCG/ns
	everyone.Coverage = float64(len(seen)) / float64(films)
	sample.Coverage = float64(len(seenSample)) / float64(films)
	sort.Slice(latencies, func(i, j int) bool { return latencies[i] < latencies[j] })
	everyone.P50, everyone.P95, everyone.P99 = percentile(latencies, 50), percentile(latencies, 95), percentile(latencies, 99)
	return sample, everyone, nil
}

// percentile returns the p-th percentile (nearest rank) of sorted durations.
func percentile(sorted []time.Duration, p int) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := int(math.Ceil(float64(p)/100*float64(len(sorted)))) - 1
	return sorted[max(i, 0)]
}

// Check measures HYBRID personal picks (the code's blend) on the test split for the users
// whose userId is a multiple of every: the regression guard that CI runs on a small
// sample (see eval_test.go).
func Check(ctx context.Context, every int64, log io.Writer) (Result, error) {
	if log == nil {
		log = io.Discard
	}
	ratings, err := seed.Ratings()
	if err != nil {
		return Result{}, err
	}
	test, _ := splits(ratings)
	var users []int64
	for u := range test.heldOut {
		if u%every == 0 {
			users = append(users, u)
		}
	}
	slices.Sort(users)
	var res Result
	err = withGraph(ctx, log, test, func(d neo4j.DriverWithContext, films int64) error {
		res, _, err = measure(ctx, d, films, users, users, test, cypher.Hybrid, cypher.PicksBlend)
		return err
	})
	return res, err
}
