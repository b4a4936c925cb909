package model

import (
	"context"

	"filmgraph/relay"
)

// Person is a director or actor.
type Person struct{ Record }

// NewPerson wraps a projected person; nil for a missing one.
func NewPerson(r Record) *Person {
	if r == nil {
		return nil
	}
	return &Person{r}
}

func (Person) IsNode()                                    {}
func (p Person) GetID() string                            { return relay.ID("Person", p.key()) }
func (p Person) ID() string                               { return p.GetID() }
func (p Person) Name(ctx context.Context) (string, error) { return p.string(ctx) }

// Directed and ActedIn were paged by the Cypher statement; the arguments are already applied.
func (p Person) Directed(ctx context.Context, first *int64, after *string, last *int64, before *string) *MovieConnection {
	return &MovieConnection{connection{p.record(ctx)}}
}

func (p Person) ActedIn(ctx context.Context, first *int64, after *string, last *int64, before *string) *ActingConnection {
	return &ActingConnection{connection{p.record(ctx)}}
}

// Genre is a film genre.
type Genre struct{ Record }

// NewGenre wraps a projected genre; nil for a missing one.
func NewGenre(r Record) *Genre {
	if r == nil {
		return nil
	}
	return &Genre{r}
}

func (Genre) IsNode()                                         {}
func (g Genre) GetID() string                                 { return relay.ID("Genre", g.key()) }
func (g Genre) ID() string                                    { return g.GetID() }
func (g Genre) Name(ctx context.Context) (string, error)      { return g.string(ctx) }
func (g Genre) MovieCount(ctx context.Context) (int64, error) { return g.int(ctx) }
func (g Genre) Parent(ctx context.Context) *Genre             { return NewGenre(g.record(ctx)) }
func (g Genre) Subgenres(ctx context.Context) []*Genre {
	return entities[Genre](g.records(ctx))
}

func (g Genre) Movies(ctx context.Context, first *int64, after *string, last *int64, before *string) *MovieConnection {
	return &MovieConnection{connection{g.record(ctx)}}
}

// CoStars are fellow actors, most shared films first; first was applied by the statement.
func (p Person) CoStars(ctx context.Context, first *int64) []*CoStar {
	return wrapAll(p.records(ctx), func(r Record) *CoStar { return &CoStar{r} })
}

func (Person) IsSearchItem() {}

// CoStar is an actor who shared films with a person.
type CoStar struct{ Record }

func (c CoStar) Person(ctx context.Context) *Person              { return NewPerson(c.record(ctx)) }
func (c CoStar) SharedMovies(ctx context.Context) (int64, error) { return c.int(ctx) }

// PersonPath is a chain of people linked by shared films.
type PersonPath struct{ Record }

// NewPersonPath wraps a projected path; nil when there is none.
func NewPersonPath(r Record) *PersonPath {
	if r == nil {
		return nil
	}
	return &PersonPath{r}
}

func (p PersonPath) Length(ctx context.Context) (int64, error) { return p.int(ctx) }
func (p PersonPath) Links(ctx context.Context) []*PersonLink {
	return wrapAll(p.records(ctx), func(r Record) *PersonLink { return &PersonLink{r} })
}

// PersonLink is two people who both worked on one film.
type PersonLink struct{ Record }

func (l PersonLink) From(ctx context.Context) *Person { return NewPerson(l.record(ctx)) }
func (l PersonLink) Movie(ctx context.Context) *Movie { return NewMovie(l.record(ctx)) }
func (l PersonLink) To(ctx context.Context) *Person   { return NewPerson(l.record(ctx)) }

// FromRoles and ToRoles are how each person worked on the link's film.
func (l PersonLink) FromRoles(ctx context.Context) []CreditRole { return creditRoles(l.get(ctx)) }
func (l PersonLink) ToRoles(ctx context.Context) []CreditRole   { return creditRoles(l.get(ctx)) }

func creditRoles(v any) []CreditRole {
	items, _ := v.([]any)
	out := make([]CreditRole, 0, len(items))
	for _, item := range items {
		s, _ := item.(string)
		out = append(out, CreditRole(s))
	}
	return out
}
