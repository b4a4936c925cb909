package cypher

import (
	"filmgraph/apperr"
)

var (
	listNotFound   = apperr.New(apperr.NotFound, "no list has this `listId`")
	listForbidden  = apperr.New(apperr.Forbidden, "only the owner can change a list")
	listOutcomes   = Outcomes{NoRow: listNotFound, Statuses: map[string]*apperr.Error{"NOT_FOUND": listNotFound, "FORBIDDEN": listForbidden}}
	listEntryInput = map[string]*apperr.Error{
		"NOT_FOUND":       listNotFound,
		"FORBIDDEN":       listForbidden,
		"MOVIE_NOT_FOUND": movieNotFound,
		"NOT_IN_LIST":     apperr.New(apperr.NotFound, "the film is not in this list"),
		"CONFLICT":        apperr.New(apperr.Conflict, "the film is already in this list: use moveInList"),
	}
)

const createListCypher = `MATCH (viewer:User {userId: $viewerId})
CREATE (viewer)-[:CREATED]->(this:UserList {listId: $listId, title: $title, description: $description,
                                             public: $public, createdAt: datetime()})
WITH this, 'OK' AS status`

// CreateList creates a list (new id listID) owned by the viewer and projects req's
// field (a UserList).
func CreateList(req Request, viewerID int64, listID, title string, description *string, public bool) (Write, error) {
	return afterWrite(req, "UserList", createListCypher,
		map[string]any{"viewerId": viewerID, "listId": listID, "title": title, "description": deref(description), "public": public},
		Outcomes{NoRow: apperr.New(apperr.Unauthenticated, "your account no longer exists")})
}

// ownedListCypher matches the list and its owner, locks the list (so concurrent edits of
// its order serialise) and binds `mine`; a list that is neither the viewer's nor public
// is reported NOT_FOUND, as if it did not exist.
const ownedListCypher = `MATCH (this:UserList {listId: $listId})<-[:CREATED]-(owner:User)
SET this._LOCK_ = true
REMOVE this._LOCK_
WITH this, owner.userId = $viewerId AS mine
`

const listStatusCypher = `CASE WHEN NOT mine AND NOT this.public THEN 'NOT_FOUND' WHEN NOT mine THEN 'FORBIDDEN' ELSE 'OK' END`

const updateListCypher = ownedListCypher + `CALL (this, mine) {
  WITH this WHERE mine
  SET this.title = coalesce($title, this.title), this.description = coalesce($description, this.description),
      this.public = coalesce($public, this.public)
}
WITH this, ` + listStatusCypher + ` AS status`

// UpdateList changes a list's title, description and visibility (nil keeps the value) and
// projects req's field (a UserList). NOT_FOUND, FORBIDDEN.
func UpdateList(req Request, viewerID int64, listID string, title, description *string, public *bool) (Write, error) {
	return afterWrite(req, "UserList", updateListCypher,
		map[string]any{"viewerId": viewerID, "listId": listID, "title": deref(title), "description": deref(description), "public": deref(public)},
		listOutcomes)
}

const deleteListCypher = `MATCH (list:UserList {listId: $listId})<-[:CREATED]-(this:User)
WITH list, this, this.userId = $viewerId AS mine, list.public AS public
CALL (list, mine) {
  WITH list WHERE mine
  DETACH DELETE list
}
WITH this, CASE WHEN mine THEN 'OK' WHEN public THEN 'FORBIDDEN' ELSE 'NOT_FOUND' END AS status`

// DeleteList deletes a list and projects req's field (its owner, a User). NOT_FOUND,
// FORBIDDEN.
func DeleteList(req Request, viewerID int64, listID string) (Write, error) {
	return afterWrite(req, "User", deleteListCypher, map[string]any{"viewerId": viewerID, "listId": listID}, listOutcomes)
}

// renumberCypher gives the entries in `ordered` the positions 0..n-1, so positions stay
// dense whatever the edit.
const renumberCypher = `  CALL (ordered) {
    UNWIND range(0, size(ordered) - 1) AS i
    WITH ordered[i] AS entry, i
    SET entry.position = i
  }
`

