package server

import (
	"context"
	"fmt"
	"net/http/httptest"
	"slices"
	"testing"
	"time"

	"filmgraph/internal/neo4jtest"
	"filmgraph/observe"
	"filmgraph/recommend"
)

// expectedFollowedCypher computes a film's "rated soon after" neighbours from the ratings,
// independently of recommend's statement (which walks each member's whole sequence once):
// for each rating of the film, the rater's next 10 ratings (time order, ties by movieId)
// found by their own ordered query, each counting 1/sqrt(gap); pairs of fewer than 2
// raters dropped; divided by the neighbour's ratings^0.2 and by the best such sum; the
// 100 best (README, "How").
const expectedFollowedCypher = `MATCH (a:Movie {movieId: $film})<-[ra:RATED]-(u:User)
CALL (u, a, ra) {
  MATCH (u)-[x:RATED]->(o:Movie)
  WHERE x.ratedAt > ra.ratedAt OR (x.ratedAt = ra.ratedAt AND o.movieId > a.movieId)
  WITH o ORDER BY x.ratedAt, o.movieId LIMIT 10
  WITH collect(o) AS next
  UNWIND range(1, size(next)) AS gap
  RETURN next[gap - 1] AS c, 1.0 / sqrt(gap) AS w
}
WITH c, sum(w) AS co, count(DISTINCT u) AS followers WHERE followers >= 2
WITH c, followers, co / COUNT { (c)<-[:RATED]-(:User) } ^ 0.2 AS raw
WITH collect({id: c.movieId, raw: raw, followers: followers}) AS all
WITH all, reduce(best = 0.0, x IN all | CASE WHEN x.raw > best THEN x.raw ELSE best END) AS best
UNWIND all AS x
WITH x.id AS id, x.raw / best AS followed, x.followers AS followers
ORDER BY followed DESC, id LIMIT 100
RETURN id, followed, followers`

// pendingMetric is the gauge of the age of the oldest change the refresher has not taken in.
const pendingMetric = "filmgraph_recommendations_oldest_pending_change_seconds"

// followedEdges is a film's "rated soon after" neighbours: movieId -> "followed/followers".
type followedEdges map[int64]string

func expectedFollowed(t *testing.T, film int64) followedEdges {
	t.Helper()
	out := followedEdges{}
	for _, row := range cypherRows(t, expectedFollowedCypher, map[string]any{"film": film}) {
		out[row["id"].(int64)] = fmt.Sprintf("%.9f/%d", row["followed"].(float64), row["followers"].(int64))
	}
	return out
}

func storedFollowed(t *testing.T, film int64) followedEdges {
	t.Helper()
	out := followedEdges{}
	for _, row := range cypherRows(t, `MATCH (:Movie {movieId: $film})-[s:SIMILAR]->(c:Movie) WHERE s.followed > 0
		RETURN c.movieId AS id, s.followed AS followed, s.followers AS followers`, map[string]any{"film": film}) {
		out[row["id"].(int64)] = fmt.Sprintf("%.9f/%d", row["followed"].(float64), row["followers"].(int64))
	}
	return out
}

// stale lists the films whose stored "rated soon after" edges differ from the ones
// expectedFollowedCypher computes from the ratings now.
func stale(t *testing.T, films []int64) []int64 {
	t.Helper()
	var out []int64
	for _, f := range films {
		if got, want := storedFollowed(t, f), expectedFollowed(t, f); fmt.Sprint(got) != fmt.Sprint(want) {
			out = append(out, f)
		}
	}
	return out
}

