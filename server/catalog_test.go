package server

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"testing"

	"filmgraph/relay"
)

// Tests of the catalogue's read API. Each expected value comes from a plain Cypher query
// written independently of package cypher (aggregating functions over the edges, not the
// cached summaries the API reads).

// pagedTitles walks a films connection page by page through the API and returns every
// title in order, the reported totalCount, and the round trips of each page.
func pagedTitles(t *testing.T, query string, vars map[string]any) ([]string, int, []int64) {
	t.Helper()
	var titles []string
	var trips []int64
	total := -1
	var after any
	for page := 0; page < 200; page++ {
		v := map[string]any{"after": after}
		for k, x := range vars {
			v[k] = x
		}
		var data struct {
			Movies struct {
				TotalCount int
				PageInfo   struct {
					HasNextPage     bool
					HasPreviousPage bool
					EndCursor       *string
				}
				Edges []struct {
					Cursor string
					Node   struct{ Title string }
				}
			}
		}
		trips = append(trips, mustQuery(t, query, v, &data))
		if page > 0 != data.Movies.PageInfo.HasPreviousPage {
			t.Errorf("page %d: hasPreviousPage %v", page, data.Movies.PageInfo.HasPreviousPage)
		}
		total = data.Movies.TotalCount
		for _, e := range data.Movies.Edges {
			titles = append(titles, e.Node.Title)
		}
		if !data.Movies.PageInfo.HasNextPage {
			break
		}
		after = *data.Movies.PageInfo.EndCursor
	}
	return titles, total, trips
}

func column(rows []map[string]any, name string) []string {
	out := make([]string, len(rows))
	for i, r := range rows {
		out[i] = fmt.Sprint(r[name])
	}
	return out
}

func TestBrowseMoviesFiltersAndOrders(t *testing.T) {
	const query = `query($filter: MovieFilter, $orderBy: [MovieOrder!], $after: String) {
		movies(filter: $filter, orderBy: $orderBy, first: 100, after: $after) {
			totalCount pageInfo { hasNextPage hasPreviousPage endCursor } edges { cursor node { title } } } }`
	cases := []struct {
		name    string
		filter  map[string]any
		orderBy map[string]any
		cypher  string
	}{
		{
			name:    "a 300+ film genre by title",
			filter:  map[string]any{"genres": []string{"Animation"}},
			orderBy: map[string]any{"field": "TITLE"},
			cypher:  `MATCH (m:Movie)-[:IN_GENRE]->(:Genre {name: 'Animation'}) RETURN m.title AS title ORDER BY m.title, m.movieId`,
		},
		{
			name:    "well rated recent sci-fi by average",
			filter:  map[string]any{"genres": []string{"Sci-Fi"}, "yearFrom": 2000, "minRatingCount": 20, "minAverageRating": 7},
			orderBy: map[string]any{"field": "AVERAGE_RATING", "direction": "DESC"},
			cypher: `MATCH (m:Movie)-[:IN_GENRE]->(:Genre {name: 'Sci-Fi'}) WHERE m.year >= 2000
				MATCH (m)<-[r:RATED]-(:User) WITH m, count(r) AS n, toFloat(sum(r.score)) / count(r) AS average
				WHERE n >= 20 AND average >= 7 RETURN m.title AS title ORDER BY average DESC, m.movieId`,
		},
		{
			name:    "most rated of the 1990s with a title word",
			filter:  map[string]any{"yearFrom": 1990, "yearTo": 1999, "titleContains": "THE"},
			orderBy: map[string]any{"field": "RATING_COUNT", "direction": "DESC"},
			cypher: `MATCH (m:Movie) WHERE 1990 <= m.year <= 1999 AND toLower(m.title) CONTAINS 'the'
				RETURN m.title AS title ORDER BY COUNT { (m)<-[:RATED]-(:User) } DESC, m.movieId`,
		},
		{
			name:    "films of two genres by year, newest first",
			filter:  map[string]any{"genres": []string{"Film-Noir", "Western"}, "maxAverageRating": 6},
			orderBy: map[string]any{"field": "YEAR", "direction": "DESC"},
			cypher: `MATCH (m:Movie) WHERE EXISTS { (m)-[:IN_GENRE]->(g:Genre) WHERE g.name IN ['Film-Noir', 'Western'] }
				MATCH (m)<-[r:RATED]-(:User) WITH m, toFloat(sum(r.score)) / count(r) AS average WHERE average <= 6
				RETURN m.title AS title ORDER BY m.year IS NULL, m.year DESC, m.movieId`,
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			want := column(cypherRows(t, tc.cypher, nil), "title")
			if len(want) < 5 {
				t.Fatalf("the expectation holds only %d films; pick a wider filter", len(want))
			}
			got, total, trips := pagedTitles(t, query, map[string]any{"filter": tc.filter, "orderBy": tc.orderBy})
			if total != len(want) {
				t.Errorf("totalCount %d, want %d", total, len(want))
			}
			assertEqual(t, "titles", got, want)
			for i, n := range trips {
				if n != 1 {
					t.Errorf("page %d took %d round trips", i, n)
				}
			}
		})
	}
}

