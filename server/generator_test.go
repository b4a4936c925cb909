package server

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/http"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/99designs/gqlgen/complexity"
	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"

	"filmgraph/graph"
	"filmgraph/relay"
)

// queryGenerator writes random valid queries from the schema: random fields of every type,
// nested up to maxDepth, with arguments that are mostly valid (known ids, small pages) and
// sometimes not (unknown ids, out-of-range pages, bad cursors), and random aliases.
type queryGenerator struct {
	schema   *ast.Schema
	rnd      *rand.Rand
	maxDepth int
	aliases  int
}

// ids are the values the generator gives ID arguments: known entities, unknown ones,
// ids of the wrong type and garbage.
var generatorIDs = []string{
	relay.ID("Movie", "80969"), relay.ID("Movie", "1"), relay.ID("Movie", "2571"), relay.ID("Movie", "999999999"),
	relay.ID("Genre", "Science Fiction"), relay.ID("Genre", "Film-Noir"), relay.ID("Person", "2363"), relay.ID("Person", "999999999"), "not-an-id",
}

func (g *queryGenerator) query() string {
	g.aliases = 0
	return "{" + g.selection(g.schema.Query, 1) + " }"
}

// selection returns 1 to 3 fields of t (depth is the level of these fields).
func (g *queryGenerator) selection(t *ast.Definition, depth int) string {
	var b strings.Builder
	if t.Kind == ast.Interface || t.Kind == ast.Union {
		// An interface or union: its own fields, and fragments on some of its members.
		b.WriteString(" __typename")
		for _, impl := range g.schema.GetPossibleTypes(t) {
			if g.rnd.IntN(2) == 0 {
				b.WriteString(" ... on " + impl.Name + " {" + g.selection(impl, depth) + " }")
			}
		}
		t = &ast.Definition{Fields: t.Fields}
	}
	var candidates ast.FieldList
	for _, f := range t.Fields {
		if strings.HasPrefix(f.Name, "_") {
			continue // introspection, and federation's fields for gateways (federation_test.go)
		}
		leaf := g.schema.Types[f.Type.Name()].Kind == ast.Scalar || g.schema.Types[f.Type.Name()].Kind == ast.Enum
		if depth < g.maxDepth || leaf {
			candidates = append(candidates, f)
		}
	}
	if len(candidates) == 0 {
		return " __typename"
	}
	for range 1 + g.rnd.IntN(3) {
		f := candidates[g.rnd.IntN(len(candidates))]
		b.WriteString(" ")
		// A field with arguments always gets its own response name, since the same field
		// with other arguments cannot share one; others sometimes.
		if len(f.Arguments) > 0 || g.rnd.IntN(4) == 0 {
			g.aliases++
			fmt.Fprintf(&b, "a%d: ", g.aliases)
		}
		b.WriteString(f.Name + g.arguments(f))
		if def := g.schema.Types[f.Type.Name()]; def.Kind == ast.Object || def.Kind == ast.Interface || def.Kind == ast.Union {
			b.WriteString(" {" + g.selection(def, depth+1) + " }")
		}
	}
	return b.String()
}

func (g *queryGenerator) arguments(f *ast.FieldDefinition) string {
	var args []string
	for _, a := range f.Arguments {
		switch {
		case f.Name == "movieByExternalId" && a.Name == "id":
			args = append(args, fmt.Sprintf("id: %q", []string{"80969", "tt1334260", "862", "tt0", "999999999"}[g.rnd.IntN(5)]))
		case a.Name == "source":
			args = append(args, "source: "+[]string{"MOVIELENS", "IMDB", "TMDB"}[g.rnd.IntN(3)])
		case a.Name == "id":
			args = append(args, fmt.Sprintf("id: %q", generatorIDs[g.rnd.IntN(len(generatorIDs))]))
		case a.Name == "name":
			args = append(args, fmt.Sprintf("name: %q", []string{"Science Fiction", "Film-Noir", "Drama", "No Such Genre"}[g.rnd.IntN(4)]))
		case a.Name == "ids":
			ids := make([]string, 1+g.rnd.IntN(3))
			for i := range ids {
				ids[i] = fmt.Sprintf("%q", generatorIDs[g.rnd.IntN(len(generatorIDs))])
			}
			args = append(args, "ids: ["+strings.Join(ids, ", ")+"]")
		case a.Name == "username":
			args = append(args, fmt.Sprintf("username: %q", []string{"bluemeanie", "ml-1", "nobody-here"}[g.rnd.IntN(3)]))
		case a.Name == "text":
			args = append(args, fmt.Sprintf("text: %q", []string{"never let", "romanik", "Carey Mulligan", "noir", "x", ""}[g.rnd.IntN(6)]))
		case a.Name == "from" || a.Name == "to":
			args = append(args, fmt.Sprintf("%s: %q", a.Name, relay.ID("Person", strconv.Itoa(1+g.rnd.IntN(200)))))
		case a.Name == "maxHops":
			args = append(args, "maxHops: "+strconv.Itoa(1+g.rnd.IntN(3)))
		case a.Name == "first" && g.rnd.IntN(3) > 0:
			first := 1 + g.rnd.IntN(3)
			if g.rnd.IntN(20) == 0 {
				first = []int{0, 101, -1}[g.rnd.IntN(3)]
			}
			args = append(args, "first: "+strconv.Itoa(first))
		case a.Name == "after" && g.rnd.IntN(4) == 0:
			after := relay.Cursor(g.rnd.IntN(5))
			if g.rnd.IntN(5) == 0 {
				after = "garbage!"
			}
			args = append(args, fmt.Sprintf("after: %q", after))
		case a.Type.NonNull:
			panic("queryGenerator: no value for required argument " + f.Name + "." + a.Name)
		}
	}
	if len(args) == 0 {
		return ""
	}
	return "(" + strings.Join(args, ", ") + ")"
}

