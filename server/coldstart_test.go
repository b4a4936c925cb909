package server

import (
	"context"
	"slices"
	"strconv"
	"testing"
	"time"

	"filmgraph/internal/neo4jtest"
	"filmgraph/recommend"
	"filmgraph/relay"
)

// toyStoryMates are the other "Toy Story" films of the seed (Toy Story 2 and 3).
var toyStoryMates = []int64{3114, 78499}

// newToyStoryFilm creates, with plain Cypher, a film nobody rated that shares Toy Story's
// directors, its two best billed actors and its genres, and deletes it when the test ends.
// It returns the film's movieId.
func newToyStoryFilm(t *testing.T, id int64, title string) int64 {
	t.Helper()
	cypherRows(t, `MATCH (ts:Movie {movieId: 1})
		CREATE (m:Movie {movieId: $id, title: $title, year: 2031, ratingCount: 0, ratingTotal: 0})
		WITH ts, m
		CALL (ts, m) { MATCH (ts)<-[:DIRECTED]-(p:Person) CREATE (p)-[:DIRECTED]->(m) }
		CALL (ts, m) { MATCH (ts)<-[a:ACTED_IN]-(p:Person) WITH p, a ORDER BY a.order, p.personId LIMIT 2
		  CREATE (p)-[:ACTED_IN {order: a.order}]->(m) }
		CALL (ts, m) { MATCH (ts)-[:IN_GENRE]->(g:Genre) CREATE (m)-[:IN_GENRE]->(g) }`,
		map[string]any{"id": id, "title": title})
	t.Cleanup(func() { cypherRows(t, `MATCH (m:Movie {movieId: $id}) DETACH DELETE m`, map[string]any{"id": id}) })
	return id
}

// TestFilmWithoutRatingsGetsContentPicks: a film nobody rated yet, sharing Toy Story's
// directors, stars and genres, is recommended the Toy Story films once its edges are
// computed; every reason is a content one whose path exists (independent Cypher), and
// from ratings alone it has nothing to recommend.
func TestFilmWithoutRatingsGetsContentPicks(t *testing.T) {
	film := newToyStoryFilm(t, 1_990_101, "Toy Story 5")
	if err := recommend.RefreshFilms(context.Background(), neo4jtest.Driver(t), neo4jtest.Database(), []int64{film}, nil); err != nil {
		t.Fatal(err)
	}
	page, trips := recommended(t, film, map[string]any{"first": 10})
	if trips != 1 {
		t.Errorf("%d statements, want 1", trips)
	}
	if len(page.Edges) == 0 {
		t.Fatal("a film without ratings has no recommendation")
	}
	var top5 []int64
	for i, e := range page.Edges {
		if i < 5 {
			top5 = append(top5, e.Node.Movie.MovieLensID)
		}
		if len(e.Node.Reasons) == 0 {
			t.Errorf("pick %d (%s) has no reason", e.Node.Movie.MovieLensID, e.Node.Movie.Title)
		}
		for _, r := range e.Node.Reasons {
			if r.Kind == "COLLABORATIVE" || r.Kind == "FOLLOWED" || r.Via == nil {
				t.Errorf("pick %d: reason %s %q, want a content reason with a via", e.Node.Movie.MovieLensID, r.Kind, r.Text)
				continue
			}
			var key any = r.Via.Name
			if r.Via.Typename == "Person" {
				_, k, _ := relay.ParseID(r.Via.ID)
				key, _ = strconv.ParseInt(k, 10, 64)
			}
			checkReason(t, film, e.Node.Movie.MovieLensID, r.Kind, r.Text, r.Via.Typename, key)
		}
	}
	if !slices.ContainsFunc(top5, func(id int64) bool { return slices.Contains(toyStoryMates, id) || id == 1 }) {
		t.Errorf("top 5 %v holds no Toy Story film", top5)
	}
	// Independently: every pick shares a director, an actor, a tag, a series or a genre
	// with the new film.
	for _, e := range page.Edges {
		rows := cypherRows(t, `MATCH (m:Movie {movieId: $film}), (c:Movie {movieId: $rec})
			RETURN EXISTS { (m)<-[:DIRECTED|ACTED_IN]-(:Person)-[:DIRECTED|ACTED_IN]->(c) }
			    OR EXISTS { (m)-[:IN_GENRE|TAGGED|IN_SERIES]->()<-[:IN_GENRE|TAGGED|IN_SERIES]-(c) } AS shares`,
			map[string]any{"film": film, "rec": e.Node.Movie.MovieLensID})
		if rows[0]["shares"] != true {
			t.Errorf("pick %d shares nothing with the new film", e.Node.Movie.MovieLensID)
		}
	}
	// From ratings alone there is nothing to say about a film nobody rated.
	if collab, _ := recommended(t, film, map[string]any{"first": 10, "strategy": "COLLABORATIVE"}); collab.TotalCount != 0 {
		t.Errorf("COLLABORATIVE recommendations of a film nobody rated: %d, want 0", collab.TotalCount)
	}
}

const forMeWithReasons = `{ recommendationsForMe(first: 10) { edges { node {
  movie { id } reasons { kind text via { __typename ... on Movie { movieLensId } } } } } } }`

