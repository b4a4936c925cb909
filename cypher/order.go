package cypher

import (
	"io"
	"strconv"
	"strings"

	"filmgraph/apperr"
)

// The `orderBy` inputs of films and people (bound by gqlgen, see gqlgen.yml) and the
// ORDER BY they compile to: each key in turn, missing values last, then the unique id.

// OrderDirection is the schema's OrderDirection.
type OrderDirection string

const (
	Asc  OrderDirection = "ASC"
	Desc OrderDirection = "DESC"
)

func (e *OrderDirection) UnmarshalGQL(v any) error { return unmarshalEnum(e, v, Asc, Desc) }
func (e OrderDirection) MarshalGQL(w io.Writer)    { io.WriteString(w, strconv.Quote(string(e))) }

// MovieOrderField is the schema's MovieOrderField.
type MovieOrderField string

func (e *MovieOrderField) UnmarshalGQL(v any) error {
	return unmarshalEnum(e, v, "TITLE", "YEAR", "AVERAGE_RATING", "RATING_COUNT")
}
func (e MovieOrderField) MarshalGQL(w io.Writer) { io.WriteString(w, strconv.Quote(string(e))) }

// MovieOrder is one key of a films order.
type MovieOrder struct {
	Field     MovieOrderField `json:"field"`
	Direction *OrderDirection `json:"direction"`
}

// PersonOrderField is the schema's PersonOrderField.
type PersonOrderField string

func (e *PersonOrderField) UnmarshalGQL(v any) error {
	return unmarshalEnum(e, v, "NAME", "MOVIE_COUNT")
}
func (e PersonOrderField) MarshalGQL(w io.Writer) { io.WriteString(w, strconv.Quote(string(e))) }

// PersonOrder is one key of a people order.
type PersonOrder struct {
	Field     PersonOrderField `json:"field"`
	Direction *OrderDirection  `json:"direction"`
}

// orderKey is one key of an order input, as the compiler reads it.
type orderKey struct {
	field     string
	direction *OrderDirection
}

// compileOrder turns the keys of an order input into a stable ORDER BY: each key's
// expression (looked up in exprs, never spliced in), missing values last, then id.
func compileOrder(keys []orderKey, exprs map[string]string, id string) (string, error) {
	if len(keys) > len(exprs) {
		return "", apperr.New(apperr.BadUserInput, "`orderBy` takes at most %d keys, got %d", len(exprs), len(keys))
	}
	clauses := make([]string, 0, len(keys)+1)
	seen := map[string]bool{}
	for _, k := range keys {
		expr, ok := exprs[k.field]
		if !ok {
			return "", apperr.New(apperr.BadUserInput, "unknown order field %q", k.field)
		}
		if seen[k.field] {
			return "", apperr.New(apperr.BadUserInput, "`orderBy` names %s twice", k.field)
		}
		seen[k.field] = true
		direction := "ASC"
		if k.direction != nil && *k.direction == Desc {
			direction = "DESC"
		}
		clauses = append(clauses, expr+" IS NULL", expr+" "+direction)
	}
	return strings.Join(append(clauses, id), ", "), nil
}

// movieOrder compiles the orderBy argument of Query.movies; none (null, []) is by title.
func movieOrder(orders []*MovieOrder) (string, error) {
	if len(orders) == 0 {
		return compileOrder([]orderKey{{field: "TITLE"}}, movieOrderKeys, "{n}.movieId")
	}
	keys := make([]orderKey, len(orders))
	for i, o := range orders {
		keys[i] = orderKey{string(o.Field), o.Direction}
	}
	return compileOrder(keys, movieOrderKeys, "{n}.movieId")
}

// personOrder compiles the orderBy argument of Query.people; none (null, []) is by name.
func personOrder(orders []*PersonOrder) (string, error) {
	if len(orders) == 0 {
		return compileOrder([]orderKey{{field: "NAME"}}, personOrderKeys, "{n}.personId")
	}
	keys := make([]orderKey, len(orders))
	for i, o := range orders {
		keys[i] = orderKey{string(o.Field), o.Direction}
	}
	return compileOrder(keys, personOrderKeys, "{n}.personId")
}
