package graph

import (
	"context"
	"crypto/rand"
	"net/mail"
	"regexp"
	"strings"
	"unicode/utf8"

	"filmgraph/apperr"
	"filmgraph/auth"
	"filmgraph/cypher"
	"filmgraph/events"
	"filmgraph/graph/model"
	"filmgraph/graph/selection"
	"filmgraph/relay"
	"filmgraph/store"
)

// Validation happens here, before any write, so a bad value costs no round trip and the
// message names the argument and the allowed range.

var usernamePattern = regexp.MustCompile(`^[A-Za-z0-9_.-]{3,32}$`)

func validateSignUp(username, email, password string) (string, error) {
	if !usernamePattern.MatchString(username) {
		return "", apperr.New(apperr.BadUserInput, "argument `username` must be 3-32 letters, digits, `_`, `-` or `.`")
	}
	addr, err := mail.ParseAddress(email)
	if err != nil || addr.Address != email || addr.Name != "" || !strings.Contains(email[strings.LastIndexByte(email, '@'):], ".") || len(email) > 254 {
		return "", apperr.New(apperr.BadUserInput, "argument `email` must be an email address such as name@example.org")
	}
	if utf8.RuneCountInString(password) < 8 || len(password) > auth.MaxPasswordBytes {
		return "", apperr.New(apperr.BadUserInput, "argument `password` must be 8 to 72 bytes long")
	}
	return strings.ToLower(email), nil
}

func validateText(arg, text string, max int) error {
	if n := utf8.RuneCountInString(text); n < 1 || n > max {
		return apperr.New(apperr.BadUserInput, "argument `%s` must be 1 to %d characters long, got %d", arg, max, n)
	}
	return nil
}

func validateScore(score int64) error {
	if score < 1 || score > 10 {
		return apperr.New(apperr.BadUserInput, "argument `score` must be between 1 and 10, got %d", score)
	}
	return nil
}

// Text limits, in characters.
const (
	maxReviewText      = 20000
	maxCommentText     = 2000
	maxSynopsisText    = 20000
	maxListTitle       = 200
	maxListDescription = 5000
)

// newKey returns a fresh random key for a review, comment, list or submission.
func newKey() string { return strings.ToLower(rand.Text()) }

// parseKey parses a global id of typeName with a string key.
func parseKey(id, typeName string) (string, error) {
	gotType, key, err := relay.ParseID(id)
	if err != nil {
		return "", err
	}
	if gotType != typeName {
		return "", apperr.New(apperr.BadUserInput, "%q is not the id of a %s", id, typeName)
	}
	return key, nil
}

// movieMutation runs one of the viewer's movie-page actions that return the Movie.
func (r *mutationResolver) movieMutation(ctx context.Context, movieID string, do func(viewer, movie int64) (map[string]any, error)) (*model.Movie, error) {
	v, err := auth.Require(ctx)
	if err != nil {
		return nil, err
	}
	id, err := relay.ParseIntID(movieID, "Movie")
	if err != nil {
		return nil, err
	}
	rec, err := do(v.UserID, id)
	return model.NewMovie(rec), err
}

// write runs the mutation statement that build returns for the request of the field
// being resolved (see cypher.Write).
func (r *mutationResolver) write(ctx context.Context, build func(cypher.Request) (cypher.Write, error)) (map[string]any, error) {
	w, err := build(selection.Request(ctx))
	if err != nil {
		return nil, err
	}
	return r.Store.Write(ctx, w)
}

// publishCommitted publishes e for the subscriptions once a mutation's write returned its
// result (rec, err): the write transaction has committed, so a subscriber that reads the
// change sees it. A failed or refused write publishes nothing. The event carries the
// write's bookmarks, so that readers on other replicas read after it.
func (r *mutationResolver) publishCommitted(ctx context.Context, rec map[string]any, err error, e events.Event) {
	if err == nil && rec != nil && r.Events != nil {
		e.Bookmarks = store.WrittenBookmarks(ctx)
		r.Events.Publish(ctx, e)
	}
}

// issue signs a token for the user projected under key cypher.KeyID with role.
func (r *mutationResolver) issue(rec model.Record, role string) (*model.AuthPayload, error) {
	userID, _ := rec[cypher.KeyID].(int64)
	token, exp, err := r.Auth.Issue(auth.Viewer{UserID: userID, Role: role})
	if err != nil {
		return nil, apperr.Wrap(apperr.Internal, err, "internal error")
	}
	return model.NewAuthPayload(rec, token, exp), nil
}

// entity reads a User, Review, Comment, UserList or SynopsisSubmission by key.
func (r *queryResolver) entity(ctx context.Context, typeName string, key any) (model.Record, error) {
	stmt, err := cypher.Entity(selection.Request(ctx), typeName, key)
	if err != nil {
		return nil, err
	}
	return readOne(ctx, r.Store, stmt)
}

// accountNode resolves the global ids of this feature's types for Query.node.
func (r *queryResolver) accountNode(ctx context.Context, typeName, id string) (model.Node, error) {
	var key any
	if typeName == "User" {
		n, err := relay.ParseIntID(id, "User")
		if err != nil {
			return nil, err
		}
		key = n
	} else {
		k, err := parseKey(id, typeName)
		if err != nil {
			return nil, err
		}
		key = k
	}
	rec, err := r.entity(ctx, typeName, key)
	if err != nil || rec == nil {
		return nil, err
	}
	switch typeName {
	case "User":
		return model.NewUser(rec), nil
	case "Review":
		return model.NewReview(rec), nil
	case "Comment":
		return model.NewComment(rec), nil
	case "UserList":
		return model.NewUserList(rec), nil
	default:
		return model.NewSynopsisSubmission(rec), nil
	}
}

func validateList(title, description *string) error {
	if title != nil {
		if err := validateText("title", *title, maxListTitle); err != nil {
			return err
		}
	}
	if description != nil && utf8.RuneCountInString(*description) > maxListDescription {
		return apperr.New(apperr.BadUserInput, "argument `description` must be at most %d characters long", maxListDescription)
	}
	return nil
}

// listEntryArgs checks the viewer and parses the arguments of the list-entry mutations.
func listEntryArgs(ctx context.Context, listID, movieID string, position *int64) (auth.Viewer, string, int64, error) {
	v, err := auth.Require(ctx)
	if err != nil {
		return v, "", 0, err
	}
	key, err := parseKey(listID, "UserList")
	if err != nil {
		return v, "", 0, err
	}
	movie, err := relay.ParseIntID(movieID, "Movie")
	if err != nil {
		return v, "", 0, err
	}
	if position != nil && (*position < 0 || *position > 100000) {
		return v, "", 0, apperr.New(apperr.BadUserInput, "argument `position` must be between 0 and 100000 (past the end: last), got %d", *position)
	}
	return v, key, movie, nil
}
