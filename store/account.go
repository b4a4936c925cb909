package store

import (
	"context"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"filmgraph/apperr"
	"filmgraph/auth"
	"filmgraph/cypher"
)

// Write clauses of the account and movie-page mutations. Each binds `this` (the node the
// mutation returns) and `status`, for cypher.AfterWrite. Parameters are named after what
// they hold ($movieId, $viewerId), never $p0.., which the projection uses.
//
// Concurrency: a clause that reads a value it then writes (a counter, a cache, "does it
// exist yet") first takes the node's write lock with `SET n._LOCK_ = true REMOVE n._LOCK_`,
// so concurrent transactions serialise there and each reads the committed value.

// signUpCypher takes the next user id from the 'user' Sequence (locked) and creates the
// user. A taken username or email, in any case (see auth.IdentityKey), violates a
// uniqueness constraint on its key, which rolls back the whole transaction, counter included.
const signUpCypher = `CALL () { MATCH (u:User) RETURN max(u.userId) AS maxUserId }
MERGE (seq:Sequence {name: 'user'})
ON CREATE SET seq.next = coalesce(maxUserId, 0) + 1
SET seq._LOCK_ = true
REMOVE seq._LOCK_
WITH seq, seq.next AS userId
SET seq.next = userId + 1
CREATE (this:User {userId: userId, username: $username, usernameKey: $usernameKey,
                   email: $email, emailKey: $emailKey, passwordHash: $passwordHash,
                   role: 'USER', joinedAt: datetime()})
WITH this, 'OK' AS status`

// SignUp creates a user with an already hashed password and returns the current field
// (an AuthPayload) projected over it. CONFLICT when the username or email is taken, in
// any case.
func (s *Store) SignUp(ctx context.Context, username, email, passwordHash string) (map[string]any, error) {
	return s.Write(ctx, "AuthPayload", signUpCypher, map[string]any{
		"username": username, "usernameKey": auth.IdentityKey(username),
		"email": email, "emailKey": auth.IdentityKey(email), "passwordHash": passwordHash,
	}, Outcomes{})
}

// LogIn reads the member whose username or email is login, in any case, with the password
// hash and role under cypher.KeyPasswordHash and cypher.KeyRole; nil when nobody matches.
func (s *Store) LogIn(ctx context.Context, login string) (map[string]any, error) {
	stmt, err := cypher.LogIn(ctx, auth.IdentityKey(login))
	if err != nil {
		return nil, err
	}
	return s.ReadOne(ctx, stmt)
}

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

// movieNotFound is the error of a film id that matches no film.
var movieNotFound = apperr.New(apperr.NotFound, "no film has this `movieId`")

// rateMovieCypher replaces the viewer's rating (setScoreCypher). The film is locked first.
const rateMovieCypher = `MATCH (viewer:User {userId: $viewerId})
MATCH (m:Movie {movieId: $movieId})
SET m._LOCK_ = true
REMOVE m._LOCK_
WITH viewer, m
` + setScoreCypher + `
WITH m AS this, 'OK' AS status`

// setScoreCypher sets the viewer's score $score of the locked film m: their rating, and the
// score of their review of it when they wrote one, so that a member never shows two scores
// for one film. It keeps the film's rating cache (ratingCount, ratingTotal, ratingAverage)
// equal to its RATED edges: incrementally when the cache is there, recomputed from the
// edges when it is not. viewer and m stay bound.
const setScoreCypher = `OPTIONAL MATCH (viewer)-[old:RATED]->(m)
WITH viewer, m, old.score AS oldScore
MERGE (viewer)-[r:RATED]->(m)
SET r.score = $score, r.ratedAt = datetime()
WITH viewer, m, oldScore
CALL (viewer, m) {
  MATCH (viewer)-[:WROTE]->(review:Review)-[:ABOUT]->(m)
  SET review.score = $score
}
CALL (m, oldScore) {
  WITH m, oldScore WHERE m.ratingCount IS NOT NULL AND m.ratingTotal IS NOT NULL
  SET m.ratingCount = m.ratingCount + CASE WHEN oldScore IS NULL THEN 1 ELSE 0 END,
      m.ratingTotal = m.ratingTotal - coalesce(oldScore, 0) + $score
}
` + fillRatingCacheCypher

