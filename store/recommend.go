package store

import (
	"context"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"filmgraph/cypher"
)

// Pick is one film picked for a user, with its reasons.
type Pick struct {
	MovieID int64
	Score   float64
	Reasons []PickReason
}

// PickReason is why a film was picked; ViaType and ViaKey name the node the reason goes
// through (ViaType "" when none): "Movie" and a movieId, "Person" and a personId, "Genre"
// or "Tag" and a name.
type PickReason struct {
	Kind, Text, ViaType string
	ViaKey              any
}

// Picks returns up to first films picked for the user userID with the hybrid strategy
// (cypher.PicksFor): none of them rated, collected or hidden by the user; cold-start picks
// for a user without loved films. An unknown user gets none. Errors are coded as ReadOne's.
func (s *Store) Picks(ctx context.Context, userID int64, first int) ([]Pick, error) {
	stmt := cypher.PicksFor(userID, cypher.Hybrid, cypher.WeightCollaborative, cypher.WeightContent, first)
	session := s.driver.NewSession(ctx, neo4j.SessionConfig{DatabaseName: s.database, AccessMode: neo4j.AccessModeRead})
	defer session.Close(context.Background())
	picks, err := neo4j.ExecuteRead(ctx, session, func(tx neo4j.ManagedTransaction) ([]Pick, error) {
		s.roundTrips.Add(1)
		result, err := tx.Run(ctx, stmt.Text, stmt.Params)
		if err != nil {
			return nil, err
		}
		records, err := result.Collect(ctx)
		if err != nil {
			return nil, err
		}
		return scanPicks(records), nil
	})
	if err != nil {
		return nil, classify(err)
	}
	return picks, nil
}

// scanPicks maps the rows of cypher.PicksFor.
func scanPicks(records []*neo4j.Record) []Pick {
	picks := make([]Pick, 0, len(records))
	for _, rec := range records {
		row, _ := rec.Values[0].(map[string]any)
		p := Pick{}
		p.MovieID, _ = row["movieId"].(int64)
		p.Score, _ = row["score"].(float64)
		reasons, _ := row["reasons"].([]any)
		for _, r := range reasons {
			m, _ := r.(map[string]any)
			reason := PickReason{ViaKey: m["viaKey"]}
			reason.Kind, _ = m["kind"].(string)
			reason.Text, _ = m["text"].(string)
			reason.ViaType, _ = m["viaType"].(string)
			p.Reasons = append(p.Reasons, reason)
		}
		picks = append(picks, p)
	}
	return picks
}
