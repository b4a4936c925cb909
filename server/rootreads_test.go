package server

import (
	"encoding/json"
	"net/http"
	"os"
	"reflect"
	"slices"
	"testing"

	"filmgraph/relay"
)

// TestBrowsePageIsOneStatement: the browse example's two root fields (genres, movies) are
// read by one statement, and answer what each answers when asked alone.
func TestBrowsePageIsOneStatement(t *testing.T) {
	query, err := os.ReadFile("../docs/queries/browseByGenre.graphql")
	if err != nil {
		t.Fatal(err)
	}
	var together map[string]json.RawMessage
	if trips := mustQuery(t, string(query), nil, &together); trips != 1 {
		t.Errorf("the browse page took %d round trips, want 1", trips)
	}
	for field, alone := range map[string]string{
		"genres": `{ genres(first: 50) { edges { node { name movieCount } } } }`,
		"movies": `query { movies(where: { genres: { any: ["Sci-Fi"] }, ratingCount: { gte: 20 } }
		  orderBy: [{ field: AVERAGE_RATING, direction: DESC }] first: 20) {
		    totalCount pageInfo { hasNextPage endCursor }
		    edges { cursor node { id title year cover { id url } genres { name } directors { name } ratingSummary { id average count } } } } }`,
	} {
		var data map[string]json.RawMessage
		if trips := mustQuery(t, alone, nil, &data); trips != 1 {
			t.Errorf("%s alone took %d round trips", field, trips)
		}
		if string(data[field]) != string(together[field]) {
			t.Errorf("%s differs from the same field asked alone:\n%s\n%s", field, together[field], data[field])
		}
	}
}

// TestRootFieldsShareOneStatement: however a query's root fields are written (aliases,
// fragments, @skip and @include, introspection, fields that fail or read nothing), the
// ones that read do so in one statement, and none waits for a field that never reads.
func TestRootFieldsShareOneStatement(t *testing.T) {
	film := relay.ID("Movie", "80969")
	other := relay.ID("Movie", "1")
	titles := map[string]string{}
	for _, row := range cypherRows(t, `MATCH (m:Movie) WHERE m.movieId IN [80969, 1] RETURN toString(m.movieId) AS id, m.title AS title`, nil) {
		titles[row["id"].(string)] = row["title"].(string)
	}
	for _, c := range []struct {
		name, query string
		trips       int64
		codes       []string
		want        map[string]any
	}{
		{name: "aliases of one field", trips: 1,
			query: `query($a: ID!, $b: ID!) { __typename a: movie(id: $a) { title } b: movie(id: $b) { title } }`,
			want:  map[string]any{"__typename": "Query", "a": map[string]any{"title": titles["80969"]}, "b": map[string]any{"title": titles["1"]}}},
		{name: "fragments and directives", trips: 1,
			query: `query($a: ID!, $b: ID!) { movie(id: $a) { title } skipped: movie(id: $b) @skip(if: true) { title }
			  excluded: genre(name: "Drama") @include(if: false) { name } ... on Query { genre(name: "Drama") { name } } ...more }
			  fragment more on Query { b: movie(id: $b) { title } }`,
			want: map[string]any{"movie": map[string]any{"title": titles["80969"]}, "genre": map[string]any{"name": "Drama"},
				"b": map[string]any{"title": titles["1"]}}},
		{name: "a field asked twice is one field", trips: 1,
			query: `query($a: ID!) { movie(id: $a) { title } genre(name: "Drama") { name } movie(id: $a) { title } }`,
			want:  map[string]any{"movie": map[string]any{"title": titles["80969"]}, "genre": map[string]any{"name": "Drama"}}},
		{name: "introspection beside reads", trips: 1,
			query: `query($a: ID!) { __schema { queryType { name } } movie(id: $a) { title } __type(name: "Genre") { name } genre(name: "Drama") { name } }`,
			want: map[string]any{"__schema": map[string]any{"queryType": map[string]any{"name": "Query"}}, "__type": map[string]any{"name": "Genre"},
				"movie": map[string]any{"title": titles["80969"]}, "genre": map[string]any{"name": "Drama"}}},
		{name: "a field that fails before it reads", trips: 1, codes: []string{"BAD_USER_INPUT"},
			query: `query($a: ID!) { bad: movie(id: "not an id") { title } movie(id: $a) { title } genre(name: "Drama") { name } }`,
			want:  map[string]any{"bad": nil, "movie": map[string]any{"title": titles["80969"]}, "genre": map[string]any{"name": "Drama"}}},
		{name: "a film that does not exist", trips: 1,
			query: `query($a: ID!) { missing: movie(id: "` + relay.ID("Movie", "999999999") + `") { title } movie(id: $a) { title } }`,
			want:  map[string]any{"missing": nil, "movie": map[string]any{"title": titles["80969"]}}},
		{name: "a list of nodes", trips: 1,
			query: `query($a: ID!) { nodes(ids: [$a]) { id } movie(id: $a) { title } }`,
			want:  map[string]any{"nodes": []any{map[string]any{"id": film}}, "movie": map[string]any{"title": titles["80969"]}}},
		{name: "one field that reads", trips: 1,
			query: `query($a: ID!) { __typename movie(id: $a) { title } }`,
			want:  map[string]any{"__typename": "Query", "movie": map[string]any{"title": titles["80969"]}}},
	} {
		t.Run(c.name, func(t *testing.T) {
			status, resp, trips := post(t, c.query, map[string]any{"a": film, "b": other})
			var data map[string]any
			if err := json.Unmarshal(resp.Data, &data); err != nil || status != http.StatusOK {
				t.Fatalf("status %d, data %s: %v", status, resp.Data, err)
			}
			if !reflect.DeepEqual(data, c.want) {
				t.Errorf("data %v\nwant %v", data, c.want)
			}
			if codes := resp.codes(); !slices.Equal(codes, c.codes) {
				t.Errorf("error codes %v, want %v", codes, c.codes)
			}
			if trips != c.trips {
				t.Errorf("%d round trips, want %d", trips, c.trips)
			}
		})
	}
}

// TestViewerFieldsJoinTheOthers: a member's own fields (me) are read in the query's one
// statement too.
func TestViewerFieldsJoinTheOthers(t *testing.T) {
	member := signUp(t, "joint")
	film := relay.ID("Movie", "80969")
	data := mustDo(t, member.Token, `query($a: ID!) { me { user { username } } movie(id: $a) { title } }`, map[string]any{"a": film}, 1)
	if at(data, "me.user.username") != member.Username || at(data, "movie.title") != "Never Let Me Go" {
		t.Errorf("got %v", data)
	}
}