func TestPaginationOf300ItemsSeesEachExactlyOnce(t *testing.T) {
	// Films found only on Wikipedia have no MovieLens id: the films are told apart by id.
	var want []string
	for _, id := range column(cypherRows(t, `MATCH (m:Movie)-[:IN_GENRE]->(:Genre {name: 'Animation'}) RETURN m.movieId AS id ORDER BY m.title, m.movieId`, nil), "id") {
		want = append(want, relay.ID("Movie", id))
	}
	if len(want) < 300 {
		t.Fatalf("only %d films", len(want))
	}
	seen := map[string]int{}
	var got []string
	var after any
	for page := 0; page < 100; page++ {
		var data struct {
			Genre struct {
				Movies struct {
					PageInfo struct {
						HasNextPage bool
						EndCursor   string
					}
					Edges []struct{ Node struct{ ID string } }
				}
			}
		}
		mustQuery(t, `query($after: String) { genre(name: "Animation") { movies(first: 37, after: $after) {
			pageInfo { hasNextPage endCursor } edges { node { id } } } } }`, map[string]any{"after": after}, &data)
		for _, e := range data.Genre.Movies.Edges {
			id := e.Node.ID
			seen[id]++
			got = append(got, id)
		}
		if !data.Genre.Movies.PageInfo.HasNextPage {
			break
		}
		after = data.Genre.Movies.PageInfo.EndCursor
	}
	assertEqual(t, "ids in order", got, want)
	for id, n := range seen {
		if n != 1 {
			t.Errorf("film %s seen %d times", id, n)
		}
	}
}

func TestRatingHistogramAndTags(t *testing.T) {
	var data struct {
		Movie struct {
			RatingSummary struct {
				Count     int
				Histogram []int
			}
			Tags []struct {
				Name  string
				Count int
			}
		}
	}
	// Inception (MovieLens 79132): well rated and well tagged.
	mustQuery(t, `{ movie(id: "`+relay.ID("Movie", "79132")+`") { ratingSummary { count histogram } tags(first: 5) { name count } } }`, nil, &data)
	want := make([]string, 10)
	for i := range want {
		want[i] = "0"
	}
	for _, r := range cypherRows(t, `MATCH (:User)-[r:RATED]->(:Movie {movieId: 79132}) RETURN r.score AS score, count(*) AS n`, nil) {
		want[r["score"].(int64)-1] = fmt.Sprint(r["n"])
	}
	var got []string
	sum := 0
	for _, n := range data.Movie.RatingSummary.Histogram {
		got = append(got, fmt.Sprint(n))
		sum += n
	}
	assertEqual(t, "histogram", got, want)
	if sum != data.Movie.RatingSummary.Count || sum == 0 {
		t.Errorf("histogram sums to %d, count %d", sum, data.Movie.RatingSummary.Count)
	}
	wantTags := cypherRows(t, `MATCH (:Movie {movieId: 79132})-[r:TAGGED]->(t:Tag) RETURN t.name + ':' + r.count AS tag ORDER BY r.count DESC, t.name LIMIT 5`, nil)
	var gotTags []string
	for _, tag := range data.Movie.Tags {
		gotTags = append(gotTags, fmt.Sprintf("%s:%d", tag.Name, tag.Count))
	}
	assertEqual(t, "tags", gotTags, column(wantTags, "tag"))
}

