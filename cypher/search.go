package cypher

import (
	"strings"
	"unicode"

	"filmgraph/apperr"
)

// KeyType names the concrete GraphQL type of an item of a union or interface result.
const KeyType = "#type"

// searchCypher looks the query up in both full-text indexes and keeps the best hits.
// Scores of the two indexes are both Lucene scores of the same query, so they rank together.
const searchCypher = `CALL {
  CALL db.index.fulltext.queryNodes('movieTitleSearch', $query, {limit: $first}) YIELD node, score
  RETURN node, score
  UNION ALL
  CALL db.index.fulltext.queryNodes('personNameSearch', $query, {limit: $first}) YIELD node, score
  RETURN node, score
}
WITH node, score
ORDER BY score DESC, coalesce(node.movieId, -1), coalesce(node.personId, -1)
LIMIT $first
`

// Search returns the statement for req's field, Query.search: one row per hit,
// best first, each a SearchResult projection.
func Search(req Request, text string, first int64) (Statement, error) {
	f := req.Field
	if first < 1 || first > MaxPageSize {
		return Statement{}, apperr.New(apperr.BadUserInput, "argument `first` of field `search` must be between 1 and %d, got %d", MaxPageSize, first)
	}
	query, err := LuceneQuery(text)
	if err != nil {
		return Statement{}, err
	}
	b := newBuilder(req)
	b.params["query"], b.params["first"] = query, first
	var parts []string
	for _, cf := range Collect(f.Selections, []string{"SearchResult"}) {
		var expr string
		switch cf.Name {
		case "__typename":
			continue
		case "score":
			expr = "score"
		case "item":
			movie, err := b.project(movieType, scope{node: "node"}, cf.Selections)
			if err != nil {
				return Statement{}, err
			}
			person, err := b.project(personType, scope{node: "node"}, cf.Selections)
			if err != nil {
				return Statement{}, err
			}
			expr = "CASE WHEN node:Movie THEN " + typed(movie, "Movie") + " ELSE " + typed(person, "Person") + " END"
		default:
			return Statement{}, apperr.New(apperr.Internal, "cypher: no translation for SearchResult.%s", cf.Name)
		}
		key, err := mapKey(cf.Alias)
		if err != nil {
			return Statement{}, err
		}
		parts = append(parts, key+": "+expr)
	}
	return b.statement(searchCypher + "RETURN {" + strings.Join(parts, ", ") + "} AS this"), nil
}

// typed adds the type name to a projected map literal, for unions and interfaces.
func typed(projection, typeName string) string {
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
