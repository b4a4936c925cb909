package cypher

import (
	"filmgraph/apperr"
)

const submitSynopsisCypher = `MATCH (viewer:User {userId: $viewerId})
MATCH (m:Movie {movieId: $movieId})
CREATE (viewer)-[:SUBMITTED]->(this:SynopsisSubmission {submissionId: $submissionId, text: $text,
                                                         status: 'PENDING', submittedAt: datetime()})-[:FOR]->(m)
WITH this, 'OK' AS status`

// SubmitSynopsis records the viewer's pending synopsis (new id submissionID) for a film
// and projects req's field (a SynopsisSubmission). NOT_FOUND for an unknown film.
func SubmitSynopsis(req Request, viewerID, movieID int64, submissionID, text string) (Write, error) {
	return afterWrite(req, "SynopsisSubmission", submitSynopsisCypher,
		map[string]any{"viewerId": viewerID, "movieId": movieID, "submissionId": submissionID, "text": text},
		Outcomes{NoRow: movieNotFound})
}

// decideSynopsisCypher accepts or rejects a pending submission. The role is read from the
// database, not the token, so a demotion takes effect at once. The decision is kept:
// (moderator)-[:DECIDED]->(submission) with the status and decidedAt. An accepted text
// becomes the film's synopsis and (m)-[:SYNOPSIS_FROM]->(submission) credits its author.
const decideSynopsisCypher = `MATCH (viewer:User {userId: $viewerId})
MATCH (this:SynopsisSubmission {submissionId: $submissionId})-[:FOR]->(m:Movie)
SET this._LOCK_ = true
REMOVE this._LOCK_
WITH viewer, this, m, viewer.role = 'MODERATOR' AS moderator, this.status = 'PENDING' AS pending
CALL (viewer, this, m, moderator, pending) {
  WITH viewer, this, m WHERE moderator AND pending
  SET this.status = $decision, this.decidedAt = datetime()
  CREATE (viewer)-[:DECIDED]->(this)
  WITH this, m WHERE $decision = 'ACCEPTED'
  SET m.synopsis = this.text
  WITH this, m
  OPTIONAL MATCH (m)-[old:SYNOPSIS_FROM]->()
  DELETE old
  WITH DISTINCT this, m
  CREATE (m)-[:SYNOPSIS_FROM]->(this)
}
WITH this, CASE WHEN NOT moderator THEN 'FORBIDDEN' WHEN NOT pending THEN 'CONFLICT' ELSE 'OK' END AS status`

// DecideSynopsis accepts (accept) or rejects a pending submission and projects req's
// field (a SynopsisSubmission). NOT_FOUND, FORBIDDEN (not a moderator), CONFLICT (already
// decided).
func DecideSynopsis(req Request, viewerID int64, submissionID string, accept bool) (Write, error) {
	decision := "REJECTED"
	if accept {
		decision = "ACCEPTED"
	}
	return afterWrite(req, "SynopsisSubmission", decideSynopsisCypher,
		map[string]any{"viewerId": viewerID, "submissionId": submissionID, "decision": decision},
		Outcomes{NoRow: apperr.New(apperr.NotFound, "no synopsis submission has this `submissionId`"), Statuses: map[string]*apperr.Error{
			"FORBIDDEN": apperr.New(apperr.Forbidden, "only a moderator can decide on a synopsis"),
			"CONFLICT":  apperr.New(apperr.Conflict, "this submission was already decided"),
		}})
}