func TestCoStarsAndPeopleBrowsing(t *testing.T) {
	var data struct {
		People struct {
			TotalCount int
			Edges      []struct {
				Node struct {
					Name    string
					CoStars []struct {
						SharedMovies int
						Person       struct{ Name string }
					}
				}
			}
		}
	}
	mustQuery(t, `{ people(filter: {nameContains: "MULLIGAN"}, orderBy: {field: MOVIE_COUNT, direction: DESC}, first: 100) {
		totalCount edges { node { name coStars(first: 5) { sharedMovies person { name } } } } } }`, nil, &data)
	wantPeople := cypherRows(t, `MATCH (p:Person) WHERE toLower(p.name) CONTAINS 'mulligan'
		OPTIONAL MATCH (p)-[c:ACTED_IN|DIRECTED]->(:Movie) WITH p, count(c) AS n
		RETURN p.name AS name ORDER BY n DESC, p.personId`, nil)
	var gotPeople []string
	for _, e := range data.People.Edges {
		gotPeople = append(gotPeople, e.Node.Name)
	}
	assertEqual(t, "people", gotPeople, column(wantPeople, "name"))
	if data.People.TotalCount != len(wantPeople) {
		t.Errorf("totalCount %d, want %d", data.People.TotalCount, len(wantPeople))
	}
	// The most credited Mulligan is a director (Robert Mulligan): his co-stars are the
	// actors of the films he acted in or directed.
	carey := data.People.Edges[0].Node
	wantCo := cypherRows(t, `MATCH (p:Person {name: $name})
		CALL (p) { MATCH (p)-[:DIRECTED]->(m:Movie) RETURN m UNION MATCH (p)-[:ACTED_IN]->(m:Movie) RETURN m }
		MATCH (m)<-[:ACTED_IN]-(o:Person) WHERE o <> p
		WITH o, count(*) AS shared RETURN o.name + ':' + shared AS co ORDER BY shared DESC, o.name, o.personId LIMIT 5`,
		map[string]any{"name": carey.Name})
	var gotCo []string
	for _, c := range carey.CoStars {
		gotCo = append(gotCo, fmt.Sprintf("%s:%d", c.Person.Name, c.SharedMovies))
	}
	assertEqual(t, "co-stars of "+carey.Name, gotCo, column(wantCo, "co"))
}

// TestCoStarsOfAPersonPage: on a person(id) page, coStars is computed in a CALL subquery
// of its own (the nested path above is not); both aliases, with different page sizes,
// must match an independent count of shared films.
func TestCoStarsOfAPersonPage(t *testing.T) {
	var data struct {
		Person struct {
			Top3, Top10 []struct {
				SharedMovies int
				Person       struct{ Name string }
			}
		}
	}
	trips := mustQuery(t, `query($id: ID!) { person(id: $id) {
		top3: coStars(first: 3) { sharedMovies person { name } }
		top10: coStars(first: 10) { sharedMovies person { name } } } }`,
		map[string]any{"id": relay.ID("Person", "2363")}, &data)
	if trips != 1 {
		t.Errorf("%d round trips, want 1", trips)
	}
	want := column(cypherRows(t, `MATCH (p:Person {personId: 2363})-[:ACTED_IN]->(m:Movie)<-[:ACTED_IN]-(o:Person)
		WITH o, count(DISTINCT m) AS shared RETURN o.name + ':' + shared AS co ORDER BY shared DESC, o.name, o.personId LIMIT 10`, nil), "co")
	for alias, got := range map[string][]struct {
		SharedMovies int
		Person       struct{ Name string }
	}{"top3": data.Person.Top3, "top10": data.Person.Top10} {
		var names []string
		for _, c := range got {
			names = append(names, fmt.Sprintf("%s:%d", c.Person.Name, c.SharedMovies))
		}
		n := map[string]int{"top3": 3, "top10": 10}[alias]
		assertEqual(t, alias, names, want[:min(n, len(want))])
	}
}

