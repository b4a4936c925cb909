package server

import (
	"encoding/json"
	"fmt"
	"testing"
)

// Tests of what the statements cost, read from Neo4j's PROFILE (db hits are counted by the
// database, not timed): keyset pages read from an index, a page read once for its
// pageInfo, people of a genre found from the genre. Their answers are checked against
// plain Cypher in where_test.go and paging_test.go.

// TestKeysetPagesAfterTheFirstSeekAnIndex reads the second page of whole lists ordered
// by an indexed property: each is read from the property's index from the cursor on, not
// by sorting the whole list (about 237,000 db hits a page of films before).
func TestKeysetPagesAfterTheFirstSeekAnIndex(t *testing.T) {
	const maxDBHits = 5000
	cases := map[string]string{
		"films by title":       `movies(first: 20, after: $after)`,
		"films by year":        `movies(orderBy: [{field: YEAR}], first: 20, after: $after)`,
		"films by rating down": `movies(orderBy: [{field: AVERAGE_RATING, direction: DESC}, {field: TITLE}], first: 20, after: $after)`,
		"people by name":       `people(first: 20, after: $after)`,
	}
	for name, field := range cases {
		t.Run(name, func(t *testing.T) {
			query := `query($after: String) { list: ` + field + ` { pageInfo { hasNextPage endCursor } edges { node { id } } } }`
			first := mustDo(t, "", query, nil, 1)
			resp, profile := profiled(t, query, map[string]any{"after": at(first, "list.pageInfo.endCursor")})
			data := dataOf(t, resp)
			if n := len(at(data, "list.edges").([]any)); n != 20 || at(data, "list.pageInfo.hasNextPage") != true {
				t.Fatalf("the second page holds %d edges", n)
			}
			t.Logf("second page: %d db hits in %d statements", profile.DBHits, profile.Statements)
			if profile.Statements != 1 || profile.DBHits > maxDBHits {
				t.Errorf("the second page cost %d db hits in %d statements, want at most %d in 1", profile.DBHits, profile.Statements, maxDBHits)
			}
		})
	}
}

// TestKeysetPageInfoReadsThePageOnce: asking for pageInfo with the edges reads one item
// more than the page, not the page a second time (which doubled the cost of a page).
func TestKeysetPageInfoReadsThePageOnce(t *testing.T) {
	const list = `movies(where: {genres: {any: ["Film-Noir"]}}, orderBy: [{field: YEAR}], first: 20)`
	_, edgesOnly := profiled(t, `{ `+list+` { edges { node { title } } } }`, nil)
	resp, withInfo := profiled(t, `{ `+list+` { pageInfo { hasNextPage endCursor } edges { cursor node { title } } } }`, nil)
	t.Logf("db hits: %d for the edges, %d with pageInfo", edgesOnly.DBHits, withInfo.DBHits)
	if withInfo.Statements != 1 || withInfo.DBHits*4 > edgesOnly.DBHits*5 {
		t.Errorf("with pageInfo: %d db hits in %d statements, want 1 statement and at most 5/4 of the edges' %d",
			withInfo.DBHits, withInfo.Statements, edgesOnly.DBHits)
	}
	data := dataOf(t, resp)
	edges := at(data, "movies.edges").([]any)
	if len(edges) != 20 || at(data, "movies.pageInfo.hasNextPage") != true || at(data, "movies.pageInfo.endCursor") != at(edges[19], "cursor") {
		t.Errorf("page of %d edges, pageInfo %v", len(edges), at(data, "movies.pageInfo"))
	}
}

// TestPeopleOfAGenreStartFromTheGenre: people(where: {genre}) counts and pages the same
// people as plain Cypher, without testing every person's films (4.8 M db hits for
// Film-Noir before, against about 35,000 since, and 137,000 for Western).
func TestPeopleOfAGenreStartFromTheGenre(t *testing.T) {
	const maxDBHits = 250_000
	for _, genre := range []string{"Film-Noir", "Western"} {
		t.Run(genre, func(t *testing.T) {
			want := column(cypherRows(t, `MATCH (p:Person) WHERE EXISTS { (p)-[:ACTED_IN|DIRECTED]->(:Movie)-[:IN_GENRE]->(:Genre {name: $g}) }
				RETURN p.personId AS id ORDER BY p.name, p.personId LIMIT 30`, map[string]any{"g": genre}), "id")
			total := cypherRows(t, `MATCH (p:Person) WHERE EXISTS { (p)-[:ACTED_IN|DIRECTED]->(:Movie)-[:IN_GENRE]->(:Genre {name: $g}) }
				RETURN count(p) AS n`, map[string]any{"g": genre})[0]["n"]
			if len(want) < 30 {
				t.Fatalf("the genre has %d people; the test needs 30", len(want))
			}
			resp, profile := profiled(t, `query($g: String!) { people(where: {genre: $g}, first: 30) { totalCount edges { node { id } } } }`,
				map[string]any{"g": genre})
			data := dataOf(t, resp)
			var got []string
			for _, e := range at(data, "people.edges").([]any) {
				got = append(got, mustKey(at(e, "node.id").(string)))
			}
			assertEqual(t, "people", got, want)
			if fmt.Sprint(at(data, "people.totalCount")) != fmt.Sprint(total) {
				t.Errorf("totalCount %v, want %v", at(data, "people.totalCount"), total)
			}
			t.Logf("%s: %d db hits", genre, profile.DBHits)
			if profile.DBHits > maxDBHits {
				t.Errorf("%d db hits, want at most %d", profile.DBHits, maxDBHits)
			}
		})
	}
}

// dataOf decodes a response's data.
func dataOf(t *testing.T, resp gqlResponse) map[string]any {
	t.Helper()
	var data map[string]any
	if err := json.Unmarshal(resp.Data, &data); err != nil {
		t.Fatal(err)
	}
	return data
}
