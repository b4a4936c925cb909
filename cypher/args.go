package cypher

import (
	"io"
	"strconv"

	"filmgraph/apperr"
)

// The typed arguments of the top-level fields, as gqlgen decodes them for their resolvers
// (schema defaults applied, a single value coerced to a list): a resolver passes them
// explicitly, and the translation never reads them back out of Field.Args. Nested fields
// have no resolver of their own; they read Field.Args (see pageOf). The JSON names are the
// schema's.

// Page holds the paging arguments of a connection. First takes the schema's default when
// the query does not write it; Field.Gives("first") tells the two apart.
type Page struct {
	First  *int64  `json:"first"`
	After  *string `json:"after"`
	Last   *int64  `json:"last"`
	Before *string `json:"before"`
}

// MovieFilter is the schema's MovieFilter, the older form of MovieWhere.
type MovieFilter struct {
	Genres           []string `json:"genres"`
	YearFrom         *int64   `json:"yearFrom"`
	YearTo           *int64   `json:"yearTo"`
	MinAverageRating *float64 `json:"minAverageRating"`
	MaxAverageRating *float64 `json:"maxAverageRating"`
	MinRatingCount   *int64   `json:"minRatingCount"`
	TitleContains    *string  `json:"titleContains"`
}

// PersonFilter is the schema's PersonFilter, the older form of PersonWhere.
type PersonFilter struct {
	NameContains *string `json:"nameContains"`
}

// MoviesArgs are the arguments of Query.movies.
type MoviesArgs struct {
	Filter  *MovieFilter  `json:"filter"`
	Where   *MovieWhere   `json:"where"`
	OrderBy []*MovieOrder `json:"orderBy"`
	Page
}

// PeopleArgs are the arguments of Query.people.
type PeopleArgs struct {
	Filter  *PersonFilter  `json:"filter"`
	Where   *PersonWhere   `json:"where"`
	OrderBy []*PersonOrder `json:"orderBy"`
	Page
}

// SearchType is the schema's SearchType.
type SearchType string

const (
	SearchMovie  SearchType = "MOVIE"
	SearchPerson SearchType = "PERSON"
)

func (e *SearchType) UnmarshalGQL(v any) error { return unmarshalEnum(e, v, SearchMovie, SearchPerson) }
func (e SearchType) MarshalGQL(w io.Writer)    { io.WriteString(w, strconv.Quote(string(e))) }

// SearchArgs are the arguments of Query.search.
type SearchArgs struct {
	Text string `json:"text"`
	// Types are the kinds of hits to look for: nil (absent or null) for every kind; an
	// empty list names none, which is an error.
	Types []SearchType `json:"types"`
	Page
}

// TrendingArgs are the arguments of Query.trending.
type TrendingArgs struct {
	Days *int64 `json:"days"`
	Page
}

// pageOf reads the paging arguments of a nested field out of its decoded argument map.
func pageOf(f Field) (Page, error) {
	var p Page
	for _, arg := range []struct {
		name string
		to   **int64
	}{{"first", &p.First}, {"last", &p.Last}} {
		raw := f.Args[arg.name]
		if raw == nil {
			continue
		}
		n, ok := toInt(raw)
		if !ok {
			return p, pageSizeError(f, arg.name, raw)
		}
		*arg.to = &n
	}
	if cursor, ok := f.Args["after"].(string); ok {
		p.After = &cursor
	}
	if cursor, ok := f.Args["before"].(string); ok {
		p.Before = &cursor
	}
	return p, nil
}

// pageSizeError says that argument arg (`first` or `last`) of f is out of its range.
func pageSizeError(f Field, arg string, got any) error {
	return apperr.New(apperr.BadUserInput, "argument `%s` of field `%s` must be between 1 and %d, got %v", arg, f.Name, MaxPageSize, got)
}

// shown is an optional number as an error message shows it: the number, or <nil>.
func shown[T any](v *T) any {
	if v == nil {
		return nil
	}
	return *v
}
