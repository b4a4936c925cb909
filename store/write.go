package store

import (
	"context"
	"errors"
	"regexp"
	"strings"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"filmgraph/apperr"
	"filmgraph/cypher"
)

// writeStatus runs stmt (a cypher.Write's statement) as ONE write transaction (see
// WriteOne) and returns its projection and status; ok is false when the statement yields
// no row.
func (s *Store) writeStatus(ctx context.Context, stmt cypher.Statement) (this map[string]any, status string, ok bool, err error) {
	row, err := s.WriteOne(ctx, stmt)
	if err != nil || row == nil {
		return nil, "", false, err
	}
	this, _ = row["result"].(map[string]any)
	status, _ = row["status"].(string)
	return this, status, true, nil
}

// constraintProperty finds the property named in Neo4j's uniqueness-violation message,
// e.g. "Node(42) already exists with label `User` and property `email` = 'a@b.c'".
var constraintProperty = regexp.MustCompile("property `([A-Za-z0-9_]+)`")

// conflict returns a CONFLICT error for a uniqueness-constraint violation, which is how
// writes detect taken usernames and emails without a race; nil for any other error.
func conflict(err error) error {
	var neoErr *neo4j.Neo4jError
	if !errors.As(err, &neoErr) || neoErr.Code != "Neo.ClientError.Schema.ConstraintValidationFailed" {
		return nil
	}
	if m := constraintProperty.FindStringSubmatch(neoErr.Msg); m != nil {
		// usernameKey and emailKey hold the case-folded forms: the client knows the field.
		return apperr.Wrap(apperr.Conflict, err, "`"+strings.TrimSuffix(m[1], "Key")+"` is already taken")
	}
	return apperr.Wrap(apperr.Conflict, err, "this would duplicate an existing entry")
}

// Write runs a mutation's statement (built by package cypher, see cypher.Write) with
// WriteOne and turns its status into an error by its outcomes. It is the one path every
// mutation takes. A write that acts for a viewer (w.ViewerID) and fails while that viewer
// no longer exists is UNAUTHENTICATED, whatever the outcomes say (see unlessViewerGone).
func (s *Store) Write(ctx context.Context, w cypher.Write) (map[string]any, error) {
	this, status, ok, err := s.writeStatus(ctx, w.Statement)
	switch {
	case err != nil:
		return nil, err
	case status == "OK":
		return this, nil
	}
	failure := w.NoRow
	if ok {
		failure = w.Statuses[status]
		if failure == nil {
			failure = apperr.New(apperr.Internal, "internal error")
		}
	}
	// A write acting for a viewer that is gone fails whatever it did: say so, one way.
	if w.ViewerID != 0 {
		return nil, s.unlessViewerGone(ctx, w.ViewerID, failure)
	}
	return nil, failure
}
