package cypher

import "filmgraph/apperr"

// Mutations are ONE statement each: a write clause (in the *_write.go file of its entity)
// followed by the projection of the mutation's selection (AfterWrite). Package store runs
// the statement and answers by its Outcomes; it never builds a statement itself.

// Write is a mutation's statement with what its results mean.
type Write struct {
	Statement
	Outcomes
	// ViewerID is the member the write acts for (0: none). A write that fails while that
	// member no longer exists is answered UNAUTHENTICATED, whatever Outcomes say.
	ViewerID int64
}

// Outcomes maps the `status` values a write clause can return, other than 'OK', to the
// errors the client gets; NoRow is the error when the statement yields no row (typically
// NOT_FOUND for the targeted id).
type Outcomes struct {
	NoRow    *apperr.Error
	Statuses map[string]*apperr.Error
}

// afterWrite builds the Write of writeClause with its parameters (named after what they
// hold, e.g. $viewerId, the member it acts for) projecting req's field as typeName.
func afterWrite(req Request, typeName, writeClause string, params map[string]any, outcomes Outcomes) (Write, error) {
	stmt, err := AfterWrite(req, typeName, writeClause, params)
	if err != nil {
		return Write{}, err
	}
	viewer, _ := params["viewerId"].(int64)
	return Write{Statement: stmt, Outcomes: outcomes, ViewerID: viewer}, nil
}

// movieNotFound is the error of a film id that matches no film.
var movieNotFound = apperr.New(apperr.NotFound, "no film has this `movieId`")

// deref turns a nil pointer into a nil interface, which the driver sends as null.
func deref[T any](p *T) any {
	if p == nil {
		return nil
	}
	return *p
}
