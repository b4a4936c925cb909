package main

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"filmgraph/cypher"
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

	assertPlanUses(t, statementFor(t, `{ pendingSynopsisSubmissions(first: 5) { edges { node { text } } } }`, func(ctx context.Context) (cypher.Statement, error) {
		return cypher.PendingSynopsisSubmissions(ctx, mod.UserID)
	}), "NodeIndex")
}

func indexOf(items []string, item string) int { return slices.Index(items, item) }

func sprintf(format string, args ...any) string { return fmt.Sprintf(format, args...) }
