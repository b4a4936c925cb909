package model

import (
	"context"
	"time"

	"filmgraph/cypher"
	"filmgraph/relay"
)

func (r Record) time(ctx context.Context) (time.Time, error) {
	if t := r.optTime(ctx); t != nil {
		return *t, nil
	}
	return time.Time{}, missing(ctx)
}

func (r Record) bool(ctx context.Context) (bool, error) {
	b, ok := r.get(ctx).(bool)
	if !ok {
		return false, missing(ctx)
	}
	return b, nil
}

// User is a member's public profile.
type User struct{ Record }

// NewUser wraps a projected user; nil for a missing one.
func NewUser(r Record) *User {
	if r == nil {
		return nil
	}
	return &User{r}
}

func (User) IsNode()                                           {}
func (u User) GetID() string                                   { return relay.ID("User", u.key()) }
func (u User) ID() string                                      { return u.GetID() }
func (u User) Username(ctx context.Context) (string, error)    { return u.string(ctx) }
func (u User) JoinedAt(ctx context.Context) (time.Time, error) { return u.time(ctx) }
func (u User) RatingsCount(ctx context.Context) (int64, error) { return u.int(ctx) }

// Reviews and Lists were paged by the Cypher statement.
func (u User) Reviews(ctx context.Context, first *int64, after *string, last *int64, before *string) *ReviewConnection {
	return &ReviewConnection{connection{u.record(ctx)}}
}

func (u User) Lists(ctx context.Context, first *int64, after *string, last *int64, before *string) *UserListConnection {
	return &UserListConnection{connection{u.record(ctx)}}
}

// Me is the viewer's own account.
type Me struct{ Record }

// NewMe wraps a projected account; nil for a missing one.
func NewMe(r Record) *Me {
	if r == nil {
		return nil
	}
	return &Me{r}
}

func (m Me) User(ctx context.Context) *User         { return NewUser(m.record(ctx)) }
func (m Me) Email(ctx context.Context) *string      { return m.optString(ctx) }
func (m Me) Role(ctx context.Context) (Role, error) { s, err := m.string(ctx); return Role(s), err }

func (m Me) Collection(ctx context.Context, first *int64, after *string, last *int64, before *string) *MovieConnection {
	return &MovieConnection{connection{m.record(ctx)}}
}

func (m Me) Favorites(ctx context.Context, first *int64, after *string, last *int64, before *string) *MovieConnection {
	return &MovieConnection{connection{m.record(ctx)}}
}

func (m Me) Watchlist(ctx context.Context, first *int64, after *string, last *int64, before *string) *MovieConnection {
	return &MovieConnection{connection{m.record(ctx)}}
}

func (m Me) Ratings(ctx context.Context, first *int64, after *string, last *int64, before *string) *RatingConnection {
	return &RatingConnection{connection{m.record(ctx)}}
}

// AuthPayload is a logged-in session: the projected user and the token signed for it.
type AuthPayload struct {
	Record
	token     string
	expiresAt time.Time
}

// NewAuthPayload wraps the projected user of a sign-up or log-in with its token.
func NewAuthPayload(r Record, token string, expiresAt time.Time) *AuthPayload {
	return &AuthPayload{Record: r, token: token, expiresAt: expiresAt}
}

func (a AuthPayload) Token() string                  { return a.token }
func (a AuthPayload) ExpiresAt() time.Time           { return a.expiresAt }
func (a AuthPayload) User(ctx context.Context) *User { return NewUser(a.record(ctx)) }

// RatingConnection is a page of the viewer's ratings.
type RatingConnection struct{ connection }

func (c RatingConnection) Edges(ctx context.Context) []*RatingEdge {
	return edgesOf[RatingEdge](ctx, c.connection)
}

// RatingEdge is one rating: the film and its score.
type RatingEdge struct{ edge }

func (e RatingEdge) Score(ctx context.Context) (int64, error) { return e.int(ctx) }
func (e RatingEdge) RatedAt(ctx context.Context) *time.Time   { return e.optTime(ctx) }
func (e RatingEdge) Node(ctx context.Context) *Movie          { return NewMovie(e.record(ctx)) }

// ViewerState is what the viewer did with a film.
type ViewerState struct{ Record }

// ID is one per viewer and film: the projection carries "userId:movieId".
func (v ViewerState) ID(ctx context.Context) (string, error) {
	return idOf(ctx, "ViewerState", v.Record)
}
func (v ViewerState) Rating(ctx context.Context) *int64              { return v.optInt(ctx) }
func (v ViewerState) InCollection(ctx context.Context) (bool, error) { return v.bool(ctx) }
func (v ViewerState) IsFavorite(ctx context.Context) (bool, error)   { return v.bool(ctx) }
func (v ViewerState) OnWatchlist(ctx context.Context) (bool, error)  { return v.bool(ctx) }
func (v ViewerState) Review(ctx context.Context) *Review             { return NewReview(v.record(ctx)) }

// ViewerState is null for an anonymous request.
func (m Movie) ViewerState(ctx context.Context) *ViewerState {
	if r := m.record(ctx); r != nil {
		return &ViewerState{r}
	}
	return nil
}

func (m Movie) Reviews(ctx context.Context, first *int64, after *string, last *int64, before *string, orderBy *ReviewOrder, where *cypher.ReviewWhere) *ReviewConnection {
	return &ReviewConnection{connection{m.record(ctx)}}
}

func (m Movie) Lists(ctx context.Context, first *int64, after *string, last *int64, before *string) *UserListConnection {
	return &UserListConnection{connection{m.record(ctx)}}
}

func (m Movie) SynopsisAuthor(ctx context.Context) *User { return NewUser(m.record(ctx)) }

// SynopsisSubmissions is null unless the viewer is a moderator (its role read from the database).
func (m Movie) SynopsisSubmissions(ctx context.Context, first *int64) []*SynopsisSubmission {
	if m.get(ctx) == nil {
		return nil
	}
	return wrapAll(m.records(ctx), func(r Record) *SynopsisSubmission { return &SynopsisSubmission{r} })
}