func TestGenresAreAllListed(t *testing.T) {
	var data struct {
		Genres struct {
			TotalCount int
			Edges      []struct {
				Node struct {
					Name       string
					MovieCount int
				}
			}
		}
	}
	mustQuery(t, `{ genres(first: 100) { totalCount edges { node { name movieCount } } } }`, nil, &data)
	want := cypherRows(t, `MATCH (g:Genre) RETURN g.name + ':' + COUNT { (g)<-[:IN_GENRE]-(:Movie) } AS genre ORDER BY g.name`, nil)
	var got []string
	for _, e := range data.Genres.Edges {
		got = append(got, fmt.Sprintf("%s:%d", e.Node.Name, e.Node.MovieCount))
	}
	assertEqual(t, "genres", got, column(want, "genre"))
	if data.Genres.TotalCount != len(want) {
		t.Errorf("totalCount %d, want %d", data.Genres.TotalCount, len(want))
	}
}

// TestIDsWhereverSelected: a projection carries an entity's key only when the selection
// reads its id (cypher's needsKey), so ids asked directly, through a fragment on Node,
// under an alias, on a list of subgenres, on a film's directors and on a search hit must
// still be the ids of the keys Neo4j holds; and a page that selects no id answers without
// one.
func TestIDsWhereverSelected(t *testing.T) {
	data := mustDo(t, "", `{ genres(first: 100) { edges { node { ... on Node { id } name gid: id subgenres { id } } } }
  plain: genres(first: 100) { edges { node { name } } } }`, nil, 1)
	want := cypherRows(t, `MATCH (g:Genre) RETURN g.name AS name,
  COLLECT { MATCH (g)<-[:SUBGENRE_OF]-(s:Genre) RETURN s.name ORDER BY s.name } AS subgenres ORDER BY g.name`, nil)
	edges := at(data, "genres.edges").([]any)
	if len(edges) != len(want) || len(want) == 0 {
		t.Fatalf("%d genres, want %d", len(edges), len(want))
	}
	for i, e := range edges {
		name := want[i]["name"].(string)
		id := relay.ID("Genre", name)
		if at(e, "node.id") != id || at(e, "node.gid") != id || at(e, "node.name") != name {
			t.Errorf("genre %d: %v, want %s (%s)", i, at(e, "node"), id, name)
		}
		var gotSubs, wantSubs []string
		for _, s := range at(e, "node.subgenres").([]any) {
			gotSubs = append(gotSubs, at(s, "id").(string))
		}
		for _, s := range want[i]["subgenres"].([]any) {
			wantSubs = append(wantSubs, relay.ID("Genre", s.(string)))
		}
		assertEqual(t, name+" subgenres", gotSubs, wantSubs)
		if node := at(at(data, "plain.edges").([]any)[i], "node").(map[string]any); len(node) != 1 || node["name"] != name {
			t.Errorf("plain genre %d: %v, want only its name %s", i, node, name)
		}
	}

	film := movieID(referenceMovieLensID)
	data = mustDo(t, "", `query($id: ID!) { movie(id: $id) { title directors { ... on Node { id } } genres { id } }
  search(text: "romanek", first: 5) { edges { node { ... on Node { id } } } } }`, map[string]any{"id": film}, 1)
	directors := cypherRows(t, `MATCH (:Movie {movieId: $id})<-[:DIRECTED]-(p:Person) RETURN p.personId AS id`,
		map[string]any{"id": referenceMovieLensID})
	var gotDirectors, wantDirectors []string
	for _, d := range at(data, "movie.directors").([]any) {
		gotDirectors = append(gotDirectors, at(d, "id").(string))
	}
	for _, d := range directors {
		wantDirectors = append(wantDirectors, relay.ID("Person", fmt.Sprint(d["id"])))
	}
	slices.Sort(gotDirectors)
	slices.Sort(wantDirectors)
	assertEqual(t, "directors", gotDirectors, wantDirectors)
	genres := cypherRows(t, `MATCH (:Movie {movieId: $id})-[r:IN_GENRE]->(g:Genre) WHERE r.implied IS NULL RETURN g.name AS name ORDER BY g.name`,
		map[string]any{"id": referenceMovieLensID})
	var gotGenres, wantGenres []string // the genres listed, not the parents they imply (seed/doc.go)
	for _, g := range at(data, "movie.genres").([]any) {
		gotGenres = append(gotGenres, at(g, "id").(string))
	}
	for _, g := range genres {
		wantGenres = append(wantGenres, relay.ID("Genre", g["name"].(string)))
	}
	slices.Sort(gotGenres)
	slices.Sort(wantGenres)
	assertEqual(t, "genres", gotGenres, wantGenres)
	hits := at(data, "search.edges").([]any)
	if len(hits) == 0 {
		t.Fatal("no search hit for romanek")
	}
	for _, h := range hits {
		id, _ := at(h, "node.id").(string)
		typ, key, err := relay.ParseID(id)
		if err != nil || key == "" || typ != "Movie" && typ != "Person" {
			t.Errorf("search hit id %q: %s %s %v", id, typ, key, err)
		}
	}
}

