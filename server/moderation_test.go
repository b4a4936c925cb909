package server

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"filmgraph/apperr"
	"filmgraph/cypher"
	"filmgraph/launcher"
	"filmgraph/observe"
)

// The moderation flow with three members: an author, another member and a moderator whose
// token was issued before the promotion (roles are read from the database, not the token).
// Expected values come from plain Cypher.

func init() {
	notCompared["pendingSynopsisSubmissions"] = "anonymous: UNAUTHENTICATED; TestModerationFlow walks it against Cypher"
}

func TestModerationFlow(t *testing.T) {
	author, other, mod := signUp(t, "mod-author"+runTag), signUp(t, "mod-other"+runTag), signUp(t, "mod-mod"+runTag)
	if err := testStore.MakeModerator(context.Background(), mod.Username); err != nil {
		t.Fatal(err)
	}
	const submit = `mutation($m: ID!, $t: String!) { submitSynopsis(movieId: $m, text: $t) { id } }`
	s1 := at(mustDo(t, author.Token, submit, map[string]any{"m": movieID(11), "t": "first"}, 1), "submitSynopsis.id").(string)
	s2 := at(mustDo(t, author.Token, submit, map[string]any{"m": movieID(12), "t": "second"}, 1), "submitSynopsis.id").(string)
	s3 := at(mustDo(t, other.Token, submit, map[string]any{"m": movieID(11), "t": "third"}, 1), "submitSynopsis.id").(string)

	// The queue: moderators only, oldest first, paged.
	const queue = `query($after: String) { pendingSynopsisSubmissions(first: 2, after: $after) {
		totalCount pageInfo { hasNextPage endCursor } edges { node { id text author { username } decidedBy { username } } } } }`
	walkQueue := func(token string) []string {
		t.Helper()
		want := cypherRows(t, `MATCH (s:SynopsisSubmission {status: 'PENDING'}) RETURN s.submissionId AS id ORDER BY s.submittedAt, s.submissionId`, nil)
		var got []string
		var after any
		for i := 0; i < 500; i++ {
			d := mustDo(t, token, queue, map[string]any{"after": after}, 0)
			if at(d, "pendingSynopsisSubmissions.totalCount") != float64(len(want)) {
				t.Fatalf("totalCount %v, want %d", at(d, "pendingSynopsisSubmissions.totalCount"), len(want))
			}
			for _, e := range at(d, "pendingSynopsisSubmissions.edges").([]any) {
				got = append(got, mustKey(at(e, "node.id").(string)))
			}
			if at(d, "pendingSynopsisSubmissions.pageInfo.hasNextPage") != true {
				break
			}
			after = at(d, "pendingSynopsisSubmissions.pageInfo.endCursor")
		}
		assertEqual(t, "queue", got, column(want, "id"))
		return got
	}
	wantError(t, "", queue, nil, "UNAUTHENTICATED")
	wantError(t, author.Token, queue, nil, "FORBIDDEN")
	wantError(t, other.Token, queue, nil, "FORBIDDEN")
	pending := walkQueue(mod.Token) // a token from before the promotion
	if i1, i2, i3 := indexOf(pending, mustKey(s1)), indexOf(pending, mustKey(s2)), indexOf(pending, mustKey(s3)); i1 < 0 || !(i1 < i2 && i2 < i3) {
		t.Errorf("the queue holds s1, s2, s3 at %d, %d, %d", i1, i2, i3)
	}

	// A pending submission: its author and moderators read it, nobody else.
	const read = `query($id: ID!, $m: ID!) { node(id: $id) { ... on SynopsisSubmission { text status } }
		nodes(ids: [$id]) { id } movie(id: $m) { synopsisSubmissions { id } } }`
	for _, c := range []struct {
		who      string
		token    string
		see, mod bool
	}{{"anonymous", "", false, false}, {"other member", other.Token, false, false}, {"author", author.Token, true, false}, {"moderator", mod.Token, true, true}} {
		d := mustDo(t, c.token, read, map[string]any{"id": s1, "m": movieID(11)}, 0)
		if (at(d, "node.text") == "first") != c.see || (at(d, "nodes.0") != nil) != c.see || (at(d, "movie.synopsisSubmissions") != nil) != c.mod {
			t.Errorf("%s reads the pending submission: %v", c.who, d)
		}
	}

	// Decisions are kept: who, what, when.
	const decide = `mutation($s: ID!) { %s(submissionId: $s) { status decidedAt decidedBy { username } } }`
	d := mustDo(t, mod.Token, sprintf(decide, "rejectSynopsis"), map[string]any{"s": s2}, 1)
	if at(d, "rejectSynopsis.status") != "REJECTED" || at(d, "rejectSynopsis.decidedBy.username") != mod.Username {
		t.Errorf("rejected: %v", d)
	}
	mustDo(t, mod.Token, sprintf(decide, "acceptSynopsis"), map[string]any{"s": s1}, 1)
	log := cypherRows(t, `MATCH (u:User)-[:DECIDED]->(s:SynopsisSubmission) WHERE s.submissionId IN $ids
		RETURN s.submissionId AS id, u.username AS by, s.status AS status, s.decidedAt IS NOT NULL AS dated ORDER BY s.decidedAt`,
		map[string]any{"ids": []string{mustKey(s1), mustKey(s2), mustKey(s3)}})
	if len(log) != 2 || log[0]["id"] != mustKey(s2) || log[0]["status"] != "REJECTED" || log[1]["id"] != mustKey(s1) || log[1]["status"] != "ACCEPTED" ||
		log[0]["by"] != mod.Username || log[1]["by"] != mod.Username || log[0]["dated"] != true {
		t.Errorf("decisions in the graph: %v", log)
	}
	const decided = `query($id: ID!) { node(id: $id) { ... on SynopsisSubmission { status decidedAt decidedBy { username } } } }`
	for _, c := range []struct {
		who, token, id   string
		see, decidedByOK bool
	}{
		{"moderator, rejected", mod.Token, s2, true, true},
		{"author, own rejected", author.Token, s2, true, false},
		{"other member, rejected", other.Token, s2, false, false},
		{"other member, accepted", other.Token, s1, true, false},
		{"anonymous, accepted", "", s1, true, false},
	} {
		d := mustDo(t, c.token, decided, map[string]any{"id": c.id}, 1)
		if (at(d, "node") != nil) != c.see || (at(d, "node.decidedBy.username") == mod.Username) != c.decidedByOK {
			t.Errorf("%s: %v", c.who, d)
		}
	}
	if pending := walkQueue(mod.Token); indexOf(pending, mustKey(s1)) >= 0 || indexOf(pending, mustKey(s2)) >= 0 || indexOf(pending, mustKey(s3)) < 0 {
		t.Errorf("after the decisions the queue is %v", pending)
	}

	// A demotion applies to the next request, whatever the token says.
	cypherRows(t, `MATCH (u:User {userId: $u}) SET u.role = 'USER'`, map[string]any{"u": mod.UserID})
	wantError(t, mod.Token, queue, nil, "FORBIDDEN")
	wantError(t, mod.Token, sprintf(decide, "acceptSynopsis"), map[string]any{"s": s3}, "FORBIDDEN")
	if d := mustDo(t, mod.Token, read, map[string]any{"id": s3, "m": movieID(11)}, 0); at(d, "node") != nil || at(d, "movie.synopsisSubmissions") != nil {
		t.Errorf("a demoted moderator reads: %v", d)
	}

	assertPlanUses(t, statementFor(t, `{ pendingSynopsisSubmissions(first: 5) { edges { node { text } } } }`, func(req cypher.Request, page cypher.Page) (cypher.Statement, error) {
		return cypher.PendingSynopsisSubmissions(req, mod.UserID, page)
	}), "NodeIndex")
}

