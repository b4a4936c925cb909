package server

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"filmgraph/relay"
)

// Tests of paging both ways with keyset cursors. Expected lists come from plain Cypher.

// walk reads the whole connection at path page by page, forwards (first/after) or
// backwards (last/before), checks each page's size, hasNextPage / hasPreviousPage and
// start / end cursors, and returns the keys of the nodes in list order. Every test that
// pages through a connection uses it. query must take $first, $after, $last, $before
// and select pageInfo { hasNextPage hasPreviousPage startCursor endCursor } and
// edges { cursor node { <key> } }. between, when set, runs after each page.
func walk(t *testing.T, token, query string, vars map[string]any, path, key string, size int, forward bool, between func()) []string {
	t.Helper()
	var pages [][]string
	v := map[string]any{}
	for k, x := range vars {
		v[k] = x
	}
	if forward {
		v["first"] = size
	} else {
		v["last"] = size
	}
	for page := 0; ; page++ {
		if page == 200 {
			t.Fatalf("%s: more than 200 pages", path)
		}
		data := mustDo(t, token, query, v, 0)
		var keys []string
		edges, _ := at(data, path+".edges").([]any)
		for _, e := range edges {
			keys = append(keys, fmt.Sprint(at(e, "node."+key)))
		}
		if len(edges) > size {
			t.Fatalf("page %d holds %d edges, more than %d", page, len(edges), size)
		}
		pages = append(pages, keys)
		next, previous := at(data, path+".pageInfo.hasNextPage") == true, at(data, path+".pageInfo.hasPreviousPage") == true
		// The side the walk came from has items after the first page; the side it goes
		// to has items until the last page.
		behind, ahead := previous, next
		if !forward {
			behind, ahead = next, previous
		}
		if behind != (page > 0) {
			t.Errorf("%s page %d (forward %v): the side already read says %v", path, page, forward, behind)
		}
		if len(edges) > 0 {
			first, last := at(edges[0], "cursor"), at(edges[len(edges)-1], "cursor")
			if at(data, path+".pageInfo.startCursor") != first || at(data, path+".pageInfo.endCursor") != last {
				t.Errorf("%s page %d: start/end cursors are not the first and last edges' cursors", path, page)
			}
		}
		if between != nil {
			between()
		}
		if !ahead {
			break
		}
		if len(edges) == 0 {
			t.Fatalf("%s page %d: no edges, but more to read", path, page)
		}
		if forward {
			v["after"] = at(data, path+".pageInfo.endCursor")
		} else {
			v["before"] = at(data, path+".pageInfo.startCursor")
		}
	}
	var keys []string
	if !forward {
		for i := len(pages) - 1; i >= 0; i-- {
			keys = append(keys, pages[i]...)
		}
		return keys
	}
	for _, p := range pages {
		keys = append(keys, p...)
	}
	return keys
}

const pageArgs = `first: $first, after: $after, last: $last, before: $before`
const pageVars = `$first: Int, $after: String, $last: Int, $before: String`
const pageInfoAndEdges = `pageInfo { hasNextPage hasPreviousPage startCursor endCursor } edges { cursor node { %s } }`

