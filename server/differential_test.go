package server

import (
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/vektah/gqlparser/v2/ast"

	"filmgraph/relay"
)

// The differential check of TestRandomValidQueries: each top-level field of a generated
// query is read again with a plain Cypher statement of its own, and every value both
// answers name is compared, so a projection that returns wrong data fails the test.

// expected builds, from a top-level field's arguments (defaults applied), what the field
// must answer: nil for null, else the value in the shape of the GraphQL result, keyed by
// field name (not response name). Only the fields it holds are compared.
type expected func(t *testing.T, args map[string]any) any

// independentReads is the table: Query field -> its independent reading.
var independentReads = map[string]expected{
	"movie":  func(t *testing.T, a map[string]any) any { return nodeOfType(t, "Movie", a["id"]) },
	"person": func(t *testing.T, a map[string]any) any { return nodeOfType(t, "Person", a["id"]) },
	"genre":  func(t *testing.T, a map[string]any) any { return node(t, "Genre", a["name"].(string)) },
	"node":   func(t *testing.T, a map[string]any) any { return nodeOfType(t, "", a["id"]) },
	"nodes": func(t *testing.T, a map[string]any) any {
		var nodes []any
		for _, id := range a["ids"].([]any) {
			nodes = append(nodes, nodeOfType(t, "", id))
		}
		return nodes
	},
	"movies": func(t *testing.T, a map[string]any) any {
		return page(t, a, `MATCH (m:Movie) RETURN count(m) AS total`, `MATCH (m:Movie)
RETURN m.movieId AS key ORDER BY m.title, m.movieId SKIP $skip LIMIT $first`, "Movie")
	},
	"genres": func(t *testing.T, a map[string]any) any {
		return page(t, a, `MATCH (g:Genre) RETURN count(g) AS total`, `MATCH (g:Genre)
RETURN g.name AS key ORDER BY g.name SKIP $skip LIMIT $first`, "Genre")
	},
	"people": func(t *testing.T, a map[string]any) any {
		return page(t, a, `MATCH (p:Person) RETURN count(p) AS total`, `MATCH (p:Person)
RETURN p.personId AS key ORDER BY p.name, p.personId SKIP $skip LIMIT $first`, "Person")
	},
	"tag": func(t *testing.T, a map[string]any) any { return node(t, "Tag", strings.ToLower(a["name"].(string))) },
	"recentReviews": func(t *testing.T, a map[string]any) any {
		return page(t, a, `MATCH (r:Review) RETURN count(r) AS total`, `MATCH (r:Review)
RETURN r.reviewId AS key ORDER BY r.addedAt DESC, r.reviewId SKIP $skip LIMIT $first`, "Review")
	},
	"movieByExternalId": func(t *testing.T, a map[string]any) any {
		// The generator's ids: a MovieLens id, an IMDb id, a TMDB id, tt0 (malformed), an unknown one.
		key := map[string]string{"80969": "movieId", "tt1334260": "imdbId", "862": "tmdbId"}[a["id"].(string)]
		if key == "" || key != map[string]string{"MOVIELENS": "movieId", "IMDB": "imdbId", "TMDB": "tmdbId"}[a["source"].(string)] {
			return nil
		}
		row := one(t, `MATCH (m:Movie) WHERE m.movieId = 80969 AND $key = 'movieId' OR m.imdbId = '1334260' AND $key = 'imdbId'
			OR m.tmdbId = '862' AND $key = 'tmdbId' RETURN m.movieId AS key`, map[string]any{"key": key})
		if row == nil {
			return nil
		}
		return node(t, "Movie", fmt.Sprint(row.(map[string]any)["key"]))
	},
	"user": func(t *testing.T, a map[string]any) any {
		return one(t, `MATCH (u:User {username: $username})
RETURN u.username AS username, u.joinedAt AS joinedAt, COUNT { (u)-[:RATED]->(:Movie) } AS ratingsCount`,
			map[string]any{"username": a["username"]})
	},
	"me": func(*testing.T, map[string]any) any { return nil }, // the generator's requests are anonymous
}

// notCompared are the Query fields without a simple independent reading; their codes and
// round trips are still checked.
var notCompared = map[string]string{
	"search":               "ranked by a full-text score",
	"trending":             "TestTrending walks whole lists against Cypher",
	"pathBetween":          "any of several shortest chains is right",
	"recommendationsForMe": "anonymous: UNAUTHENTICATED",
}

// nodeCypher reads the scalar fields of each node type, as GraphQL names them, by its key.
// A film's MovieLens id is its key, below 500001 (seed.FirstWikipediaOnlyMovieID); the films
// found only on Wikipedia have none.
var nodeCypher = map[string]string{
	"Movie": `MATCH (m:Movie {movieId: $key})
RETURN CASE WHEN m.movieId < 500001 THEN m.movieId END AS movieLensId, m.title AS title, m.year AS year, m.synopsis AS synopsis, m.plot AS plot,
       {count: COUNT { (m)<-[:RATED]-(:User) }} AS ratingSummary`,
	"Person": `MATCH (p:Person {personId: $key}) RETURN p.name AS name`,
	"Genre":  `MATCH (g:Genre {name: $key}) RETURN g.name AS name, COUNT { (g)<-[:IN_GENRE]-(:Movie) } AS movieCount`,
	"Tag":    `MATCH (t:Tag {name: $key}) RETURN t.name AS name, COUNT { (t)<-[:TAGGED]-(:Movie) } AS movieCount`,
	"Review": `MATCH (r:Review {reviewId: $key}) RETURN r.text AS text, r.score AS score`,
}