func TestSearch(t *testing.T) {
	type hit struct {
		Score float64
		Item  struct {
			Typename string `json:"__typename"`
			Title    string
			Name     string
		} `json:"node"`
	}
	search := func(t *testing.T, text string) []hit {
		var data struct{ Search struct{ Edges []hit } }
		trips := mustQuery(t, `query($text: String!) { search(text: $text, first: 10) { edges { score node { __typename
			... on Movie { title } ... on Person { name } } } } }`, map[string]any{"text": text}, &data)
		if trips != 1 {
			t.Errorf("%q: %d round trips", text, trips)
		}
		return data.Search.Edges
	}
	cases := []struct{ text, wantFirst string }{
		{"romanik", "Mark Romanek"},          // a typo in a surname
		{"never let", "Never Let Me Go"},     // a prefix of the last word
		{"carey mulligan", "Carey Mulligan"}, // a full name
		{"incepton", "Inception"},            // a missing letter
		{"shawshank redemp", "The Shawshank Redemption"},
	}
	for _, tc := range cases {
		t.Run(tc.text, func(t *testing.T) {
			hits := search(t, tc.text)
			if len(hits) == 0 {
				t.Fatal("no hits")
			}
			first := hits[0].Item.Title + hits[0].Item.Name
			if first != tc.wantFirst {
				t.Errorf("best hit %q, want %q (all: %+v)", first, tc.wantFirst, hits)
			}
			if !sort.SliceIsSorted(hits, func(i, j int) bool { return hits[i].Score > hits[j].Score }) {
				t.Errorf("hits not ordered by score: %+v", hits)
			}
		})
	}
	// Lucene's syntax in user text is escaped, never a syntax error.
	for _, text := range []string{`title:(x) OR "**`, `AND ~ [a TO z]`, `C++ \ && || !`, `"unbalanced`, `*`, `/regex/`} {
		t.Run("escapes "+text, func(t *testing.T) {
			status, resp, _ := post(t, `query($text: String!) { search(text: $text) { totalCount } }`, map[string]any{"text": text})
			if status != 200 || len(resp.Errors) != 0 {
				t.Errorf("status %d, errors %+v", status, resp.Errors)
			}
		})
	}
	status, resp, _ := post(t, `{ search(text: "`+strings.Repeat("a", 201)+`") { totalCount } }`, nil)
	if status != 200 || len(resp.Errors) != 1 || resp.codes()[0] != "BAD_USER_INPUT" {
		t.Errorf("201 characters: status %d, errors %+v", status, resp.Errors)
	}
}