func indexOf(items []string, item string) int { return slices.Index(items, item) }

func sprintf(format string, args ...any) string { return fmt.Sprintf(format, args...) }

// TestModeratorWhileServing runs `moderator` while a bundled Neo4j is supervised on the data
// directory, as `go run .` does: the command connects to that Neo4j (whose password is
// random) through the connection file instead of failing to start a second one.
func TestModeratorWhileServing(t *testing.T) {
	dir := t.TempDir()
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	sup, err := launcher.Supervise(ctx, launcher.SupervisorOptions{Options: launcher.Options{DataDir: dir, HeapMB: 512, PageCacheMB: 64}})
	if err != nil {
		t.Fatal(err)
	}
	defer sup.Stop()
	info, err := os.Stat(filepath.Join(dir, launcher.ConnectionFile))
	if err != nil || info.Mode().Perm() != 0o600 {
		t.Fatalf("connection file: %v, %v", info, err)
	}
	driver, err := neo4j.NewDriverWithContext(sup.URI, neo4j.BasicAuth(sup.Username, sup.Password, ""))
	if err != nil {
		t.Fatal(err)
	}
	defer driver.Close(context.Background())
	if _, err := neo4j.ExecuteQuery(ctx, driver, `CREATE (:User {userId: 1, username: 'Operator-Test', usernameKey: 'operator-test', role: 'USER'})`,
		nil, neo4j.EagerResultTransformer); err != nil {
		t.Fatal(err)
	}
	role := func() any {
		res, err := neo4j.ExecuteQuery(ctx, driver, `MATCH (u:User {userId: 1}) RETURN u.role AS role`, nil, neo4j.EagerResultTransformer)
		if err != nil {
			t.Fatal(err)
		}
		r, _ := res.Records[0].Get("role")
		return r
	}

	t.Setenv("NEO4J_URI", "") // the bundled Neo4j, as `go run .` uses it
	t.Setenv("NEO4J_PASSWORD", "")
	t.Setenv("NEO4J_DATA_DIR", dir)
	cfg, err := loadConfig()
	if err != nil {
		t.Fatal(err)
	}
	var out strings.Builder
	log := observe.NewLogger(io.Discard, false, slog.LevelWarn)
	if err := runModerator(ctx, log, cfg, "operator-test", &out); err != nil {
		t.Fatal(err)
	}
	if got := out.String(); !strings.Contains(got, "operator-test is now a moderator (was USER; in the bundled Neo4j of the running filmgraph") ||
		!strings.Contains(got, sup.URI) {
		t.Errorf("it says: %q", got)
	}
	if r := role(); r != "MODERATOR" {
		t.Errorf("role %v", r)
	}
	out.Reset()
	if err := runModerator(ctx, log, cfg, "OPERATOR-TEST", &out); err != nil || !strings.Contains(out.String(), "already a moderator") {
		t.Errorf("a second time: %v, %q", err, out.String())
	}
	if err := RunCommand("moderator", []string{"operator-test"}); err != nil { // the command itself
		t.Errorf("RunCommand: %v", err)
	}
	if err := RunCommand("moderator", []string{"nobody-here"}); apperr.CodeOf(err) != apperr.NotFound {
		t.Errorf("an unknown member: %v", err)
	}
	if err := sup.Stop(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, launcher.ConnectionFile)); !os.IsNotExist(err) {
		t.Errorf("the connection file outlives the Neo4j it names: %v", err)
	}
}

