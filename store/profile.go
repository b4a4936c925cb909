package store

import (
	"context"
	"sync"

	"filmgraph/cypher"

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
	// Plans are the profiled statements in the order they finished, for reading where the
	// db hits go.
	Plans []ProfiledStatement
}

// ProfiledStatement is one statement run under a profile and the plan Neo4j reported.
type ProfiledStatement struct {
	Text   string
	Params map[string]any
	Plan   neo4j.ProfiledPlan
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

func (p *Profile) record(ctx context.Context, result neo4j.ResultWithContext, stmt cypher.Statement) error {
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
	p.Plans = append(p.Plans, ProfiledStatement{Text: stmt.Text, Params: stmt.Params, Plan: summary.Profile()})
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
