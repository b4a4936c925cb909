package store

import (
	"context"
	"sync"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
)

// Profile collects what Neo4j reports for the statements of one context when they are
// run with PROFILE: how many, and their database hits. It is for reports, not requests:
// PROFILE makes a statement slower.
type Profile struct {
	mu         sync.Mutex
	Statements int
	DBHits     int64
	Rows       int64
}

type profileKey struct{}

// WithProfile returns a context under which every statement the store runs is profiled
// into the returned Profile.
func WithProfile(ctx context.Context) (context.Context, *Profile) {
	p := &Profile{}
	return context.WithValue(ctx, profileKey{}, p), p
}

func profileFrom(ctx context.Context) *Profile {
	p, _ := ctx.Value(profileKey{}).(*Profile)
	return p
}

func (p *Profile) record(ctx context.Context, result neo4j.ResultWithContext) error {
	summary, err := result.Consume(ctx)
	if err != nil {
		return err
	}
	hits, rows := planTotals(summary.Profile())
	p.mu.Lock()
	defer p.mu.Unlock()
	p.Statements++
	p.DBHits += hits
	p.Rows += rows
	return nil
}

// planTotals sums the db hits of a profiled plan and its children; rows are the root's.
func planTotals(plan neo4j.ProfiledPlan) (hits, rows int64) {
	if plan == nil {
		return 0, 0
	}
	hits = plan.DbHits()
	for _, child := range plan.Children() {
		childHits, _ := planTotals(child)
		hits += childHits
	}
	return hits, plan.Records()
}