// clearRatingCypher deletes the viewer's rating, if any, and updates the cache likewise.
// Their review, if any, keeps its score: a review needs one.
const clearRatingCypher = `MATCH (viewer:User {userId: $viewerId})
MATCH (m:Movie {movieId: $movieId})
SET m._LOCK_ = true
REMOVE m._LOCK_
WITH viewer, m
OPTIONAL MATCH (viewer)-[old:RATED]->(m)
WITH m, old, old.score AS oldScore
DELETE old
WITH m, oldScore
CALL (m, oldScore) {
  WITH m, oldScore WHERE oldScore IS NOT NULL AND m.ratingCount IS NOT NULL AND m.ratingTotal IS NOT NULL
  SET m.ratingCount = m.ratingCount - 1, m.ratingTotal = m.ratingTotal - oldScore
}
` + fillRatingCacheCypher + `
WITH m AS this, 'OK' AS status`

// fillRatingCacheCypher fills a missing cache of film m from the edges, then sets the average.
const fillRatingCacheCypher = `CALL (m) {
  WITH m WHERE m.ratingCount IS NULL OR m.ratingTotal IS NULL
  SET m.ratingCount = COUNT { (m)<-[:RATED]-(:User) },
      m.ratingTotal = reduce(total = 0, score IN COLLECT { MATCH (m)<-[x:RATED]-(:User) RETURN x.score } | total + score)
}
SET m.ratingAverage = CASE m.ratingCount WHEN 0 THEN null ELSE toFloat(m.ratingTotal) / m.ratingCount END`

// RateMovie sets the viewer's score (1..10, validated by the caller) for a film and
// returns the current field (a Movie). NOT_FOUND for an unknown film.
func (s *Store) RateMovie(ctx context.Context, viewerID, movieID, score int64) (map[string]any, error) {
	return s.Write(ctx, "Movie", rateMovieCypher,
		map[string]any{"viewerId": viewerID, "movieId": movieID, "score": score}, Outcomes{NoRow: movieNotFound})
}

// ClearRating removes the viewer's rating of a film (a no-op without one) and returns the
// current field (a Movie). NOT_FOUND for an unknown film.
func (s *Store) ClearRating(ctx context.Context, viewerID, movieID int64) (map[string]any, error) {
	return s.Write(ctx, "Movie", clearRatingCypher,
		map[string]any{"viewerId": viewerID, "movieId": movieID}, Outcomes{NoRow: movieNotFound})
}

// Shelf is one of the viewer's sets of films, stored as a relationship type.
type Shelf string

// The shelves of the movie page's buttons.
const (
	Collection Shelf = "COLLECTED"
	Favorites  Shelf = "FAVORITED"
	Watchlist  Shelf = "WANTS_TO_WATCH"
	// Hidden holds the films the viewer is not interested in: never recommended to them.
	Hidden Shelf = "HID"
)

// The relationship type comes from the Shelf constants above, never from a request. The
// viewer is locked so that two concurrent adds never MERGE two relationships.
const (
	shelveCypher = `MATCH (viewer:User {userId: $viewerId})
MATCH (m:Movie {movieId: $movieId})
SET viewer._LOCK_ = true
REMOVE viewer._LOCK_
MERGE (viewer)-[s:%s]->(m)
ON CREATE SET s.at = datetime()
WITH m AS this, 'OK' AS status`
	unshelveCypher = `MATCH (viewer:User {userId: $viewerId})
MATCH (m:Movie {movieId: $movieId})
OPTIONAL MATCH (viewer)-[s:%s]->(m)
DELETE s
WITH m AS this, 'OK' AS status`
)

// Shelve puts a film on (add) or takes it off (!add) one of the viewer's shelves,
// idempotently, and returns the current field (a Movie). NOT_FOUND for an unknown film.
func (s *Store) Shelve(ctx context.Context, viewerID, movieID int64, shelf Shelf, add bool) (map[string]any, error) {
	clause := unshelveCypher
	if add {
		clause = shelveCypher
	}
	switch shelf {
	case Collection, Favorites, Watchlist, Hidden:
	default:
		return nil, apperr.New(apperr.Internal, "internal error")
	}
	return s.Write(ctx, "Movie", sprintf(clause, string(shelf)),
		map[string]any{"viewerId": viewerID, "movieId": movieID}, Outcomes{NoRow: movieNotFound})
}