// A member's review score and rating of a film are one value.
func TestReviewScoreIsTheRating(t *testing.T) {
	const film = 13
	a := signUp(t, "scorer"+runTag)
	scores := func() (rating, review any) {
		t.Helper()
		rows := cypherRows(t, `MATCH (u:User {userId: $u}), (m:Movie {movieId: $m})
			RETURN head(COLLECT { MATCH (u)-[r:RATED]->(m) RETURN r.score }) AS rating,
			       head(COLLECT { MATCH (u)-[:WROTE]->(x:Review)-[:ABOUT]->(m) RETURN x.score }) AS review`, map[string]any{"u": a.UserID, "m": film})
		return rows[0]["rating"], rows[0]["review"]
	}
	before := cypherRows(t, `RETURN COUNT { (:Movie {movieId: $m})<-[:RATED]-() } AS n`, map[string]any{"m": film})[0]["n"].(int64)
	d := mustDo(t, a.Token, `mutation($m: ID!) { writeReview(movieId: $m, text: "fine", score: 8) { id score movie { ratingSummary { count } viewerState { rating review { score } } } } }`,
		map[string]any{"m": movieID(film)}, 1)
	review := at(d, "writeReview.id")
	if at(d, "writeReview.movie.viewerState.rating") != float64(8) || at(d, "writeReview.movie.viewerState.review.score") != float64(8) ||
		at(d, "writeReview.movie.ratingSummary.count") != float64(before+1) {
		t.Errorf("after writeReview: %v (rated by %d before)", d, before)
	}
	if rating, score := scores(); rating != int64(8) || score != int64(8) {
		t.Errorf("after writeReview: rating %v, review %v", rating, score)
	}
	assertCacheMatchesEdges(t, film)
	mustDo(t, a.Token, `mutation($m: ID!) { rateMovie(movieId: $m, score: 5) { id } }`, map[string]any{"m": movieID(film)}, 1)
	if rating, score := scores(); rating != int64(5) || score != int64(5) {
		t.Errorf("after rateMovie: rating %v, review %v", rating, score)
	}
	mustDo(t, a.Token, `mutation($r: ID!) { editReview(reviewId: $r, score: 9) { score } }`, map[string]any{"r": review}, 1)
	if rating, score := scores(); rating != int64(9) || score != int64(9) {
		t.Errorf("after editReview: rating %v, review %v", rating, score)
	}
	mustDo(t, a.Token, `mutation($r: ID!) { editReview(reviewId: $r, text: "better") { score } }`, map[string]any{"r": review}, 1)
	if rating, score := scores(); rating != int64(9) || score != int64(9) {
		t.Errorf("after editing the text: rating %v, review %v", rating, score)
	}
	assertCacheMatchesEdges(t, film)
	if n := cypherRows(t, `RETURN COUNT { (:Movie {movieId: $m})<-[:RATED]-() } AS n`, map[string]any{"m": film})[0]["n"]; n != before+1 {
		t.Errorf("%v ratings, want %d", n, before+1)
	}
	wantError(t, a.Token, `mutation($m: ID!) { writeReview(movieId: $m, text: "again", score: 2) { id } }`, map[string]any{"m": movieID(film)}, "CONFLICT")
	if rating, _ := scores(); rating != int64(9) {
		t.Errorf("a refused review changed the rating to %v", rating)
	}
	// Clearing the rating leaves the review its score (documented on Review.score).
	mustDo(t, a.Token, `mutation($m: ID!) { clearRating(movieId: $m) { id } }`, map[string]any{"m": movieID(film)}, 1)
	if rating, score := scores(); rating != nil || score != int64(9) {
		t.Errorf("after clearRating: rating %v, review %v", rating, score)
	}
	assertCacheMatchesEdges(t, film)
}
