package cypher_test

import (
	"context"
	"strings"
	"testing"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2"

	"filmgraph/auth"
	"filmgraph/cypher"
)

// fieldContext puts the operation and its first top-level field of rootType in a context,
// as gqlgen does, with viewer v when v.UserID != 0.
func fieldContext(t *testing.T, query, rootType string, v auth.Viewer) context.Context {
	t.Helper()
	doc, errs := gqlparser.LoadQuery(loadSchema(t), query)
	if errs != nil {
		t.Fatalf("invalid query: %v", errs)
	}
	op := doc.Operations[0]
	opCtx := &graphql.OperationContext{RawQuery: query, Doc: doc, Operation: op, Variables: map[string]any{}}
	ctx := graphql.WithOperationContext(context.Background(), opCtx)
	field := graphql.CollectFields(opCtx, op.SelectionSet, []string{rootType})[0]
	ctx = graphql.WithFieldContext(ctx, &graphql.FieldContext{Field: field})
	if v.UserID != 0 {
		ctx = auth.WithViewer(ctx, v)
	}
	return ctx
}

func TestAfterWriteAppendsTheProjection(t *testing.T) {
	ctx := fieldContext(t, `mutation { rateMovie(movieId: "x", score: 5) { id title viewerState { rating } } }`, "Mutation", auth.Viewer{UserID: 7, Role: auth.RoleUser})
	stmt, err := cypher.AfterWrite(ctx, "Movie", "MATCH (this:Movie {movieId: $movieId}) WITH this, 'OK' AS status", map[string]any{"movieId": int64(1)})
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

	if _, err := cypher.AfterWrite(ctx, "Movie", "WITH 1 AS this, 'OK' AS status", map[string]any{"p0": 1}); err == nil {
		t.Error("a write parameter named like the builder's was accepted")
	}
	if _, err := cypher.AfterWrite(ctx, "Nope", "", nil); err == nil {
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
			stmt, err := cypher.Movie(fieldContext(t, query, "Query", c.viewer), 1)
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