// nodeOfType reads the node of a global id; want is the type the field returns ("" for
// any node type): an id of another type, or of nothing, is null.
func nodeOfType(t *testing.T, want string, id any) any {
	typeName, key, err := relay.ParseID(id.(string))
	if err != nil || (want != "" && typeName != want) || nodeCypher[typeName] == "" {
		return nil
	}
	return node(t, typeName, key)
}

// node reads one node by type and key (a string; numeric for films and people).
func node(t *testing.T, typeName, key string) any {
	var param any = key
	if typeName == "Movie" || typeName == "Person" { // the others have string keys
		n, err := strconv.ParseInt(key, 10, 64)
		if err != nil {
			return nil
		}
		param = n
	}
	row, _ := one(t, nodeCypher[typeName], map[string]any{"key": param}).(map[string]any)
	if row == nil {
		return nil
	}
	row["__typename"], row["id"] = typeName, relay.ID(typeName, key)
	return row
}

// one returns the only row of query, or nil without one.
func one(t *testing.T, query string, params map[string]any) any {
	t.Helper()
	switch rows := cypherRows(t, query, params); len(rows) {
	case 0:
		return nil
	case 1:
		return rows[0]
	default:
		t.Fatalf("%d rows for %s", len(rows), query)
		return nil
	}
}

// page reads a connection's page: the count, then the keys of the page's nodes in order.
func page(t *testing.T, args map[string]any, count, keys, typeName string) any {
	skip := 0
	if after, ok := args["after"].(string); ok {
		offset, err := relay.ParseCursor(&after)
		if err != nil {
			return nil // BAD_USER_INPUT, checked by its code
		}
		skip = offset + 1
	}
	first := int(args["first"].(int64))
	total := cypherRows(t, count, nil)[0]["total"].(int64)
	var edges []any
	for _, row := range cypherRows(t, keys, map[string]any{"skip": skip, "first": first}) {
		// Cursors are opaque (keys, not offsets); paging with them is checked by
		// TestConnectionsWalkBothWays.
		edges = append(edges, map[string]any{"node": node(t, typeName, fmt.Sprint(row["key"]))})
	}
	return map[string]any{
		"totalCount": total,
		"edges":      edges,
		"pageInfo":   map[string]any{"hasNextPage": int64(skip+first) < total, "hasPreviousPage": skip > 0},
	}
}

// checkAgainstCypher compares the answer of each top-level field of op that has an
// independent reading, unless the field has an error (its code is checked elsewhere). It
// returns how many values it compared.
func checkAgainstCypher(t *testing.T, op *ast.OperationDefinition, resp gqlResponse) int {
	t.Helper()
	var data map[string]any
	if err := json.Unmarshal(resp.Data, &data); err != nil || data == nil {
		return 0 // no data: a failed non-null field, checked by its code
	}
	failed := map[string]bool{}
	for _, e := range resp.Errors {
		if len(e.Path) > 0 {
			failed[fmt.Sprint(e.Path[0])] = true
		}
	}
	c := &comparison{t: t}
	for _, sel := range op.SelectionSet {
		f, ok := sel.(*ast.Field)
		if !ok || failed[f.Alias] || f.Name == "__typename" {
			continue
		}
		read, ok := independentReads[f.Name]
		if !ok {
			if _, skip := notCompared[f.Name]; !skip {
				t.Fatalf("Query.%s has no independent reading: add it to independentReads (or to notCompared, with why)", f.Name)
			}
			continue
		}
		c.value(f.Alias, f.SelectionSet, data[f.Alias], read(t, f.ArgumentMap(nil)))
	}
	return c.compared
}

// comparison walks a result along its selection set next to the expected value.
type comparison struct {
	t        *testing.T
	compared int
}

func (c *comparison) value(path string, sel ast.SelectionSet, got, want any) {
	c.t.Helper()
	switch w := want.(type) {
	case nil:
		c.same(path, got, nil)
	case map[string]any:
		g, ok := got.(map[string]any)
		if !ok {
			c.t.Errorf("%s: got %v, want an object like %v", path, got, w)
			return
		}
		c.object(path, sel, g, w)
	case []any:
		g, ok := got.([]any)
		if !ok || len(g) != len(w) {
			c.t.Errorf("%s: got %d items (%v), want %d (%v)", path, len(g), got, len(w), w)
			return
		}
		for i := range w {
			c.value(fmt.Sprintf("%s.%d", path, i), sel, g[i], w[i])
		}
	default:
		c.same(path, got, want)
	}
}

// object compares the fields of sel that want holds; an inline fragment counts when it is
// on want's type.
func (c *comparison) object(path string, sel ast.SelectionSet, got, want map[string]any) {
	c.t.Helper()
	for _, s := range sel {
		switch s := s.(type) {
		case *ast.Field:
			if w, ok := want[s.Name]; ok {
				c.value(path+"."+s.Alias, s.SelectionSet, got[s.Alias], w)
			}
		case *ast.InlineFragment:
			if s.TypeCondition == "" || s.TypeCondition == want["__typename"] {
				c.object(path, s.SelectionSet, got, want)
			}
		}
	}
}

// same compares a JSON scalar with a value Neo4j returned.
func (c *comparison) same(path string, got, want any) {
	c.t.Helper()
	c.compared++
	equal := false
	switch w := want.(type) {
	case int64:
		g, ok := got.(float64)
		equal = ok && g == float64(w)
	case float64:
		g, ok := got.(float64)
		equal = ok && math.Abs(g-w) < 1e-9
	case time.Time:
		s, _ := got.(string)
		g, err := time.Parse(time.RFC3339Nano, s)
		equal = err == nil && g.Equal(w)
	default:
		equal = got == want
	}
	if !equal {
		c.t.Errorf("%s: got %v, an independent Cypher query says %v", path, got, want)
	}
}
