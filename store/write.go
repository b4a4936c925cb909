package store

import (
	"context"
	"errors"
	"fmt"
	"regexp"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"filmgraph/apperr"
	"filmgraph/cypher"
)

// WriteOne runs stmt (built by cypher.AfterWrite) in ONE managed write transaction, which
// the driver retries on transient errors (deadlocks, leader switches), and returns its
// `this` and `status` columns; ok is false when the statement yields no row. It counts one
// round trip per attempt, like ReadOne. A uniqueness-constraint violation is a CONFLICT
// naming the property; other driver failures are classified like ReadOne's.
func (s *Store) WriteOne(ctx context.Context, stmt cypher.Statement) (this map[string]any, status string, ok bool, err error) {
	session := s.driver.NewSession(ctx, neo4j.SessionConfig{DatabaseName: s.database, AccessMode: neo4j.AccessModeWrite})
	defer session.Close(context.Background())
	type row struct {
		this   map[string]any
		status string
	}
	value, err := session.ExecuteWrite(ctx, func(tx neo4j.ManagedTransaction) (any, error) {
		s.roundTrips.Add(1)
		result, err := tx.Run(ctx, stmt.Text, stmt.Params)
		if err != nil {
			return nil, err
		}
		records, err := result.Collect(ctx)
		if err != nil || len(records) == 0 {
			return nil, err
		}
		r := &row{}
		v, _ := records[0].Get("this")
		r.this, _ = v.(map[string]any)
		v, _ = records[0].Get("status")
		r.status, _ = v.(string)
		return r, nil
	})
	if err != nil {
		return nil, "", false, classifyWrite(err)
	}
	r, _ := value.(*row)
	if r == nil {
		return nil, "", false, nil
	}
	return r.this, r.status, true, nil
}

// constraintProperty finds the property named in Neo4j's uniqueness-violation message,
// e.g. "Node(42) already exists with label `User` and property `email` = 'a@b.c'".
var constraintProperty = regexp.MustCompile("property `([A-Za-z0-9_]+)`")

func classifyWrite(err error) error {
	var neoErr *neo4j.Neo4jError
	if errors.As(err, &neoErr) && neoErr.Code == "Neo.ClientError.Schema.ConstraintValidationFailed" {
		if m := constraintProperty.FindStringSubmatch(neoErr.Msg); m != nil {
			return apperr.Wrap(apperr.Conflict, err, "`"+m[1]+"` is already taken")
		}
		return apperr.Wrap(apperr.Conflict, err, "this would duplicate an existing entry")
	}
	return classify(err)
}

// Outcomes maps the `status` values a write clause can return, other than 'OK', to the
// errors the client gets; NoRow is the error when the statement yields no row (typically
// NOT_FOUND for the targeted id).
type Outcomes struct {
	NoRow    *apperr.Error
	Statuses map[string]*apperr.Error
}

// Write builds the statement for writeClause followed by the projection of the current
// field as typeName (see cypher.AfterWrite), runs it with WriteOne and turns its status
// into an error by outcomes. It is the one path every mutation takes.
func (s *Store) Write(ctx context.Context, typeName, writeClause string, params map[string]any, outcomes Outcomes) (map[string]any, error) {
	stmt, err := cypher.AfterWrite(ctx, typeName, writeClause, params)
	if err != nil {
		return nil, err
	}
	this, status, ok, err := s.WriteOne(ctx, stmt)
	switch {
	case err != nil:
		return nil, err
	case !ok:
		return nil, outcomes.NoRow
	case status == "OK":
		return this, nil
	}
	if e, known := outcomes.Statuses[status]; known {
		return nil, e
	}
	return nil, apperr.New(apperr.Internal, "internal error")
}

func sprintf(format string, args ...any) string { return fmt.Sprintf(format, args...) }

// run executes a plain write statement (no projection) and returns its first row.
func (s *Store) run(ctx context.Context, text string, params map[string]any) (map[string]any, error) {
	session := s.driver.NewSession(ctx, neo4j.SessionConfig{DatabaseName: s.database, AccessMode: neo4j.AccessModeWrite})
	defer session.Close(context.Background())
	value, err := session.ExecuteWrite(ctx, func(tx neo4j.ManagedTransaction) (any, error) {
		s.roundTrips.Add(1)
		result, err := tx.Run(ctx, text, params)
		if err != nil {
			return nil, err
		}
		records, err := result.Collect(ctx)
		if err != nil || len(records) == 0 {
			return nil, err
		}
		return records[0].AsMap(), nil
	})
	if err != nil {
		return nil, classifyWrite(err)
	}
	m, _ := value.(map[string]any)
	return m, nil
}
