package store

import (
	"context"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"filmgraph/apperr"
	"filmgraph/cypher"
)

const makeModeratorCypher = `MATCH (u:User {username: $username})
SET u.role = 'MODERATOR'
RETURN u.userId AS this`

// MakeModerator gives the member with username the MODERATOR role (the CLI's
// `moderator` subcommand). NOT_FOUND when nobody has that username.
func (s *Store) MakeModerator(ctx context.Context, username string) error {
	rows, err := s.run(ctx, neo4j.AccessModeWrite, cypher.Statement{Text: makeModeratorCypher, Params: map[string]any{"username": username}})
	if err != nil {
		return err
	}
	if len(rows) == 0 {
		return apperr.New(apperr.NotFound, "no user is named %q", username)
	}
	return nil
}