func TestConnectionsWalkBothWays(t *testing.T) {
	hanks := personKey(t, "Tom Hanks")
	cases := []struct {
		name, query, path, key string
		vars                   map[string]any
		size                   int
		cypher                 string
	}{
		{
			name: "films of a genre by year down then rating count, with nulls",
			query: `query(` + pageVars + `) { movies(where: {genres: {any: ["Film-Noir", "Musical"]}},
				orderBy: [{field: YEAR, direction: DESC}, {field: AVERAGE_RATING}], ` + pageArgs + `) { ` + fmt.Sprintf(pageInfoAndEdges, "id") + ` } }`,
			path: "movies", key: "id", size: 17,
			cypher: `MATCH (m:Movie)-[:IN_GENRE]->(g:Genre) WHERE g.name IN ['Film-Noir', 'Musical'] WITH DISTINCT m
				RETURN m.movieId AS id ORDER BY m.year IS NULL, m.year DESC, m.ratingAverage IS NULL, m.ratingAverage, m.movieId`,
		},
		{
			// A whole label in an indexed property's order: forwards, the pages are read
			// from the index, and the films without a rating follow the others.
			name: "films of a year by rating down, unrated last",
			query: `query(` + pageVars + `) { movies(where: {year: {eq: 1994}}, orderBy: [{field: AVERAGE_RATING, direction: DESC}], ` +
				pageArgs + `) { ` + fmt.Sprintf(pageInfoAndEdges, "id") + ` } }`,
			path: "movies", key: "id", size: 40,
			cypher: `MATCH (m:Movie) WHERE m.year = 1994 RETURN m.movieId AS id ORDER BY m.ratingAverage IS NULL, m.ratingAverage DESC, m.movieId`,
		},
		{
			name:  "people by name",
			query: `query(` + pageVars + `) { people(where: {name: {startsWith: "Tom "}}, ` + pageArgs + `) { ` + fmt.Sprintf(pageInfoAndEdges, "name") + ` } }`,
			path:  "people", key: "name", size: 9,
			cypher: `MATCH (p:Person) WHERE p.name STARTS WITH 'Tom ' RETURN p.name AS id ORDER BY p.name, p.personId`,
		},
		{
			name:  "genres",
			query: `query(` + pageVars + `) { genres(` + pageArgs + `) { ` + fmt.Sprintf(pageInfoAndEdges, "name") + ` } }`,
			path:  "genres", key: "name", size: 4,
			cypher: `MATCH (g:Genre) RETURN g.name AS id ORDER BY g.name`,
		},
		{
			name:  "a genre's films",
			query: `query(` + pageVars + `) { genre(name: "Film-Noir") { movies(` + pageArgs + `) { ` + fmt.Sprintf(pageInfoAndEdges, "id") + ` } } }`,
			path:  "genre.movies", key: "id", size: 11,
			cypher: `MATCH (:Genre {name: 'Film-Noir'})<-[:IN_GENRE]-(m:Movie) RETURN m.movieId AS id ORDER BY m.title, m.movieId`,
		},
		{
			name: "a person's acting credits, newest first",
			query: `query($id: ID!, ` + pageVars + `) { person(id: $id) { actedIn(` + pageArgs + `) { ` +
				fmt.Sprintf(pageInfoAndEdges, "id") + ` } } }`,
			path: "person.actedIn", key: "id", size: 6,
			vars: map[string]any{"id": relay.ID("Person", fmt.Sprint(hanks))},
			cypher: fmt.Sprintf(`MATCH (:Person {personId: %d})-[:ACTED_IN]->(m:Movie)
				RETURN m.movieId AS id ORDER BY coalesce(m.year, -1) DESC, m.title, m.movieId`, hanks),
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			want := column(cypherRows(t, tc.cypher, nil), "id")
			if len(want) <= 2*tc.size {
				t.Fatalf("the expectation holds %d items: too few for several pages", len(want))
			}
			forwards := entityKeys(t, walk(t, "", tc.query, tc.vars, tc.path, tc.key, tc.size, true, nil))
			assertEqual(t, "forwards", forwards, want)
			backwards := entityKeys(t, walk(t, "", tc.query, tc.vars, tc.path, tc.key, tc.size, false, nil))
			assertEqual(t, "backwards", backwards, want)
		})
	}
}

// entityKeys turns the films' global ids of a walk into their movieIds (Wikipedia-only
// films have no movieLensId); other values pass unchanged.
func entityKeys(t *testing.T, values []string) []string {
	t.Helper()
	out := make([]string, len(values))
	for i, v := range values {
		out[i] = v
		if typeName, key, err := relay.ParseID(v); err == nil && typeName == "Movie" {
			out[i] = key
		}
	}
	return out
}

// truncate cuts a cursor to whole bytes, 3 fewer than it had, so that the rest decodes.
func truncate(cursor string) string { return cursor[:len(cursor)/4*4-4] }

// alter changes one character in the middle of a cursor (to another base64 character).
func alter(cursor string) string {
	i := len(cursor) / 2
	c := byte('A')
	if cursor[i] == 'A' {
		c = 'B'
	}
	return cursor[:i] + string(c) + cursor[i+1:]
}

// A client paging across an upgrade holds a cursor of the earlier version's JSON form:
// it still reads the page after its film, the same page as this version's shorter cursor
// of that film. The order's name "9awucb" (films by title) is what the earlier version
// wrote (its golden translation cypher/testdata/movies_edges_only.cypher).
func TestCursorsOfTheEarlierFormStillPage(t *testing.T) {
	rows := cypherRows(t, `MATCH (m:Movie) RETURN m.title AS title, m.movieId AS id
		ORDER BY m.title IS NULL, m.title, m.movieId LIMIT 6`, nil)
	body, err := json.Marshal(map[string]any{"o": "9awucb", "k": []string{
		"b:false", "s:" + rows[2]["title"].(string), fmt.Sprintf("i:%d", rows[2]["id"])}})
	if err != nil {
		t.Fatal(err)
	}
	earlier := base64.RawURLEncoding.EncodeToString(append([]byte("keys:"), body...))
	const page = `query($after: String) { movies(first: 3, after: $after) { edges { cursor node { id } } } }`
	first := mustDo(t, "", page, nil, 0)
	current := at(first, "movies.edges").([]any)[2].(map[string]any)["cursor"].(string)
	if len(current) >= len(earlier) {
		t.Errorf("this version's cursor %q (%d characters) is not shorter than the earlier %q", current, len(current), earlier)
	}
	want := column(rows[3:], "id")
	for name, cursor := range map[string]string{"earlier form": earlier, "this version": current} {
		var got []string
		for _, e := range at(mustDo(t, "", page, map[string]any{"after": cursor}, 0), "movies.edges").([]any) {
			got = append(got, fmt.Sprint(at(e, "node.id")))
		}
		assertEqual(t, name, entityKeys(t, got), want)
	}
}

