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

// Movies returns the statement for the current field, a MovieConnection over all films.
func Movies(ctx context.Context) (Statement, error) {
	return topConnection(ctx, allMovies, movieEdgeType)
}

// entity reads one node of t by key, projecting the current field's selection.
func entity(ctx context.Context, t *objectType, key any) (Statement, error) {
	b := newBuilder(ctx)
	this := "this"
	match := fmt.Sprintf("MATCH (%s:%s {%s: %s})", this, t.label, t.key, b.param(key))
	proj, err := b.project(t, scope{node: this}, graphql.GetFieldContext(ctx).Field.Selections)
	if err != nil {
		return Statement{}, err
	}
	return b.statement(match + " RETURN " + proj + " AS this"), nil
}

// topConnection reads a connection that has no parent node.
func topConnection(ctx context.Context, rel relation, edge *objectType) (Statement, error) {
	b := newBuilder(ctx)
	expr, err := connection(rel, edge)(b, scope{}, graphql.GetFieldContext(ctx).Field)
	if err != nil {
		return Statement{}, err
	}
	return b.statement("RETURN " + expr + " AS this"), nil
}