// TestRefresherFollowsReRatings: three members rated, in this order, films A1 A2 A3 X B1
// B2 C1..C10; then each rates X again (rateMovie, or writeReview with a score), which
// moves X to the end of their sequences. The films rated just before X's old place (A1..A3) lose X from their next 10
// and gain another film, so their "rated soon after" edges change although nobody rated
// them again; a Refresher brings them, and every other film of the sequences, to the
// edges independent Cypher computes from the ratings, within its bound. The films after
// X's old place (B1, B2) keep their next films, which the same comparison checks. The
// films are new, genreless and without people, so no other film's edges change.
func TestRefresherFollowsReRatings(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	forgetOtherChanges(t)
	// It reports to the server's metric, read back from the /metrics handler.
	r := &recommend.Refresher{Driver: neo4jtest.Driver(t), Database: neo4jtest.Database(), Interval: 200 * time.Millisecond, MaxFilms: 200,
		Report: observe.SetRecommendationsPending}
	metrics := httptest.NewServer(observe.MetricsHandler())
	defer metrics.Close()
	pending := func() float64 {
		t.Helper()
		f := scrape(t, metrics.URL)[pendingMetric]
		if f == nil || len(f.GetMetric()) != 1 {
			t.Fatalf("/metrics has no %s", pendingMetric)
		}
		return f.GetMetric()[0].GetGauge().GetValue()
	}
	// A first cycle before the films exist, as a running server has had, so it notices
	// them as new.
	if _, err := r.Cycle(ctx); err != nil {
		t.Fatal(err)
	}
	next := cypherRows(t, `OPTIONAL MATCH (run:SimilarityRun)
		RETURN max(coalesce(run.maxMovieId, 0)) AS run, COLLECT { MATCH (m:Movie) RETURN max(m.movieId) }[0] AS film`, nil)[0]
	base := max(next["run"].(int64), next["film"].(int64)) + 1
	var films []int64 // in rating order: A1 A2 A3 X B1 B2 C1..C10
	for i := range 16 {
		films = append(films, base+int64(i))
	}
	before, x, after := films[:3], films[3], films[4:6]
	cypherRows(t, `UNWIND $films AS id CREATE (:Movie {movieId: id, title: 'Re-rated sequence film ' + toString(id), year: 2031})`,
		map[string]any{"films": films})
	t.Cleanup(func() { // with the review written below, which a film's page lists need a film for
		cypherRows(t, `MATCH (m:Movie) WHERE m.movieId IN $films
			OPTIONAL MATCH (r:Review)-[:ABOUT]->(m)
			DETACH DELETE r, m`, map[string]any{"films": films})
	})
	var members []account
	for i := range 3 {
		member := signUp(t, fmt.Sprintf("rerate%s-%d", runTag, i)) // runTag: apart from an earlier run's on a reused database
		members = append(members, member)
		// An hour ago, a minute apart; score 7, below the collaborative score's 8.
		cypherRows(t, `MATCH (u:User {userId: $user})
			UNWIND range(0, size($films) - 1) AS k
			MATCH (m:Movie {movieId: $films[k]})
			CREATE (u)-[:RATED {score: 7, ratedAt: datetime() - duration({minutes: 60 - k})}]->(m)`,
			map[string]any{"user": member.UserID, "films": films})
	}
	for {
		if done, err := r.Cycle(ctx); err != nil {
			t.Fatal(err)
		} else if len(done) == 0 {
			break
		}
		if ctx.Err() != nil {
			t.Fatal("the new films are still pending after 3 minutes")
		}
	}
	if s := stale(t, films); len(s) > 0 {
		t.Fatalf("before the re-ratings, films %v have other edges than independent Cypher computes", s)
	}
	was := map[int64]followedEdges{}
	for _, f := range slices.Concat(before, after) {
		was[f] = storedFollowed(t, f)
	}
	for _, f := range before {
		if _, ok := was[f][x]; !ok {
			t.Fatalf("film %d is not followed by X (%d) before the re-ratings: %v", f, x, was[f])
		}
	}

	// Two rate X again; the third writes a review of it, whose score is a rating too.
	reRated := time.Now()
	for i, member := range members {
		op := `mutation($m: ID!) { rateMovie(movieId: $m, score: 6) { id } }`
		if i == 0 {
			op = `mutation($m: ID!) { writeReview(movieId: $m, text: "Better the second time.", score: 6) { id } }`
		}
		mustDo(t, member.Token, op, map[string]any{"m": movieID(int(x))}, 0)
	}
	for _, f := range before {
		if want := expectedFollowed(t, f); fmt.Sprint(want) == fmt.Sprint(was[f]) {
			t.Fatalf("film %d: the re-ratings do not change its expected edges (%v): the test would prove nothing", f, want)
		}
	}
	// The first cycle takes in the old place's films along with X and its new place's.
	refreshed, err := r.Cycle(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range slices.Concat(before, []int64{x}) {
		if !slices.Contains(refreshed, f) {
			t.Errorf("the first cycle after the re-ratings refreshed %v, not film %d", refreshed, f)
		}
	}
	if age := pending(); age <= 0 {
		t.Errorf("%s = %v after the re-ratings, want the age of the change", pendingMetric, age)
	}
	stopped := make(chan struct{})
	go func() { r.Run(ctx); close(stopped) }()
	for {
		s := stale(t, films)
		if len(s) == 0 {
			break
		}
		if ctx.Err() != nil {
			for _, f := range s {
				t.Errorf("film %d: stored %v, independent Cypher %v", f, storedFollowed(t, f), expectedFollowed(t, f))
			}
			t.Fatal("followed edges still stale 3 minutes after the re-ratings")
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Logf("re-ratings seen in the old neighbours' edges %s later (refresher interval %s)", time.Since(reRated).Round(time.Millisecond), r.Interval)
	cancel()
	<-stopped
	// Once the last cycle has settled its films, a cycle finds nothing pending.
	for start := time.Now(); ; {
		if refreshed, err := r.Cycle(context.Background()); err != nil {
			t.Fatal(err)
		} else if len(refreshed) == 0 {
			break
		}
		if time.Since(start) > time.Minute {
			t.Fatal("films still pending a minute after their edges were right")
		}
	}
	if age := pending(); age != 0 {
		t.Errorf("%s = %v with nothing pending, want 0", pendingMetric, age)
	}
	for _, f := range before {
		if _, ok := storedFollowed(t, f)[x]; ok {
			t.Errorf("film %d: X still follows it, now more than 10 films later", f)
		}
	}
	// The films rated after X's old place keep their next 10 films, hence their edges.
	for _, f := range after {
		if got := storedFollowed(t, f); fmt.Sprint(got) != fmt.Sprint(was[f]) {
			t.Errorf("film %d, rated after X's old place: edges %v, before the re-ratings %v", f, got, was[f])
		}
	}
}

// TestReRatingsRecordEachFilmOnce: every re-rating of a film records, in the film's
// similarAlso, the films the member rated just before its old place, whose "rated soon
// after" neighbours the move changes; rated again and again, the film lists each of them
// once, not once per re-rating until the list is full.
func TestReRatingsRecordEachFilmOnce(t *testing.T) {
	member := signUp(t, "rerate-once"+runTag)
	next := cypherRows(t, `OPTIONAL MATCH (run:SimilarityRun)
		RETURN max(coalesce(run.maxMovieId, 0)) AS run, COLLECT { MATCH (m:Movie) RETURN max(m.movieId) }[0] AS film`, nil)[0]
	base := max(next["run"].(int64), next["film"].(int64)) + 1000
	films := []int64{base, base + 1, base + 2, base + 3} // A1 A2 A3 X, rated in this order
	cypherRows(t, `UNWIND $films AS id CREATE (:Movie {movieId: id, title: 'Re-rated film ' + toString(id), year: 2032})`,
		map[string]any{"films": films})
	t.Cleanup(func() {
		cypherRows(t, `MATCH (m:Movie) WHERE m.movieId IN $films DETACH DELETE m`, map[string]any{"films": films})
	})
	cypherRows(t, `MATCH (u:User {userId: $user})
		UNWIND range(0, size($films) - 1) AS k
		MATCH (m:Movie {movieId: $films[k]})
		CREATE (u)-[:RATED {score: 7, ratedAt: datetime() - duration({minutes: 60 - k})}]->(m)`,
		map[string]any{"user": member.UserID, "films": films})
	x := films[3]
	for score := range 4 {
		mustDo(t, member.Token, `mutation($m: ID!, $s: Int!) { rateMovie(movieId: $m, score: $s) { id } }`,
			map[string]any{"m": movieID(int(x)), "s": 5 + score}, 0)
	}
	also, _ := cypherRows(t, `MATCH (m:Movie {movieId: $x}) RETURN coalesce(m.similarAlso, []) AS also`, map[string]any{"x": x})[0]["also"].([]any)
	seen := map[any]int{}
	for _, id := range also {
		if seen[id]++; seen[id] == 2 {
			t.Errorf("film %v is listed more than once in similarAlso: %v", id, also)
		}
	}
	for _, f := range films[:3] {
		if seen[f] == 0 {
			t.Errorf("film %d, rated just before the film's old place, is not in similarAlso: %v", f, also)
		}
	}
}

// TestReRatingTheLatestRatingRecordsNothing: a film that is already the member's latest
// rating stays last when rated again, so no film's "rated soon after" window changes and
// nothing is recorded; a film rated before others moves, and the films rated just before
// its old place are recorded.
func TestReRatingTheLatestRatingRecordsNothing(t *testing.T) {
	member := signUp(t, "rerate-latest"+runTag)
	next := cypherRows(t, `OPTIONAL MATCH (run:SimilarityRun)
		RETURN max(coalesce(run.maxMovieId, 0)) AS run, COLLECT { MATCH (m:Movie) RETURN max(m.movieId) }[0] AS film`, nil)[0]
	base := max(next["run"].(int64), next["film"].(int64)) + 2000
	films := []int64{base, base + 1, base + 2, base + 3, base + 4} // A1 A2 A3 X rated an hour ago; Y rated here
	cypherRows(t, `UNWIND $films AS id CREATE (:Movie {movieId: id, title: 'Latest-rated film ' + toString(id), year: 2033})`,
		map[string]any{"films": films})
	t.Cleanup(func() {
		cypherRows(t, `MATCH (m:Movie) WHERE m.movieId IN $films DETACH DELETE m`, map[string]any{"films": films})
	})
	cypherRows(t, `MATCH (u:User {userId: $user})
		UNWIND range(0, 3) AS k
		MATCH (m:Movie {movieId: $films[k]})
		CREATE (u)-[:RATED {score: 7, ratedAt: datetime() - duration({minutes: 60 - k})}]->(m)`,
		map[string]any{"user": member.UserID, "films": films})
	also := func(film int64) []any {
		v, _ := cypherRows(t, `MATCH (m:Movie {movieId: $m}) RETURN coalesce(m.similarAlso, []) AS also`, map[string]any{"m": film})[0]["also"].([]any)
		return v
	}
	rate := func(film int64, score int) {
		mustDo(t, member.Token, `mutation($m: ID!, $s: Int!) { rateMovie(movieId: $m, score: $s) { id } }`,
			map[string]any{"m": movieID(int(film)), "s": score}, 0)
	}
	x, y := films[3], films[4]
	rate(y, 6) // a first rating: Y is now the latest
	rate(y, 8) // Y again: still the latest
	if got := also(y); len(got) != 0 {
		t.Errorf("re-rating the latest rating recorded %v; want nothing", got)
	}
	rate(x, 9) // X, rated before Y, moves to the end
	if got, want := fmt.Sprint(also(x)), fmt.Sprint([]any{films[2], films[1], films[0]}); got != want {
		t.Errorf("re-rating a film rated before others recorded %s; want the films rated just before it, %s", got, want)
	}
}
