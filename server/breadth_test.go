package server

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"filmgraph/internal/neo4jtest"
	"filmgraph/internal/testenv"
	"filmgraph/recommend"
	"filmgraph/relay"
)

// Tests of the catalogue's breadth: every film of the Wikipedia lists is a film, one
// person per name whatever its spelling, and the genre hierarchy. Expected values come
// from the raw files in ../shared/data or from independent Cypher.

// rawWikipediaFilm is an entry of ../shared/data/wikipedia-movies, as published.
type rawWikipediaFilm struct {
	Title     string   `json:"title"`
	Year      int      `json:"year"`
	Cast      []string `json:"cast"`
	Genres    []string `json:"genres"`
	Href      string   `json:"href"`
	Extract   string   `json:"extract"`
	Thumbnail string   `json:"thumbnail"`
}

func readRawWikipedia(t *testing.T) []rawWikipediaFilm {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(testenv.SharedDir(t), "data", "wikipedia-movies", "movies-*.json"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no Wikipedia lists: %v", err)
	}
	var all []rawWikipediaFilm
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var films []rawWikipediaFilm
		if err := json.Unmarshal(b, &films); err != nil {
			t.Fatal(err)
		}
		all = append(all, films...)
	}
	return all
}

// TestEveryWikipediaFilmIsInTheCatalogue: the catalogue holds the MovieLens films
// (movies.csv) and one film per Wikipedia article that none of them is; each article of
// the lists is a film, found by its page name.
func TestEveryWikipediaFilmIsInTheCatalogue(t *testing.T) {
	raw := readRawWikipedia(t)
	articles := map[string]bool{}
	for _, w := range raw {
		if w.Href != "" {
			articles[w.Href] = true
		}
	}
	f, err := os.Open(filepath.Join(testenv.SharedDir(t), "data", "movielens-small", "movies.csv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	movieLens := len(rows) - 1 // header

	counts := cypherRows(t, `MATCH (m:Movie) RETURN count(m) AS films, count(m.movieLensId) AS movieLens,
		count(DISTINCT m.wikipediaHref) AS articles`, nil)[0]
	if counts["movieLens"] != int64(movieLens) {
		t.Errorf("%v films with a MovieLens id, want the %d of movies.csv", counts["movieLens"], movieLens)
	}
	if counts["articles"] != int64(len(articles)) {
		t.Errorf("%v distinct Wikipedia articles in the catalogue, want the %d of the lists", counts["articles"], len(articles))
	}
	var data struct {
		Movies struct{ TotalCount int64 }
	}
	mustQuery(t, `{ movies(first: 1) { totalCount } }`, nil, &data)
	if data.Movies.TotalCount != counts["films"] || data.Movies.TotalCount <= int64(movieLens) {
		t.Errorf("movies.totalCount %d, want %v (more than the %d MovieLens films)", data.Movies.TotalCount, counts["films"], movieLens)
	}
}

// TestWikipediaOnlyFilmWorksLikeAnyFilm reads "Grand Prix" (1966), which is not a
// MovieLens film, through its page, relay id and recommendations.
func TestWikipediaOnlyFilmWorksLikeAnyFilm(t *testing.T) {
	var raw rawWikipediaFilm
	for _, w := range readRawWikipedia(t) {
		if w.Href == "Grand_Prix_(1966_film)" {
			raw = w
		}
	}
	if raw.Title == "" {
		t.Fatal("Grand Prix (1966) is not in the raw lists")
	}
	rows := cypherRows(t, `MATCH (m:Movie {wikipediaHref: $href}) RETURN m.movieId AS id, m.movieLensId AS ml`, map[string]any{"href": raw.Href})
	if len(rows) != 1 || rows[0]["ml"] != nil {
		t.Fatalf("films of %s: %v, want one without a MovieLens id", raw.Href, rows)
	}
	id := relay.ID("Movie", fmt.Sprint(rows[0]["id"]))
	if err := recommend.RefreshFilms(context.Background(), neo4jtest.Driver(t), neo4jtest.Database(), []int64{rows[0]["id"].(int64)}, nil); err != nil {
		t.Fatal(err)
	}
	var data struct {
		Movie struct {
			ID, Title     string
			MovieLensID   *int64
			Year          int
			Plot          *string
			Cover         *struct{ URL string }
			Cast          []struct{ Person struct{ Name string } }
			RatingSummary struct {
				Count   int
				Average *float64
			}
			Recommended struct {
				Edges []struct {
					Node struct {
						Movie   struct{ ID string }
						Reasons []struct{ Kind string }
					}
				}
			}
		}
		Node struct{ Title string }
	}
	trips := mustQuery(t, `query($id: ID!) {
		movie(id: $id) { id title movieLensId year plot cover { url } cast { person { name } } ratingSummary { count average }
			recommended(first: 5, strategy: CONTENT) { edges { node { movie { id } reasons { kind } } } } }
		node(id: $id) { ... on Movie { title } } }`, map[string]any{"id": id}, &data)
	if trips != 1 {
		t.Errorf("%d round trips, want 1", trips)
	}
	m := data.Movie
	var cast []string
	for _, c := range m.Cast {
		cast = append(cast, c.Person.Name)
	}
	switch {
	case m.ID != id || m.Title != raw.Title || m.Year != raw.Year || m.MovieLensID != nil || data.Node.Title != raw.Title:
		t.Errorf("film %+v, node %+v; want %q (%d)", m, data.Node, raw.Title, raw.Year)
	case m.Plot == nil || *m.Plot != strings.TrimSpace(raw.Extract):
		t.Errorf("plot %v, want the article's lead paragraph", m.Plot)
	case m.Cover == nil || m.Cover.URL != raw.Thumbnail:
		t.Errorf("cover %+v, want %s", m.Cover, raw.Thumbnail)
	case m.RatingSummary.Count != 0 || m.RatingSummary.Average != nil:
		t.Errorf("rating summary %+v, want none", m.RatingSummary)
	case !slices.Contains(cast, "James Garner") || !slices.Contains(cast, "Toshirō Mifune"):
		t.Errorf("cast %q, want the list's (James Garner, Toshiro Mifune, ...)", cast)
	case len(m.Recommended.Edges) == 0:
		t.Error("a film without ratings got no content picks")
	}
	// Each pick is a content neighbour in the graph.
	for _, e := range m.Recommended.Edges {
		pick, _ := relay.ParseIntID(e.Node.Movie.ID, "Movie")
		n := cypherRows(t, `MATCH (:Movie {wikipediaHref: $href})-[s:SIMILAR]->(:Movie {movieId: $pick}) WHERE s.content > 0 RETURN count(*) AS n`,
			map[string]any{"href": raw.Href, "pick": pick})[0]["n"]
		if n != int64(1) {
			t.Errorf("pick %d is not a content neighbour", pick)
		}
	}
}

// TestRatedFilmsKeepRatedNeighbours: the films added from Wikipedia have no ratings and
// never crowd a rated film's content recommendations.
func TestRatedFilmsKeepRatedNeighbours(t *testing.T) {
	rows := cypherRows(t, `MATCH (m:Movie {movieId: $id})-[s:SIMILAR]->(c:Movie) WHERE s.content IS NOT NULL
		RETURN count(c) AS all, count(CASE WHEN c.movieLensId IS NULL THEN c END) AS wikipediaOnly`, map[string]any{"id": referenceMovieLensID})
	if rows[0]["all"].(int64) == 0 || rows[0]["wikipediaOnly"] != int64(0) {
		t.Errorf("content neighbours of the reference film: %v", rows[0])
	}
}

// TestSpellingsOfOneNameAreOnePerson: the lists credit "Toshiro Mifune" in some films and
// "Toshirō Mifune" in others; he is one person whose filmography has every one of them.
func TestSpellingsOfOneNameAreOnePerson(t *testing.T) {
	films := map[string]bool{}
	spellings := map[string]bool{}
	for _, w := range readRawWikipedia(t) {
		for _, c := range w.Cast {
			if c == "Toshiro Mifune" || c == "Toshirō Mifune" {
				films[w.Href] = true
				spellings[c] = true
			}
		}
	}
	if len(spellings) != 2 {
		t.Fatalf("the raw lists use %v", spellings)
	}
	var data struct {
		People struct {
			Edges []struct {
				Node struct {
					Name    string
					ActedIn struct{ TotalCount int }
				}
			}
		}
	}
	mustQuery(t, `{ people(filter: {nameContains: "mifune"}, first: 10) { edges { node { name actedIn { totalCount } } } } }`, nil, &data)
	if len(data.People.Edges) != 1 {
		t.Fatalf("people named like Mifune: %+v, want one", data.People.Edges)
	}
	p := data.People.Edges[0].Node
	if p.Name != "Toshirō Mifune" || p.ActedIn.TotalCount != len(films) {
		t.Errorf("%q acted in %d films, want Toshirō Mifune in the %d the lists credit", p.Name, p.ActedIn.TotalCount, len(films))
	}
}

// TestGenreHierarchy: the reference page's genres sit under Sci-Fi, browsing Sci-Fi finds
// the reference film, and the Wikipedia films' "Science Fiction" is Sci-Fi itself.
func TestGenreHierarchy(t *testing.T) {
	var data struct {
		SciFi struct {
			Parent     *struct{ Name string }
			Subgenres  []struct{ Name string }
			MovieCount int
		}
		Fine struct {
			Parent    *struct{ Name string }
			Subgenres []struct{ Name string }
		}
		Movies struct {
			Edges []struct{ Node struct{ MovieLensID *int64 } }
		}
	}
	mustQuery(t, `{ sciFi: genre(name: "Sci-Fi") { parent { name } subgenres { name } movieCount }
		fine: genre(name: "Psychological Sci-Fi") { parent { name } subgenres { name } }
		movies(filter: {genres: ["Sci-Fi"], titleContains: "Never Let Me Go"}) { edges { node { movieLensId } } } }`, nil, &data)
	var subs []string
	for _, g := range data.SciFi.Subgenres {
		subs = append(subs, g.Name)
	}
	want := column(cypherRows(t, `MATCH (g:Genre)-[:SUBGENRE_OF]->(:Genre {name: 'Sci-Fi'}) RETURN g.name AS name ORDER BY name`, nil), "name")
	assertEqual(t, "subgenres of Sci-Fi", subs, want)
	for _, g := range []string{"Escape Film", "Psychological Sci-Fi", "Science Fiction"} {
		if !slices.Contains(subs, g) {
			t.Errorf("%q is not under Sci-Fi", g)
		}
	}
	if data.SciFi.Parent != nil || data.Fine.Parent == nil || data.Fine.Parent.Name != "Sci-Fi" || len(data.Fine.Subgenres) != 0 {
		t.Errorf("Sci-Fi's parent %+v; Psychological Sci-Fi's parent %+v, subgenres %+v", data.SciFi.Parent, data.Fine.Parent, data.Fine.Subgenres)
	}
	found := false
	for _, e := range data.Movies.Edges {
		found = found || (e.Node.MovieLensID != nil && *e.Node.MovieLensID == referenceMovieLensID)
	}
	if !found {
		t.Error("browsing Sci-Fi does not find Never Let Me Go")
	}
	// Sci-Fi counts the films listed in it or in any genre under it, walked here
	// through the hierarchy rather than read from the implied edges.
	count := cypherRows(t, `MATCH (g:Genre) WHERE g.name = 'Sci-Fi' OR (g)-[:SUBGENRE_OF*]->(:Genre {name: 'Sci-Fi'})
		MATCH (m:Movie)-[r:IN_GENRE]->(g) WHERE r.implied IS NULL RETURN count(DISTINCT m) AS n`, nil)[0]["n"]
	// The reference film is in its MovieLens genres (Drama, Romance, Sci-Fi) without listing them.
	if int64(data.SciFi.MovieCount) != count.(int64) {
		t.Errorf("Sci-Fi movieCount %d, want %v", data.SciFi.MovieCount, count)
	}
	var kept struct {
		Drama, Romance struct{ TotalCount int }
	}
	mustQuery(t, `{ drama: movies(filter: {genres: ["Drama"], titleContains: "Never Let Me Go", yearFrom: 2010, yearTo: 2010}) { totalCount }
		romance: movies(filter: {genres: ["Romance"], titleContains: "Never Let Me Go", yearFrom: 2010, yearTo: 2010}) { totalCount } }`, nil, &kept)
	if kept.Drama.TotalCount != 1 || kept.Romance.TotalCount != 1 {
		t.Errorf("browsing Drama, Romance finds %+v Never Let Me Go (2010), want 1 each", kept)
	}
	// No Wikipedia film is filed under the page's own label: "Science Fiction" in the
	// lists is Sci-Fi.
	sf := 0
	for _, w := range readRawWikipedia(t) {
		if slices.Contains(w.Genres, "Science Fiction") {
			sf++
		}
	}
	rows := cypherRows(t, `MATCH (m:Movie)-[:IN_GENRE]->(:Genre {name: 'Science Fiction'}) RETURN collect(m.movieId) AS ids`, nil)
	if sf < 1000 || !slices.Equal(rows[0]["ids"].([]any), []any{int64(referenceMovieLensID)}) {
		t.Errorf("%d raw films list Science Fiction; the genre named so holds %v, want only the reference film", sf, rows[0]["ids"])
	}
}

// TestPathLinksSayWhoActedAndWhoDirected: Mark Romanek directed Never Let Me Go, in which
// Carey Mulligan acted; every link of a longer chain carries the roles the graph holds.
func TestPathLinksSayWhoActedAndWhoDirected(t *testing.T) {
	ids := cypherRows(t, `MATCH (d:Person {name: 'Mark Romanek'}), (a:Person {name: 'Carey Mulligan'}), (k:Person {name: 'Kevin Bacon'})
		RETURN d.personId AS d, a.personId AS a, k.personId AS k`, nil)
	if len(ids) != 1 {
		t.Fatal("Mark Romanek, Carey Mulligan or Kevin Bacon missing from the seed")
	}
	person := func(k string) string { return relay.ID("Person", fmt.Sprint(ids[0][k])) }
	type link struct {
		From, To           struct{ ID string }
		Movie              struct{ ID string }
		FromRoles, ToRoles []string
	}
	var data struct {
		Direct, Chain *struct{ Links []link }
	}
	mustQuery(t, `query($d: ID!, $a: ID!, $k: ID!) {
		direct: pathBetween(from: $d, to: $a) { links { from { id } fromRoles movie { id } to { id } toRoles } }
		chain: pathBetween(from: $k, to: $d) { links { from { id } fromRoles movie { id } to { id } toRoles } } }`,
		map[string]any{"d": person("d"), "a": person("a"), "k": person("k")}, &data)
	if data.Direct == nil || len(data.Direct.Links) != 1 {
		t.Fatalf("Romanek to Mulligan: %+v, want one film", data.Direct)
	}
	if l := data.Direct.Links[0]; !slices.Equal(l.FromRoles, []string{"DIRECTOR"}) || !slices.Equal(l.ToRoles, []string{"ACTOR"}) {
		t.Errorf("Romanek to Mulligan: roles %v -> %v, want DIRECTOR -> ACTOR", l.FromRoles, l.ToRoles)
	}
	if data.Chain == nil || len(data.Chain.Links) == 0 {
		t.Fatal("no chain from Kevin Bacon to Mark Romanek")
	}
	roles := func(personID, movieID string) []string {
		p, _ := relay.ParseIntID(personID, "Person")
		m, _ := relay.ParseIntID(movieID, "Movie")
		rows := cypherRows(t, `MATCH (:Person {personId: $p})-[r]->(:Movie {movieId: $m}) RETURN type(r) AS type ORDER BY type`, map[string]any{"p": p, "m": m})
		var out []string
		for _, r := range rows {
			out = append(out, map[string]string{"ACTED_IN": "ACTOR", "DIRECTED": "DIRECTOR"}[r["type"].(string)])
		}
		return out
	}
	for i, l := range data.Chain.Links {
		if want := roles(l.From.ID, l.Movie.ID); !slices.Equal(l.FromRoles, want) {
			t.Errorf("link %d: fromRoles %v, want %v", i, l.FromRoles, want)
		}
		if want := roles(l.To.ID, l.Movie.ID); !slices.Equal(l.ToRoles, want) {
			t.Errorf("link %d: toRoles %v, want %v", i, l.ToRoles, want)
		}
	}
	if last := data.Chain.Links[len(data.Chain.Links)-1]; !slices.Contains(last.ToRoles, "DIRECTOR") {
		t.Errorf("the chain ends at Mark Romanek as %v, want DIRECTOR", last.ToRoles)
	}
}

// TestCoStarsOfADirector: Mark Romanek directs and does not act; his co-stars are the
// actors of the films he directed, counted by an independent union of his films.
func TestCoStarsOfADirector(t *testing.T) {
	id := cypherRows(t, `MATCH (p:Person {name: 'Mark Romanek'}) RETURN p.personId AS id`, nil)[0]["id"]
	want := column(cypherRows(t, `MATCH (p:Person {personId: $id})
		CALL (p) { MATCH (p)-[:DIRECTED]->(m:Movie) RETURN m UNION MATCH (p)-[:ACTED_IN]->(m:Movie) RETURN m }
		MATCH (m)<-[:ACTED_IN]-(o:Person) WHERE o <> p
		WITH o, count(*) AS shared RETURN o.name + ':' + shared AS co ORDER BY shared DESC, o.name, o.personId LIMIT 5`,
		map[string]any{"id": id}), "co")
	if len(want) == 0 {
		t.Fatal("Mark Romanek directed no film with a cast in the seed")
	}
	var data struct {
		Person struct {
			CoStars []struct {
				SharedMovies int
				Person       struct{ Name string }
			}
		}
		People struct {
			Edges []struct {
				Node struct {
					CoStars []struct {
						SharedMovies int
						Person       struct{ Name string }
					}
				}
			}
		}
	}
	// A person page (hoisted subquery) and a nested list (projection) are translated apart.
	mustQuery(t, `query($id: ID!) { person(id: $id) { coStars(first: 5) { sharedMovies person { name } } }
		people(filter: {nameContains: "Mark Romanek"}, first: 1) { edges { node { coStars(first: 5) { sharedMovies person { name } } } } } }`,
		map[string]any{"id": relay.ID("Person", fmt.Sprint(id))}, &data)
	var page, nested []string
	for _, c := range data.Person.CoStars {
		page = append(page, fmt.Sprintf("%s:%d", c.Person.Name, c.SharedMovies))
	}
	assertEqual(t, "co-stars on the person page", page, want)
	if len(data.People.Edges) != 1 {
		t.Fatalf("people named Mark Romanek: %d", len(data.People.Edges))
	}
	for _, c := range data.People.Edges[0].Node.CoStars {
		nested = append(nested, fmt.Sprintf("%s:%d", c.Person.Name, c.SharedMovies))
	}
	assertEqual(t, "co-stars in a list of people", nested, want)
}