func TestPathBetween(t *testing.T) {
	ids := cypherRows(t, `MATCH (a:Person {name: 'Kevin Bacon'}), (b:Person {name: 'Carey Mulligan'})
		MATCH p = shortestPath((a)-[:ACTED_IN|DIRECTED*]-(b))
		RETURN a.personId AS a, b.personId AS b, length(p) / 2 AS hops`, nil)
	if len(ids) != 1 {
		t.Fatal("no path between Kevin Bacon and Carey Mulligan in the seed")
	}
	from, to := relay.ID("Person", fmt.Sprint(ids[0]["a"])), relay.ID("Person", fmt.Sprint(ids[0]["b"]))
	hops := int(ids[0]["hops"].(int64))
	var data struct {
		PathBetween *struct {
			Length int
			Links  []struct {
				From  struct{ ID, Name string }
				Movie struct{ ID, Title string }
				To    struct{ ID, Name string }
			}
		}
		TooShort *struct{ Length int }
	}
	trips := mustQuery(t, `query($from: ID!, $to: ID!, $short: Int) {
		pathBetween(from: $from, to: $to) { length links { from { id name } movie { id title } to { id name } } }
		tooShort: pathBetween(from: $from, to: $to, maxHops: $short) { length } }`,
		map[string]any{"from": from, "to": to, "short": hops - 1}, &data)
	if trips != 1 {
		t.Errorf("two top-level fields took %d round trips, want 1", trips)
	}
	p := data.PathBetween
	if p == nil || p.Length != hops || len(p.Links) != hops {
		t.Fatalf("got %+v, want a path of %d films", p, hops)
	}
	if data.TooShort != nil {
		t.Errorf("maxHops %d still found %+v", hops-1, data.TooShort)
	}
	if p.Links[0].From.ID != from || p.Links[len(p.Links)-1].To.ID != to {
		t.Errorf("the chain does not run from %s to %s: %+v", from, to, p.Links)
	}
	for i, l := range p.Links {
		if i > 0 && l.From.ID != p.Links[i-1].To.ID {
			t.Errorf("link %d does not continue the chain", i)
		}
		personFrom, _ := relay.ParseIntID(l.From.ID, "Person")
		personTo, _ := relay.ParseIntID(l.To.ID, "Person")
		movie, _ := relay.ParseIntID(l.Movie.ID, "Movie")
		onPath := cypherRows(t, `MATCH (a:Person {personId: $a})-[:ACTED_IN|DIRECTED]->(m:Movie {movieId: $m})<-[:ACTED_IN|DIRECTED]-(b:Person {personId: $b}) RETURN count(*) AS n`,
			map[string]any{"a": personFrom, "m": movie, "b": personTo})
		if onPath[0]["n"].(int64) == 0 {
			t.Errorf("link %d (%s - %s - %s) is not in the graph", i, l.From.Name, l.Movie.Title, l.To.Name)
		}
	}
	for _, bad := range []string{`maxHops: 0`, `maxHops: 7`} {
		status, resp, _ := post(t, `query($from: ID!, $to: ID!) { pathBetween(from: $from, to: $to, `+bad+`) { length } }`, map[string]any{"from": from, "to": to})
		if status != 200 || len(resp.Errors) != 1 || resp.codes()[0] != "BAD_USER_INPUT" {
			t.Errorf("%s: errors %+v", bad, resp.Errors)
		}
	}
}

func TestNodesKeepsOrderAndNullsUnknownIDs(t *testing.T) {
	var data struct {
		Nodes []*struct {
			Typename string `json:"__typename"`
			ID       string
			Title    string
			Name     string
		}
	}
	ids := []string{relay.ID("Genre", "Drama"), relay.ID("Movie", "999999999"), relay.ID("Movie", "80969"), relay.ID("Person", "not-a-number")}
	trips := mustQuery(t, `query($ids: [ID!]!) { nodes(ids: $ids) { __typename id ... on Movie { title } ... on Genre { name } } }`,
		map[string]any{"ids": ids}, &data)
	if trips != 1 || len(data.Nodes) != 4 {
		t.Fatalf("%d round trips, %d nodes", trips, len(data.Nodes))
	}
	if n := data.Nodes[0]; n == nil || n.Typename != "Genre" || n.Name != "Drama" || n.ID != ids[0] {
		t.Errorf("nodes[0] = %+v", n)
	}
	if data.Nodes[1] != nil || data.Nodes[3] != nil {
		t.Errorf("unknown ids: %+v %+v", data.Nodes[1], data.Nodes[3])
	}
	if n := data.Nodes[2]; n == nil || n.Title != "Never Let Me Go" {
		t.Errorf("nodes[2] = %+v", n)
	}
}