// TestPagingWhileReviewsArrive pages through a film's reviews while another member keeps
// writing new ones between pages: newest first, the new ones land before the cursor and
// are not shown again nor shift what follows (an offset would repeat an item per insert);
// oldest first, they land after it and the walk reaches them. Nothing is skipped or
// repeated either way.
func TestPagingWhileReviewsArrive(t *testing.T) {
	const film = 11
	write := func() string {
		a := signUp(t, "paging")
		d := mustDo(t, a.Token, `mutation($m: ID!) { writeReview(movieId: $m, text: "while paging", score: 7) { id } }`,
			map[string]any{"m": movieID(film)}, 0)
		return mustKey(at(d, "writeReview.id").(string))
	}
	for range 7 {
		write()
	}
	query := `query($m: ID!, $o: ReviewOrder, ` + pageVars + `) { movie(id: $m) { reviews(orderBy: $o, ` + pageArgs + `) { ` +
		fmt.Sprintf(pageInfoAndEdges, "id") + ` } } }`
	existing := func(order string) []string {
		return column(cypherRows(t, `MATCH (:Movie {movieId: $m})<-[:ABOUT]-(r:Review)
			RETURN r.reviewId AS id ORDER BY r.addedAt `+order+`, r.reviewId`, map[string]any{"m": film}), "id")
	}
	keysOf := func(ids []string) []string {
		for i, id := range ids {
			ids[i] = mustKey(id)
		}
		return ids
	}
	t.Run("newest first", func(t *testing.T) {
		want := existing("DESC")
		var inserted []string
		got := keysOf(walk(t, "", query, map[string]any{"m": movieID(film), "o": "NEWEST"}, "movie.reviews", "id", 2, true,
			func() { inserted = append(inserted, write()) }))
		assertEqual(t, "reviews seen", got, want)
		if len(inserted) < 3 {
			t.Fatalf("only %d reviews arrived while paging", len(inserted))
		}
	})
	t.Run("oldest first", func(t *testing.T) {
		before := existing("")
		var inserted []string
		got := keysOf(walk(t, "", query, map[string]any{"m": movieID(film), "o": "OLDEST"}, "movie.reviews", "id", 3, true,
			func() {
				if len(inserted) < 4 {
					inserted = append(inserted, write())
				}
			}))
		assertEqual(t, "reviews seen", got, append(before, inserted...))
		seen := map[string]bool{}
		for _, id := range got {
			if seen[id] {
				t.Errorf("review %s seen twice", id)
			}
			seen[id] = true
		}
	})
}

func TestPagingArgumentErrors(t *testing.T) {
	d := mustDo(t, "", `{ movies(first: 1) { pageInfo { endCursor } } genres(first: 1) { pageInfo { endCursor } } }`, nil, 0)
	movieCursor, genreCursor := at(d, "movies.pageInfo.endCursor"), at(d, "genres.pageInfo.endCursor")
	const after = `query($c: String) { movies(after: $c) { totalCount } }`
	cases := map[string]struct {
		query  string
		cursor any
		want   string
	}{
		"first and last":               {`{ movies(first: 2, last: 2) { totalCount } }`, nil, "not both"},
		"last out of range":            {`{ movies(last: 101) { totalCount } }`, nil, "between 1 and 100"},
		"last zero":                    {`{ genres(last: 0) { totalCount } }`, nil, "between 1 and 100"},
		"a cursor of another list":     {after, genreCursor, "this list and order"},
		"a cursor of another order":    {`query($c: String) { movies(orderBy: [{field: YEAR}], before: $c) { totalCount } }`, movieCursor, "this list and order"},
		"an offset cursor (earlier)":   {after, "b2Zmc2V0OjE", "earlier version"},
		"a huge cursor":                {after, strings.Repeat("A", 5000), "not a valid cursor"},
		"a truncated cursor":           {after, truncate(movieCursor.(string)), "altered or truncated"},
		"a cursor one character short": {after, movieCursor.(string)[:len(movieCursor.(string))-1], "not a valid cursor"},
		"an altered cursor":            {after, alter(movieCursor.(string)), "altered or truncated"},
		"ranked: last needs before":    {`{ movie(id: "TW92aWU6ODA5Njk") { recommended(last: 3) { totalCount } } }`, nil, "needs `before`"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			var vars map[string]any
			if tc.cursor != nil {
				vars = map[string]any{"c": tc.cursor}
			}
			msg := wantError(t, "", tc.query, vars, "BAD_USER_INPUT")
			if !strings.Contains(msg, tc.want) {
				t.Errorf("message %q, want it to mention %q", msg, tc.want)
			}
		})
	}
}