const addToListCypher = ownedListCypher + `OPTIONAL MATCH (m:Movie {movieId: $movieId})
WITH this, mine, m, EXISTS { (this)-[:CONTAINS]->(m) } AS already
CALL (this, mine, m, already) {
  WITH this, m WHERE mine AND m IS NOT NULL AND NOT already
  CREATE (this)-[new:CONTAINS {addedAt: datetime()}]->(m)
  WITH this, new, COLLECT { MATCH (this)-[c:CONTAINS]->() WHERE c <> new RETURN c ORDER BY c.position } AS others
  WITH others[..coalesce($position, size(others))] + [new] + others[coalesce($position, size(others))..] AS ordered
` + renumberCypher + `}
WITH this, CASE WHEN ` + listStatusCypher + ` <> 'OK' THEN ` + listStatusCypher + `
  WHEN m IS NULL THEN 'MOVIE_NOT_FOUND' WHEN already THEN 'CONFLICT' ELSE 'OK' END AS status`

// AddToList inserts a film at position (nil: last) of a list and projects req's field
// (a UserList). NOT_FOUND (list or film), FORBIDDEN, CONFLICT (already in the list).
func AddToList(req Request, viewerID int64, listID string, movieID int64, position *int64) (Write, error) {
	return afterWrite(req, "UserList", addToListCypher,
		map[string]any{"viewerId": viewerID, "listId": listID, "movieId": movieID, "position": deref(position)},
		Outcomes{NoRow: listNotFound, Statuses: listEntryInput})
}

const moveInListCypher = ownedListCypher + `OPTIONAL MATCH (this)-[entry:CONTAINS]->(:Movie {movieId: $movieId})
WITH this, mine, entry
CALL (this, mine, entry) {
  WITH this, entry WHERE mine AND entry IS NOT NULL
  WITH this, entry, COLLECT { MATCH (this)-[c:CONTAINS]->() WHERE c <> entry RETURN c ORDER BY c.position } AS others
  WITH others[..$position] + [entry] + others[$position..] AS ordered
` + renumberCypher + `}
WITH this, CASE WHEN ` + listStatusCypher + ` <> 'OK' THEN ` + listStatusCypher + `
  WHEN entry IS NULL THEN 'NOT_IN_LIST' ELSE 'OK' END AS status`

// MoveInList moves a film of a list to position (past the end: last) and projects req's
// field (a UserList). NOT_FOUND (list, or film not in it), FORBIDDEN.
func MoveInList(req Request, viewerID int64, listID string, movieID, position int64) (Write, error) {
	return afterWrite(req, "UserList", moveInListCypher,
		map[string]any{"viewerId": viewerID, "listId": listID, "movieId": movieID, "position": position},
		Outcomes{NoRow: listNotFound, Statuses: listEntryInput})
}

const removeFromListCypher = ownedListCypher + `OPTIONAL MATCH (this)-[entry:CONTAINS]->(:Movie {movieId: $movieId})
WITH this, mine, entry, entry IS NULL AS missing
CALL (this, mine, entry, missing) {
  WITH this, entry WHERE mine AND NOT missing
  DELETE entry
  WITH DISTINCT this
  WITH COLLECT { MATCH (this)-[c:CONTAINS]->() RETURN c ORDER BY c.position } AS ordered
` + renumberCypher + `}
WITH this, CASE WHEN ` + listStatusCypher + ` <> 'OK' THEN ` + listStatusCypher + `
  WHEN missing THEN 'NOT_IN_LIST' ELSE 'OK' END AS status`

// RemoveFromList takes a film out of a list, closing the gap, and projects req's
// field (a UserList). NOT_FOUND (list, or film not in it), FORBIDDEN.
func RemoveFromList(req Request, viewerID int64, listID string, movieID int64) (Write, error) {
	return afterWrite(req, "UserList", removeFromListCypher,
		map[string]any{"viewerId": viewerID, "listId": listID, "movieId": movieID},
		Outcomes{NoRow: listNotFound, Statuses: listEntryInput})
}
