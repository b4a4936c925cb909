package store

import (
	"context"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"filmgraph/apperr"
	"filmgraph/auth"
	"filmgraph/cypher"
)

const makeModeratorCypher = `MATCH (u:User {usernameKey: $usernameKey})
WITH u, u.role AS before
SET u.role = 'MODERATOR'
RETURN before AS this`

// MakeModerator gives the member with username (in any case) the MODERATOR role.
// NOT_FOUND when nobody has that username.
func (s *Store) MakeModerator(ctx context.Context, username string) error {
	_, err := s.PromoteModerator(ctx, username)
	return err
}

// PromoteModerator is MakeModerator that also returns the member's role before (the CLI's
// `moderator` subcommand says what it changed).
func (s *Store) PromoteModerator(ctx context.Context, username string) (before string, err error) {
	rows, err := s.run(ctx, neo4j.AccessModeWrite, cypher.Statement{Text: makeModeratorCypher, Params: map[string]any{"usernameKey": auth.IdentityKey(username)}})
	if err != nil {
		return "", err
	}
	if len(rows) == 0 {
		return "", apperr.New(apperr.NotFound, "no member is named %q", username)
	}
	before, _ = rows[0].(string)
	return before, nil
}
