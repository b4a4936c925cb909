package cypher

import (
	"filmgraph/apperr"
)

var (
	reviewNotFound  = apperr.New(apperr.NotFound, "no review has this `reviewId`")
	commentNotFound = apperr.New(apperr.NotFound, "no comment has this `commentId`")
)

// writeReviewCypher creates the viewer's review unless they already reviewed the film;
// the viewer is locked so two concurrent writes cannot both see "no review yet". The
// review's score is the viewer's rating of the film too (setScoreCypher).
const writeReviewCypher = `MATCH (viewer:User {userId: $viewerId})
MATCH (m:Movie {movieId: $movieId})
SET viewer._LOCK_ = true
REMOVE viewer._LOCK_
WITH viewer, m, EXISTS { (viewer)-[:WROTE]->(:Review)-[:ABOUT]->(m) } AS taken
CALL (viewer, m, taken) {
  WITH viewer, m WHERE NOT taken
  CREATE (viewer)-[:WROTE]->(:Review {reviewId: $reviewId, text: $text, score: $score, addedAt: datetime()})-[:ABOUT]->(m)
  SET m._LOCK_ = true
  REMOVE m._LOCK_
  WITH viewer, m
  ` + setScoreCypher + `
}
OPTIONAL MATCH (this:Review {reviewId: $reviewId})
WITH this, CASE WHEN taken THEN 'CONFLICT' ELSE 'OK' END AS status`

// WriteReview creates the viewer's review of a film with the new id reviewID and projects
// req's field (a Review). NOT_FOUND for an unknown film, CONFLICT when the viewer
// already reviewed it.
func WriteReview(req Request, viewerID, movieID int64, reviewID, text string, score int64) (Write, error) {
	return afterWrite(req, "Review", writeReviewCypher,
		map[string]any{"viewerId": viewerID, "movieId": movieID, "reviewId": reviewID, "text": text, "score": score},
		Outcomes{NoRow: movieNotFound, Statuses: map[string]*apperr.Error{
			"CONFLICT": apperr.New(apperr.Conflict, "you already reviewed this film: use editReview"),
		}})
}

// editReviewCypher changes the viewer's review; a new score is their rating too
// (setScoreCypher).
const editReviewCypher = `MATCH (viewer:User {userId: $viewerId})
MATCH (this:Review {reviewId: $reviewId})
WITH viewer, this, EXISTS { (viewer)-[:WROTE]->(this) } AS mine
CALL (this, mine) {
  WITH this WHERE mine
  SET this.text = coalesce($text, this.text), this.score = coalesce($score, this.score), this.editedAt = datetime()
}
CALL (viewer, this, mine) {
  WITH viewer, this WHERE mine AND $score IS NOT NULL
  MATCH (this)-[:ABOUT]->(m:Movie)
  SET m._LOCK_ = true
  REMOVE m._LOCK_
  WITH viewer, m
  ` + setScoreCypher + `
}
WITH this, CASE WHEN mine THEN 'OK' ELSE 'FORBIDDEN' END AS status`

// EditReview changes the text and/or score (nil keeps the value) of the viewer's review and
// projects req's field (a Review). NOT_FOUND, FORBIDDEN (not the author).
func EditReview(req Request, viewerID int64, reviewID string, text *string, score *int64) (Write, error) {
	return afterWrite(req, "Review", editReviewCypher,
		map[string]any{"viewerId": viewerID, "reviewId": reviewID, "text": deref(text), "score": deref(score)},
		Outcomes{NoRow: reviewNotFound, Statuses: map[string]*apperr.Error{
			"FORBIDDEN": apperr.New(apperr.Forbidden, "only the author can edit a review"),
		}})
}

const deleteReviewCypher = `MATCH (viewer:User {userId: $viewerId})
MATCH (review:Review {reviewId: $reviewId})-[:ABOUT]->(this:Movie)
WITH review, this, EXISTS { (viewer)-[:WROTE]->(review) } OR viewer.role = 'MODERATOR' AS allowed
CALL (review, allowed) {
  WITH review WHERE allowed
  OPTIONAL MATCH (comment:Comment)-[:ON]->(review)
  DETACH DELETE comment
  WITH DISTINCT review
  DETACH DELETE review
}
WITH this, CASE WHEN allowed THEN 'OK' ELSE 'FORBIDDEN' END AS status`

// DeleteReview deletes a review and its comments (author or moderator) and projects req's
// field (the Movie it was about). NOT_FOUND, FORBIDDEN.
func DeleteReview(req Request, viewerID int64, reviewID string) (Write, error) {
	return afterWrite(req, "Movie", deleteReviewCypher,
		map[string]any{"viewerId": viewerID, "reviewId": reviewID},
		Outcomes{NoRow: reviewNotFound, Statuses: map[string]*apperr.Error{
			"FORBIDDEN": apperr.New(apperr.Forbidden, "only the author or a moderator can delete a review"),
		}})
}

const addCommentCypher = `MATCH (viewer:User {userId: $viewerId})
MATCH (review:Review {reviewId: $reviewId})
CREATE (viewer)-[:WROTE]->(this:Comment {commentId: $commentId, text: $text, addedAt: datetime()})-[:ON]->(review)
WITH this, 'OK' AS status`

// AddComment adds the viewer's comment (new id commentID) to a review and projects req's
// field (a Comment). NOT_FOUND for an unknown review.
func AddComment(req Request, viewerID int64, reviewID, commentID, text string) (Write, error) {
	return afterWrite(req, "Comment", addCommentCypher,
		map[string]any{"viewerId": viewerID, "reviewId": reviewID, "commentId": commentID, "text": text},
		Outcomes{NoRow: reviewNotFound})
}

const deleteCommentCypher = `MATCH (viewer:User {userId: $viewerId})
MATCH (comment:Comment {commentId: $commentId})-[:ON]->(this:Review)
WITH comment, this, EXISTS { (viewer)-[:WROTE]->(comment) } OR viewer.role = 'MODERATOR' AS allowed
CALL (comment, allowed) {
  WITH comment WHERE allowed
  DETACH DELETE comment
}
WITH this, CASE WHEN allowed THEN 'OK' ELSE 'FORBIDDEN' END AS status`

// DeleteComment deletes a comment (author or moderator) and projects req's field
// (the Review it was on). NOT_FOUND, FORBIDDEN.
func DeleteComment(req Request, viewerID int64, commentID string) (Write, error) {
	return afterWrite(req, "Review", deleteCommentCypher,
		map[string]any{"viewerId": viewerID, "commentId": commentID},
		Outcomes{NoRow: commentNotFound, Statuses: map[string]*apperr.Error{
			"FORBIDDEN": apperr.New(apperr.Forbidden, "only the author or a moderator can delete a comment"),
		}})
}
