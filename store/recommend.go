package store

import (
	"context"

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

// Picks runs stmt, a statement of cypher.PicksFor, and returns its picks, best first. An
// unknown user gets none. Errors are coded as ReadOne's.
func (s *Store) Picks(ctx context.Context, stmt cypher.Statement) ([]Pick, error) {
	rows, err := s.ReadAll(ctx, stmt)
	if err != nil {
		return nil, err
	}
	return scanPicks(rows), nil
}

// scanPicks maps the rows of cypher.PicksFor.
func scanPicks(rows []any) []Pick {
	picks := make([]Pick, 0, len(rows))
	for _, r := range rows {
		row, _ := r.(map[string]any)
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
