package cypher

// Movie returns the statement for req's field (a Movie) of the film with MovieLens
// id movieID. It yields no row when there is no such film.
func Movie(req Request, movieID int64) (Statement, error) {
	return entity(req, movieType, movieID)
}

// Person returns the statement for req's field (a Person) of the person with id
// personID. It yields no row when there is no such person.
func Person(req Request, personID int64) (Statement, error) {
	return entity(req, personType, personID)
}

// Genre returns the statement for req's field (a Genre) of the named genre. It yields
// no row when there is no such genre.
func Genre(req Request, name string) (Statement, error) {
	return entity(req, genreType, name)
}

// Movies returns the statement for req's field, a MovieConnection over the films
// that match its filter, in its order.
func Movies(req Request) (Statement, error) {
	return topConnection(req, filteredConnection(browseMovies, movieEdgeType))
}

// Genres returns the statement for req's field, a GenreConnection over all genres.
func Genres(req Request) (Statement, error) {
	return topConnection(req, connection(allGenres, genreEdgeType))
}

// People returns the statement for req's field, a PersonConnection over the people
// that match its filter, in its order.
func People(req Request) (Statement, error) {
	return topConnection(req, filteredConnection(browsePeople, personEdgeType))
}

// EntityKeyParam is the parameter that holds the key of the statements of Movie, Person,
// Genre and User, whose text and other parameters do not depend on the key: a statement translated
// for one key serves another with this parameter replaced (graph/selection's cache).
const EntityKeyParam = "p0"

// entity reads one node of t by key, projecting the selection of req's field. The key is
// the first parameter, EntityKeyParam.
func entity(req Request, t *objectType, key any) (Statement, error) {
	b := newBuilder(req)
	b.root = "this"
	keyParam := b.param(key)
	match := fill("MATCH ({n}:{label} {{key}: {value}})", "n", b.root, "label", t.label, "key", t.key, "value", keyParam)
	proj, err := b.project(t, scope{node: b.root}, req.Field.Selections)
	if err != nil {
		return Statement{}, err
	}
	for _, call := range b.calls {
		match += "\n" + call
	}
	return b.statement(match + " RETURN " + proj + " AS this"), nil
}

// topConnection reads a connection that has no parent node.
func topConnection(req Request, translate fieldFunc) (Statement, error) {
	b := newBuilder(req)
	expr, err := translate(b, scope{}, req.Field)
	if err != nil {
		return Statement{}, err
	}
	return b.statement("RETURN " + expr + " AS this"), nil
}
