package cypher

import (
	"context"
	"fmt"

	"github.com/99designs/gqlgen/graphql"
)

// Movie returns the statement for the current field (a Movie) of the film with MovieLens
// id movieID. It yields no row when there is no such film.
func Movie(ctx context.Context, movieID int64) (Statement, error) {
	return entity(ctx, movieType, movieID)
}

// Person returns the statement for the current field (a Person) of the person with id
// personID. It yields no row when there is no such person.
func Person(ctx context.Context, personID int64) (Statement, error) {
	return entity(ctx, personType, personID)
}

// Genre returns the statement for the current field (a Genre) of the named genre. It yields
// no row when there is no such genre.
func Genre(ctx context.Context, name string) (Statement, error) {
	return entity(ctx, genreType, name)
}

// Movies returns the statement for the current field, a MovieConnection over the films
// that match its filter, in its order.
func Movies(ctx context.Context) (Statement, error) {
	return topConnection(ctx, filteredConnection(browseMovies, movieEdgeType))
}

// Genres returns the statement for the current field, a GenreConnection over all genres.
func Genres(ctx context.Context) (Statement, error) {
	return topConnection(ctx, connection(allGenres, genreEdgeType))
}

// People returns the statement for the current field, a PersonConnection over the people
// that match its filter, in its order.
func People(ctx context.Context) (Statement, error) {
	return topConnection(ctx, filteredConnection(browsePeople, personEdgeType))
}

// entity reads one node of t by key, projecting the current field's selection.
func entity(ctx context.Context, t *objectType, key any) (Statement, error) {
	b := newBuilder(ctx)
	b.root = "this"
	match := fmt.Sprintf("MATCH (%s:%s {%s: %s})", b.root, t.label, t.key, b.param(key))
	proj, err := b.project(t, scope{node: b.root}, graphql.GetFieldContext(ctx).Field.Selections)
	if err != nil {
		return Statement{}, err
	}
	for _, call := range b.calls {
		match += "\n" + call
	}
	return b.statement(match + " RETURN " + proj + " AS this"), nil
}

// topConnection reads a connection that has no parent node.
func topConnection(ctx context.Context, translate fieldFunc) (Statement, error) {
	b := newBuilder(ctx)
	expr, err := translate(b, scope{}, graphql.GetFieldContext(ctx).Field)
	if err != nil {
		return Statement{}, err
	}
	return b.statement("RETURN " + expr + " AS this"), nil
}
