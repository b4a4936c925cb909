package server

import (
	"fmt"
	"reflect"
	"testing"
)

// TestCachedTranslationsAnswerForTheirOwnVariables asks one document for several films and
// page sizes, interleaved so that most requests reuse a statement translated for another
// film (graph/selection's translation cache): each answer must be that film's, as an
// independent Cypher query reads it.
func TestCachedTranslationsAnswerForTheirOwnVariables(t *testing.T) {
	const query = `query($id: ID!, $n: Int) { movie(id: $id) { title cast(first: $n) { person { name } } } }`
	for round := range 2 {
		for _, n := range []int{3, 5} {
			for _, film := range []int{1, 356, 2571, referenceMovieLensID} {
				rows := cypherRows(t, `MATCH (m:Movie {movieId: $id})<-[r:ACTED_IN]-(p)
					WITH m, r, p ORDER BY r.order, p.personId
					RETURN m.title AS title, collect(p.name)[..$n] AS cast`, map[string]any{"id": film, "n": n})
				if len(rows) != 1 {
					t.Fatalf("film %d has no cast to compare", film)
				}
				data := mustDo(t, "", query, map[string]any{"id": movieID(film), "n": n}, 1)
				var cast []any
				for _, credit := range at(data, "movie.cast").([]any) {
					cast = append(cast, at(credit, "person.name"))
				}
				what := fmt.Sprintf("round %d, film %d, first %d", round, film, n)
				if got := at(data, "movie.title"); got != rows[0]["title"] {
					t.Errorf("%s: title %v, want %v", what, got, rows[0]["title"])
				}
				if !reflect.DeepEqual(cast, rows[0]["cast"]) {
					t.Errorf("%s: cast %v, want %v", what, cast, rows[0]["cast"])
				}
			}
		}
	}
}

// TestCachedTranslationsKeepViewersApart: a statement translated for one member is never
// served to another, nor to an anonymous request, which would show one member's rating to
// the others.
func TestCachedTranslationsKeepViewersApart(t *testing.T) {
	const film = 25
	alice, bob := signUp(t, "cache-alice"), signUp(t, "cache-bob")
	for who, score := range map[string]int{alice.Token: 3, bob.Token: 9} {
		mustDo(t, who, `mutation($m: ID!, $s: Int!) { rateMovie(movieId: $m, score: $s) { id } }`,
			map[string]any{"m": movieID(film), "s": score}, 0)
	}
	const query = `query($id: ID!) { movie(id: $id) { title viewerState { rating } } }`
	for _, c := range []struct {
		name, token string
		want        any
	}{{"alice", alice.Token, 3.0}, {"bob", bob.Token, 9.0}, {"anonymous", "", nil}, {"alice again", alice.Token, 3.0}} {
		data := mustDo(t, c.token, query, map[string]any{"id": movieID(film)}, 0)
		if got := at(data, "movie.viewerState.rating"); got != c.want {
			t.Errorf("%s: rating %v, want %v", c.name, got, c.want)
		}
	}
}
