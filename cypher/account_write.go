package cypher

import (
	"filmgraph/apperr"
	"filmgraph/auth"
)

// Write clauses of the account and movie-page mutations. Each binds `this` (the node the
// mutation returns) and `status`, for AfterWrite. Parameters are named after what
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

// SignUp creates a user with an already hashed password and projects req's field
// (an AuthPayload) over it. CONFLICT when the username or email is taken, in
// any case.
func SignUp(req Request, username, email, passwordHash string) (Write, error) {
	return afterWrite(req, "AuthPayload", signUpCypher, map[string]any{
		"username": username, "usernameKey": auth.IdentityKey(username),
		"email": email, "emailKey": auth.IdentityKey(email), "passwordHash": passwordHash,
	}, Outcomes{})
}

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
// edges when it is not, and marks the film as changed for the similarity refresher
// (recommend.MarkChangedCypher). A re-rating moves the film to the end of the viewer's
// sequence of ratings, so the films rated just before its old place, whose "rated soon
// after" windows it leaves, are recorded too (ratedJustBeforeCypher); those rated after
// it there keep the same next films. A film that was already the viewer's latest rating
// stays last, so its re-rating changes no window and records nothing: User.latestRatedAt,
// set by every rating, says which one is (unknown while null: ratings loaded with the seed
// or written by other programs, which must leave it null or keep it). viewer and m stay
// bound.
const setScoreCypher = `OPTIONAL MATCH (viewer)-[old:RATED]->(m)
WITH viewer, m, old.score AS oldScore,
  CASE WHEN viewer.latestRatedAt IS NULL OR old.ratedAt < viewer.latestRatedAt THEN old.ratedAt END AS oldRatedAt
MERGE (viewer)-[r:RATED]->(m)
SET r.score = $score, r.ratedAt = datetime(), viewer.latestRatedAt = datetime()
SET m.similarPendingSince = coalesce(m.similarPendingSince, datetime()), m.similarChanges = coalesce(m.similarChanges, 0) + 1,
  ` + ratedJustBeforeCypher + `
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
// A rating removed marks the film as changed for the similarity refresher, and records
// the viewer's 10 films rated just before it, whose "rated soon after" neighbours it
// changed (ratedJustBeforeCypher).
const clearRatingCypher = `MATCH (viewer:User {userId: $viewerId})
MATCH (m:Movie {movieId: $movieId})
SET m._LOCK_ = true
REMOVE m._LOCK_
WITH viewer, m
OPTIONAL MATCH (viewer)-[old:RATED]->(m)
CALL (viewer, m, old) {
  WITH viewer, m, old, old.ratedAt AS oldRatedAt WHERE old IS NOT NULL
  SET m.similarPendingSince = coalesce(m.similarPendingSince, datetime()), m.similarChanges = coalesce(m.similarChanges, 0) + 1,
    ` + ratedJustBeforeCypher + `
}
WITH m, old, old.score AS oldScore
DELETE old
WITH m, oldScore
CALL (m, oldScore) {
  WITH m, oldScore WHERE oldScore IS NOT NULL AND m.ratingCount IS NOT NULL AND m.ratingTotal IS NOT NULL
  SET m.ratingCount = m.ratingCount - 1, m.ratingTotal = m.ratingTotal - oldScore
}
` + fillRatingCacheCypher + `
WITH m AS this, 'OK' AS status`

// ratedJustBeforeCypher is the SET item that records, in the film m's similarAlso, the
// viewer's films rated just before their rating of m given at oldRatedAt (nothing when it
// is null): the 10 before it in their sequence (ratings in time order, ties by movieId, as
// recommend's "rated soon after" window of 10 counts them), whose neighbours change when
// m leaves that place. Each film once (a member who rates m again and again moves it from
// just after the same films), up to 500 films; beyond, the next full refresh takes them in.
const ratedJustBeforeCypher = `m.similarAlso = CASE WHEN oldRatedAt IS NULL OR size(coalesce(m.similarAlso, [])) >= 500 THEN m.similarAlso ELSE coalesce(m.similarAlso, []) +
      COLLECT { MATCH (viewer)-[p:RATED]->(a:Movie) WHERE p.ratedAt < oldRatedAt OR (p.ratedAt = oldRatedAt AND a.movieId < m.movieId)
        WITH a, p ORDER BY p.ratedAt DESC, a.movieId DESC LIMIT 10
        WITH a WHERE NOT a.movieId IN coalesce(m.similarAlso, []) RETURN a.movieId } END`

// fillRatingCacheCypher fills a missing cache of film m from the edges, then sets the average.
const fillRatingCacheCypher = `CALL (m) {
  WITH m WHERE m.ratingCount IS NULL OR m.ratingTotal IS NULL
  SET m.ratingCount = COUNT { (m)<-[:RATED]-(:User) },
      m.ratingTotal = reduce(total = 0, score IN COLLECT { MATCH (m)<-[x:RATED]-(:User) RETURN x.score } | total + score)
}
SET m.ratingAverage = CASE m.ratingCount WHEN 0 THEN null ELSE toFloat(m.ratingTotal) / m.ratingCount END`

// RateMovie sets the viewer's score (1..10, validated by the caller) for a film and
// projects req's field (a Movie). NOT_FOUND for an unknown film.
func RateMovie(req Request, viewerID, movieID, score int64) (Write, error) {
	return afterWrite(req, "Movie", rateMovieCypher,
		map[string]any{"viewerId": viewerID, "movieId": movieID, "score": score}, Outcomes{NoRow: movieNotFound})
}

// ClearRating removes the viewer's rating of a film (a no-op without one) and projects req's
// field (a Movie). NOT_FOUND for an unknown film.
func ClearRating(req Request, viewerID, movieID int64) (Write, error) {
	return afterWrite(req, "Movie", clearRatingCypher,
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

// The relationship type {shelf} comes from the Shelf constants above, never from a request. The
// viewer is locked so that two concurrent adds never MERGE two relationships.
const (
	shelveCypher = `MATCH (viewer:User {userId: $viewerId})
MATCH (m:Movie {movieId: $movieId})
SET viewer._LOCK_ = true
REMOVE viewer._LOCK_
MERGE (viewer)-[s:{shelf}]->(m)
ON CREATE SET s.at = datetime()
WITH m AS this, 'OK' AS status`
	unshelveCypher = `MATCH (viewer:User {userId: $viewerId})
MATCH (m:Movie {movieId: $movieId})
OPTIONAL MATCH (viewer)-[s:{shelf}]->(m)
DELETE s
WITH m AS this, 'OK' AS status`
)

// Shelve puts a film on (add) or takes it off (!add) one of the viewer's shelves,
// idempotently, and projects req's field (a Movie). NOT_FOUND for an unknown film.
func Shelve(req Request, viewerID, movieID int64, shelf Shelf, add bool) (Write, error) {
	clause := unshelveCypher
	if add {
		clause = shelveCypher
	}
	switch shelf {
	case Collection, Favorites, Watchlist, Hidden:
	default:
		return Write{}, apperr.New(apperr.Internal, "internal error")
	}
	return afterWrite(req, "Movie", fill(clause, "shelf", string(shelf)),
		map[string]any{"viewerId": viewerID, "movieId": movieID}, Outcomes{NoRow: movieNotFound})
}
