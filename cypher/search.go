package cypher

import (
	"fmt"
	"slices"
	"strings"
	"unicode"

	"filmgraph/apperr"
)

// KeyType names the concrete GraphQL type of an item of a union or interface result.
const KeyType = "#type"

// MaxSearchHits bounds the hits a search ranks, and so pages through: full-text matching
// with prefixes and typos can match thousands of films and people.
const MaxSearchHits = 1000

// searchIndexes are the full-text index of each SearchType value.
var searchIndexes = []struct {
	searchType SearchType
	index      string
}{
	{SearchMovie, "movieTitleSearch"},
	{SearchPerson, "personNameSearch"},
}

// searchCypher looks the query up in the full-text indexes of the types asked for ({lookups}:
// one CALL per index, joined by UNION ALL) and keeps the best hits as {hits}, a list of
// {node, score}. Scores of both indexes are Lucene scores of the same query, so they rank
// together.
const searchCypher = `CALL () {
  {lookups}
}
WITH node, score
ORDER BY score DESC, coalesce(node.movieId, -1), coalesce(node.personId, -1)
LIMIT $limit
WITH collect({node: node, score: score}) AS {hits}
`

const searchIndexCypher = `CALL db.index.fulltext.queryNodes('{index}', $query, {limit: $limit}) YIELD node, score
  RETURN node, score`

// Search returns the statement for req's field, Query.search: a SearchConnection over
// the hits of args' `text` among its `types`, best first.
func Search(req Request, args SearchArgs) (Statement, error) {
	b := newBuilder(req)
	f := req.Field
	query, err := LuceneQuery(args.Text)
	if err != nil {
		return Statement{}, err
	}
	var lookups []string
	for _, idx := range searchIndexes {
		if args.Types == nil || slices.Contains(args.Types, idx.searchType) {
			lookups = append(lookups, fill(searchIndexCypher, "index", idx.index))
		}
	}
	if len(lookups) == 0 {
		return Statement{}, apperr.New(apperr.BadUserInput, "argument `types` of field `search` must name MOVIE, PERSON or both")
	}
	offset, limit, err := b.page(f, args.Page)
	if err != nil {
		return Statement{}, err
	}
	b.params["query"], b.params["limit"] = query, int64(MaxSearchHits)
	hits := b.variable("hits")
	parts := []string{
		"`" + KeyTotal + "`: size(" + hits + ")",
		"`" + KeyOffset + "`: " + offset,
		"`" + KeyFirst + "`: " + limit,
	}
	for _, cf := range Collect(f.Selections, []string{"SearchConnection"}) {
		switch cf.Name {
		case "totalCount", "pageInfo", "__typename":
			continue // derived in Go from the values above
		case "edges":
		default:
			return Statement{}, fmt.Errorf("cypher: no translation for SearchConnection.%s", cf.Name)
		}
		hit, n, score := b.variable("hit"), b.variable("n"), b.variable("score")
		edge, err := searchEdge(b, n, score, cf)
		if err != nil {
			return Statement{}, err
		}
		key, err := mapKey(cf.Alias)
		if err != nil {
			return Statement{}, err
		}
		parts = append(parts, fill("{key}: COLLECT { UNWIND {hits}[{offset}..{offset} + {limit}] AS {hit} "+
			"WITH {hit}.node AS {n}, {hit}.score AS {score} ORDER BY {score} DESC, coalesce({n}.movieId, -1), coalesce({n}.personId, -1) "+
			"RETURN {edge} }", "key", key, "hits", hits, "offset", offset, "limit", limit, "hit", hit, "n", n, "score", score, "edge", edge))
	}
	return b.statement(fill(searchCypher, "lookups", strings.Join(lookups, "\n  UNION ALL\n  "), "hits", hits) +
		"RETURN {" + strings.Join(parts, ", ") + "} AS this"), nil
}

// searchEdge projects a SearchEdge of the node n (a film or a person) with its score.
func searchEdge(b *builder, n, score string, edges Field) (string, error) {
	var parts []string
	for _, cf := range Collect(edges.Selections, []string{"SearchEdge"}) {
		var expr string
		switch cf.Name {
		case "__typename", "cursor":
			continue // the cursor is derived in Go from the page's offset
		case "score":
			expr = score
		case "node":
			movie, err := b.project(movieType, scope{node: n}, cf.Selections)
			if err != nil {
				return "", err
			}
			person, err := b.project(personType, scope{node: n}, cf.Selections)
			if err != nil {
				return "", err
			}
			expr = "CASE WHEN " + n + ":Movie THEN " + typed(movie, "Movie") + " ELSE " + typed(person, "Person") + " END"
		default:
			return "", fmt.Errorf("cypher: no translation for SearchEdge.%s", cf.Name)
		}
		key, err := mapKey(cf.Alias)
		if err != nil {
			return "", err
		}
		parts = append(parts, key+": "+expr)
	}
	return "{" + strings.Join(parts, ", ") + "}", nil
}

// typed adds the type name to a projected map literal, for unions and interfaces. The
// literal may be empty ({}): a selection of __typename alone needs no key (needsKey).
func typed(projection, typeName string) string {
	if projection == "{}" {
		return "{`" + KeyType + "`: '" + typeName + "'}"
	}
	return "{`" + KeyType + "`: '" + typeName + "', " + strings.TrimPrefix(projection, "{")
}

// maxSearchWords bounds the Lucene query a search can build.
const maxSearchWords = 8

// LuceneQuery turns free text into a full-text query that forgives typos and completes the
// last word: every word must match, exactly, as a prefix or within an edit distance (one
// edit from 4 letters, two from 8). Lucene's special characters are escaped, so no input
// can be a syntax error.
func LuceneQuery(text string) (string, error) {
	words := strings.FieldsFunc(strings.ToLower(text), func(r rune) bool {
		return unicode.IsSpace(r) || r == '-' || r == '/'
	})
	if n := len([]rune(text)); n < 1 || n > maxTextLength || len(words) == 0 {
		return "", apperr.New(apperr.BadUserInput, "`text` must hold a word and be at most %d characters long", maxTextLength)
	}
	if len(words) > maxSearchWords {
		words = words[:maxSearchWords]
	}
	clauses := make([]string, len(words))
	for i, word := range words {
		term := escapeLucene(word)
		alternatives := []string{term + "^2", term + "*"}
		switch n := len([]rune(word)); {
		case n >= 8:
			alternatives = append(alternatives, term+"~2")
		case n >= 4:
			alternatives = append(alternatives, term+"~1")
		}
		clauses[i] = "+(" + strings.Join(alternatives, " ") + ")"
	}
	return strings.Join(clauses, " "), nil
}

// escapeLucene backslash-escapes the characters Lucene's query parser treats specially.
func escapeLucene(s string) string {
	var b strings.Builder
	for _, r := range s {
		if strings.ContainsRune(`+-&|!(){}[]^"~*?:\/`, r) {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}