// personalPick is a pick of recommendationsForMe with its reasons.
type personalPick struct {
	movie   int64
	reasons []map[string]any
}

func picksOf(t *testing.T, token string) []personalPick {
	t.Helper()
	data := mustDo(t, token, forMeWithReasons, nil, 1)
	var picks []personalPick
	for _, e := range at(data, "recommendationsForMe.edges").([]any) {
		_, key, err := relay.ParseID(at(e, "node.movie.id").(string)) // movieId: Wikipedia-only films have no movieLensId
		if err != nil {
			t.Fatal(err)
		}
		movie, _ := strconv.ParseInt(key, 10, 64)
		p := personalPick{movie: movie}
		for _, r := range at(e, "node.reasons").([]any) {
			p.reasons = append(p.reasons, r.(map[string]any))
		}
		picks = append(picks, p)
	}
	return picks
}

// TestNewMemberPicksReflectTheirFirstRatings: a member who just signed up rates Toy Story
// 9/10 (through the API): the picks hold a Toy Story film, each explained first by
// "Because you rated Toy Story 9/10" via Toy Story; two more ratings later, every pick is a
// neighbour of one of the three rated films and names it, with the score given.
func TestNewMemberPicksReflectTheirFirstRatings(t *testing.T) {
	member := signUp(t, "firstrates"+strconv.FormatInt(time.Now().UnixNano()%1e9, 36)) // unique on a kept database too
	// Other tests read these films' neighbours, which the member's ratings would change
	// once refreshed: the ratings are taken back through the API, which keeps the films'
	// rating counts equal to their ratings.
	t.Cleanup(func() {
		for _, film := range []int{1, 2571, 5952} {
			mustDo(t, member.Token, `mutation($m: ID!) { clearRating(movieId: $m) { id } }`, map[string]any{"m": movieID(film)}, 0)
		}
	})
	rate := func(film, score int) {
		t.Helper()
		mustDo(t, member.Token, `mutation($m: ID!, $s: Int!) { rateMovie(movieId: $m, score: $s) { id } }`,
			map[string]any{"m": movieID(film), "s": score}, 0)
	}
	title := func(film int64) string {
		return cypherRows(t, `MATCH (m:Movie {movieId: $id}) RETURN m.title AS t`, map[string]any{"id": film})[0]["t"].(string)
	}

	rate(1, 9)
	picks := picksOf(t, member.Token)
	if len(picks) != 10 {
		t.Fatalf("%d picks after one rating, want 10", len(picks))
	}
	var ids []int64
	for _, p := range picks {
		ids = append(ids, p.movie)
		if len(p.reasons) == 0 {
			t.Errorf("pick %d has no reason", p.movie)
			continue
		}
		first := p.reasons[0]
		if want := "Because you rated " + title(1) + " 9/10"; first["kind"] != "YOU_RATED" || first["text"] != want ||
			at(first, "via.movieLensId") != 1.0 {
			t.Errorf("pick %d: first reason %v, want YOU_RATED %q via Toy Story", p.movie, first, want)
		}
	}
	if !slices.ContainsFunc(ids, func(id int64) bool { return slices.Contains(toyStoryMates, id) }) {
		t.Errorf("after rating Toy Story 9/10, the picks %v hold neither Toy Story 2 nor 3", ids)
	}

	rated := map[int64]int{1: 9, 2571: 8, 5952: 10} // then "The Matrix", "The Two Towers"
	rate(2571, 8)
	rate(5952, 10)
	picks = picksOf(t, member.Token)
	if len(picks) != 10 {
		t.Fatalf("%d picks after three ratings, want 10", len(picks))
	}
	seeds := map[int64]bool{}
	for _, p := range picks {
		if _, ok := rated[p.movie]; ok {
			t.Errorf("picked %d, which the member rated", p.movie)
		}
		if len(p.reasons) == 0 {
			t.Errorf("pick %d has no reason", p.movie)
			continue
		}
		via, _ := at(p.reasons[0], "via.movieLensId").(float64)
		seed := int64(via)
		score, ok := rated[seed]
		if !ok || p.reasons[0]["kind"] != "YOU_RATED" {
			t.Errorf("pick %d: first reason %v, not one of the member's ratings", p.movie, p.reasons[0])
			continue
		}
		seeds[seed] = true
		if want := "Because you rated " + title(seed) + " " + strconv.Itoa(score) + "/10"; p.reasons[0]["text"] != want {
			t.Errorf("pick %d: %q, want %q", p.movie, p.reasons[0]["text"], want)
		}
		near := cypherRows(t, `RETURN EXISTS { (:Movie {movieId: $seed})-[:SIMILAR]->(:Movie {movieId: $pick}) } AS near`,
			map[string]any{"seed": seed, "pick": p.movie})
		if near[0]["near"] != true {
			t.Errorf("pick %d is explained by %d, but is not one of its neighbours", p.movie, seed)
		}
	}
	if len(seeds) < 2 {
		t.Errorf("the ten picks all come from %v: more than one of the three ratings should show", seeds)
	}
}
