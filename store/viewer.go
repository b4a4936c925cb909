package store

import (
	"context"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"filmgraph/apperr"
	"filmgraph/cypher"
)

// A token stays valid after its user is gone (an account deleted or a database restored
// from an older backup). Statements acting for a viewer then find no viewer, and without a
// rule each would explain that its own way ("no film", "not found", null). The rule: when a
// statement acting for the viewer does not succeed, and the viewer does not exist, the
// answer is UNAUTHENTICATED, as for a bad token, whatever the operation. The check costs one
// read, on that failure path only.

// errViewerGone is the answer to a valid token whose user no longer exists.
var errViewerGone = apperr.New(apperr.Unauthenticated, "the account of this access token no longer exists: log in again")

const viewerExistsCypher = `RETURN EXISTS { MATCH (:User {userId: $viewerId}) } AS this`

// unlessViewerGone returns UNAUTHENTICATED when the user viewerID no longer exists, and
// failure otherwise.
func (s *Store) unlessViewerGone(ctx context.Context, viewerID int64, failure error) error {
	rows, err := s.run(ctx, neo4j.AccessModeRead, cypher.Statement{Text: viewerExistsCypher, Params: map[string]any{"viewerId": viewerID}})
	if err != nil {
		return err
	}
	if exists, _ := rows[0].(bool); !exists {
		return errViewerGone
	}
	return failure
}

// ReadForViewer is ReadOne for a statement that reads what the viewer viewerID sees of
// itself (`me`, its recommendations): a statement that yields no row because the viewer is
// gone is UNAUTHENTICATED.
func (s *Store) ReadForViewer(ctx context.Context, stmt cypher.Statement, viewerID int64) (map[string]any, error) {
	row, err := s.ReadOne(ctx, stmt)
	return s.viewersRow(ctx, viewerID, row, err)
}

// viewersRow is what a read of the viewer's own data answers, given the row it read: no
// row because the viewer is gone is UNAUTHENTICATED.
func (s *Store) viewersRow(ctx context.Context, viewerID int64, row map[string]any, err error) (map[string]any, error) {
	if err != nil || row != nil {
		return row, err
	}
	return nil, s.unlessViewerGone(ctx, viewerID, nil)
}
