package cypher_test

import (
	"strings"
	"testing"

	"filmgraph/auth"
	"filmgraph/cypher"
	"filmgraph/internal/translatetest"
)

// request builds the request of the first top-level field in query, as the resolvers
// do, with viewer v when v.UserID != 0.
func request(t *testing.T, query string, v auth.Viewer) cypher.Request {
	t.Helper()
	req := translatetest.Request(t, loadSchema(t), query)
	if v.UserID != 0 {
		req.Viewer = &v
	}
	return req
}

func TestAfterWriteAppendsTheProjection(t *testing.T) {
	req := request(t, `mutation { rateMovie(movieId: "x", score: 5) { id title viewerState { rating } } }`, auth.Viewer{UserID: 7, Role: auth.RoleUser})
	stmt, err := cypher.AfterWrite(req, "Movie", "MATCH (this:Movie {movieId: $movieId}) WITH this, 'OK' AS status", map[string]any{"movieId": int64(1)})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(stmt.Text, "MATCH (this:Movie {movieId: $movieId})") ||
		!strings.Contains(stmt.Text, "RETURN {status: status, result: CASE status WHEN 'OK' THEN {`#key`: this.movieId, `title`: this.title") ||
		!strings.HasSuffix(stmt.Text, "END} AS this") {
		t.Errorf("statement:\n%s", stmt.Text)
	}
	if stmt.Params["movieId"] != int64(1) || stmt.Params["p0"] != int64(7) {
		t.Errorf("params: %v", stmt.Params)
	}

	if _, err := cypher.AfterWrite(req, "Movie", "WITH 1 AS this, 'OK' AS status", map[string]any{"p0": 1}); err == nil {
		t.Error("a write parameter named like the builder's was accepted")
	}
	if _, err := cypher.AfterWrite(req, "Nope", "", nil); err == nil {
		t.Error("an unknown type was accepted")
	}
}

func TestViewerDependentFields(t *testing.T) {
	const query = `{ movie(id: "x") { viewerState { rating } lists { totalCount } synopsisSubmissions { id } } }`
	for _, c := range []struct {
		name                  string
		viewer                auth.Viewer
		state, private, queue bool
	}{
		{"anonymous", auth.Viewer{}, false, false, false},
		// The queue is projected for every member, behind the role read from the database:
		// the token's role may be stale.
		{"member", auth.Viewer{UserID: 7, Role: auth.RoleUser}, true, true, true},
		{"moderator", auth.Viewer{UserID: 8, Role: auth.RoleModerator}, true, true, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			stmt, err := cypher.Movie(request(t, query, c.viewer), 1)
			if err != nil {
				t.Fatal(err)
			}
			if got := !strings.Contains(stmt.Text, "`viewerState`: null"); got != c.state {
				t.Errorf("viewerState projected: %v\n%s", got, stmt.Text)
			}
			if got := strings.Contains(stmt.Text, "-[:CREATED]->"); got != c.private {
				t.Errorf("own private lists included: %v\n%s", got, stmt.Text)
			}
			if got := !strings.Contains(stmt.Text, "`synopsisSubmissions`: null"); got != c.queue {
				t.Errorf("submissions projected: %v\n%s", got, stmt.Text)
			}
			if got := strings.Contains(stmt.Text, ".role = 'MODERATOR' } THEN COLLECT"); got != c.queue {
				t.Errorf("submissions behind the role in the database: %v\n%s", got, stmt.Text)
			}
		})
	}
}

func TestWritesCarryTheirOutcomes(t *testing.T) {
	req := request(t, `mutation { addToWatchlist(movieId: "x") { title } }`, auth.Viewer{UserID: 7, Role: auth.RoleUser})
	w, err := cypher.Shelve(req, 7, 42, cypher.Watchlist, true)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(w.Text, "MERGE (viewer)-[s:WANTS_TO_WATCH]->(m)") || !strings.HasSuffix(w.Text, "END} AS this") {
		t.Errorf("statement:\n%s", w.Text)
	}
	if w.ViewerID != 7 || w.Params["viewerId"] != int64(7) || w.Params["movieId"] != int64(42) || w.NoRow == nil {
		t.Errorf("write %+v", w)
	}
	if _, err := cypher.Shelve(req, 7, 42, cypher.Shelf("x]->() DETACH DELETE m //"), true); err == nil {
		t.Error("a shelf that is none of the constants was accepted")
	}
	signUp, err := cypher.SignUp(request(t, `mutation { signUp(username: "a", email: "b", password: "c") { token } }`, auth.Viewer{}), "ann", "Ann@Example.org", "hash")
	if err != nil {
		t.Fatal(err)
	}
	if signUp.ViewerID != 0 || signUp.Params["emailKey"] != "ann@example.org" {
		t.Errorf("sign-up acts for nobody and keys the email in lower case: %+v", signUp)
	}
}
