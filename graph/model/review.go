package model

import (
	"context"
	"time"

	"filmgraph/relay"
)

// Review is a member's review of a film.
type Review struct{ Record }

// NewReview wraps a projected review; nil for a missing one.
func NewReview(r Record) *Review {
	if r == nil {
		return nil
	}
	return &Review{r}
}

func (Review) IsNode()                                          {}
func (r Review) GetID() string                                  { return relay.ID("Review", r.key()) }
func (r Review) ID() string                                     { return r.GetID() }
func (r Review) Author(ctx context.Context) *User               { return NewUser(r.record(ctx)) }
func (r Review) Movie(ctx context.Context) *Movie               { return NewMovie(r.record(ctx)) }
func (r Review) Text(ctx context.Context) (string, error)       { return r.string(ctx) }
func (r Review) Score(ctx context.Context) (int64, error)       { return r.int(ctx) }
func (r Review) AddedAt(ctx context.Context) (time.Time, error) { return r.time(ctx) }
func (r Review) EditedAt(ctx context.Context) *time.Time        { return r.optTime(ctx) }

func (r Review) Comments(ctx context.Context, first *int64, after *string, last *int64, before *string) *CommentConnection {
	return &CommentConnection{connection{r.record(ctx)}}
}

// Comment is a member's comment on a review.
type Comment struct{ Record }

// NewComment wraps a projected comment; nil for a missing one.
func NewComment(r Record) *Comment {
	if r == nil {
		return nil
	}
	return &Comment{r}
}

func (Comment) IsNode()                                          {}
func (c Comment) GetID() string                                  { return relay.ID("Comment", c.key()) }
func (c Comment) ID() string                                     { return c.GetID() }
func (c Comment) Author(ctx context.Context) *User               { return NewUser(c.record(ctx)) }
func (c Comment) Text(ctx context.Context) (string, error)       { return c.string(ctx) }
func (c Comment) AddedAt(ctx context.Context) (time.Time, error) { return c.time(ctx) }
func (c Comment) Review(ctx context.Context) *Review             { return NewReview(c.record(ctx)) }

// ReviewConnection is a page of reviews.
type ReviewConnection struct{ connection }

func (c ReviewConnection) Edges(ctx context.Context) []*ReviewEdge {
	return edgesOf[ReviewEdge](ctx, c.connection)
}

// ReviewEdge is a review in a connection.
type ReviewEdge struct{ edge }

func (e ReviewEdge) Node(ctx context.Context) *Review { return NewReview(e.record(ctx)) }

// CommentConnection is a page of comments.
type CommentConnection struct{ connection }

func (c CommentConnection) Edges(ctx context.Context) []*CommentEdge {
	return edgesOf[CommentEdge](ctx, c.connection)
}

// CommentEdge is a comment in a connection.
type CommentEdge struct{ edge }

func (e CommentEdge) Node(ctx context.Context) *Comment { return NewComment(e.record(ctx)) }

// UserList is a member's ordered list of films.
type UserList struct{ Record }

// NewUserList wraps a projected list; nil for a missing one.
func NewUserList(r Record) *UserList {
	if r == nil {
		return nil
	}
	return &UserList{r}
}

func (UserList) IsNode()                                            {}
func (l UserList) GetID() string                                    { return relay.ID("UserList", l.key()) }
func (l UserList) ID() string                                       { return l.GetID() }
func (l UserList) Title(ctx context.Context) (string, error)        { return l.string(ctx) }
func (l UserList) Description(ctx context.Context) *string          { return l.optString(ctx) }
func (l UserList) Owner(ctx context.Context) *User                  { return NewUser(l.record(ctx)) }
func (l UserList) CreatedAt(ctx context.Context) (time.Time, error) { return l.time(ctx) }
func (l UserList) Public(ctx context.Context) (bool, error)         { return l.bool(ctx) }

func (l UserList) Movies(ctx context.Context, first *int64, after *string, last *int64, before *string) *MovieConnection {
	return &MovieConnection{connection{l.record(ctx)}}
}

// UserListConnection is a page of lists.
type UserListConnection struct{ connection }

func (c UserListConnection) Edges(ctx context.Context) []*UserListEdge {
	return edgesOf[UserListEdge](ctx, c.connection)
}

// UserListEdge is a list in a connection.
type UserListEdge struct{ edge }

func (e UserListEdge) Node(ctx context.Context) *UserList { return NewUserList(e.record(ctx)) }

// SynopsisSubmission is a synopsis a member sent for a film.
type SynopsisSubmission struct{ Record }

// NewSynopsisSubmission wraps a projected submission; nil for a missing one.
func NewSynopsisSubmission(r Record) *SynopsisSubmission {
	if r == nil {
		return nil
	}
	return &SynopsisSubmission{r}
}

func (SynopsisSubmission) IsNode()                                    {}
func (s SynopsisSubmission) GetID() string                            { return relay.ID("SynopsisSubmission", s.key()) }
func (s SynopsisSubmission) ID() string                               { return s.GetID() }
func (s SynopsisSubmission) Text(ctx context.Context) (string, error) { return s.string(ctx) }
func (s SynopsisSubmission) Status(ctx context.Context) (SubmissionStatus, error) {
	status, err := s.string(ctx)
	return SubmissionStatus(status), err
}
func (s SynopsisSubmission) SubmittedAt(ctx context.Context) (time.Time, error) { return s.time(ctx) }
func (s SynopsisSubmission) DecidedAt(ctx context.Context) *time.Time           { return s.optTime(ctx) }
func (s SynopsisSubmission) Author(ctx context.Context) *User                   { return NewUser(s.record(ctx)) }
func (s SynopsisSubmission) Movie(ctx context.Context) *Movie                   { return NewMovie(s.record(ctx)) }