// TestRandomValidQueries sends random valid queries, nested up to the depth limit, and
// requires each to answer 200 with data or errors (a failed non-null field nulls the whole
// data, as GraphQL says), every error coded BAD_USER_INPUT (the deliberately bad arguments) or UNAUTHENTICATED (the viewer's own fields),
// no more database round trips than top-level fields, and every value of a top-level field
// equal to what an independent Cypher query reads (differential_test.go).
// FILMGRAPH_GENERATOR_SEED replays a run.
func TestRandomValidQueries(t *testing.T) {
	seed := uint64(rand.Int64())
	if s := os.Getenv("FILMGRAPH_GENERATOR_SEED"); s != "" {
		seed, _ = strconv.ParseUint(s, 10, 64)
	}
	t.Logf("FILMGRAPH_GENERATOR_SEED=%d", seed)
	es := graph.NewExecutableSchema(graph.Config{Complexity: graph.Complexity()})
	g := &queryGenerator{schema: es.Schema(), rnd: rand.New(rand.NewPCG(seed, 1))}
	n := 100
	if testing.Short() {
		n = 30
	}
	sent, overBudget, compared, depths := 0, 0, 0, map[int]int{}
	for sent < n {
		g.maxDepth = 2 + g.rnd.IntN(testConfig.graphql.MaxDepth-1)
		query := g.query()
		doc, errs := gqlparser.LoadQuery(es.Schema(), query)
		if errs != nil {
			t.Fatalf("the generator wrote an invalid query: %v\n%s", errs, query)
		}
		if complexity.Calculate(context.Background(), es, doc.Operations[0], nil) > testConfig.graphql.MaxComplexity ||
			g.aliases > testConfig.graphql.MaxAliases {
			overBudget++ // rejected before it runs; TestLimitsRejectWithCodes covers that
			continue
		}
		sent++
		depths[g.maxDepth]++
		status, resp, trips := post(t, query, nil)
		noData := resp.Data == nil || string(resp.Data) == "null"
		if status != http.StatusOK || (noData && len(resp.Errors) == 0) {
			t.Fatalf("status %d, data %s, errors %+v\n%s", status, resp.Data, resp.Errors, query)
		}
		for _, c := range resp.codes() {
			// UNAUTHENTICATED: the viewer's own fields (recommendationsForMe) ask for a token.
			if c != "BAD_USER_INPUT" && c != "UNAUTHENTICATED" {
				t.Fatalf("error coded %q: %+v\n%s", c, resp.Errors, query)
			}
		}
		if top := len(doc.Operations[0].SelectionSet); trips > int64(top) {
			t.Errorf("%d round trips for %d top-level fields\n%s", trips, top, query)
		}
		before := compared
		compared += checkAgainstCypher(t, doc.Operations[0], resp)
		if t.Failed() {
			t.Fatalf("%d values compared; the query was:\n%s", compared-before, query)
		}
	}
	if compared == 0 {
		t.Error("no value was compared with an independent Cypher query")
	}
	t.Logf("%d queries answered (depth limits %v), %d values compared with independent Cypher; %d over the complexity or alias budget not sent",
		sent, depths, compared, overBudget)
}
