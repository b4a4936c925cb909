package eval

import (
	"context"
	"os"
	"testing"
	"time"
)

// Floors of the regression guard: just under what HYBRID measures on the test split for
// the users with userId % guardEvery == 0 (the README's 203 users). A change that makes
// personal picks worse fails here, not in production. The users' statements cost little
// next to loading the split and computing its similarity edges, so the guard uses the
// README's sample rather than a smaller one.
const (
	guardEvery = SampleEvery
	floorHR    = 0.37
	floorNDCG  = 0.105
)

func TestHybridStaysAboveTheFloor(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Minute)
	defer cancel()
	start := time.Now()
	res, err := Check(ctx, guardEvery, os.Stderr)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("HYBRID on the test split, userId %% %d == 0: HR@10 %.3f, NDCG@10 %.3f (%s)", guardEvery, res.HR, res.NDCG,
		time.Since(start).Round(time.Second))
	if res.HR < floorHR || res.NDCG < floorNDCG {
		t.Errorf("HR@10 %.3f, NDCG@10 %.3f: below the floor %.3f / %.3f", res.HR, res.NDCG, floorHR, floorNDCG)
	}
}
