package cypher_test

import (
	"slices"
	"strings"
	"testing"

	"filmgraph/cypher"
	"filmgraph/internal/translatetest"
)

// TestRootFieldsTranslateTheirTypedArguments: a top-level field's translation reads the
// typed arguments its resolver passes, not the field's argument map (emptied here).
func TestRootFieldsTranslateTheirTypedArguments(t *testing.T) {
	schema := loadSchema(t)
	request := func(query string) cypher.Request {
		req := translatetest.Request(t, schema, query)
		req.Field.Args = nil
		return req
	}
	params := func(stmt cypher.Statement, err error) []any {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		var values []any
		for _, v := range stmt.Params {
			values = append(values, v)
		}
		return values
	}
	year, five, days := int64(1999), int64(5), int64(7)
	title := "matrix"

	movies := params(cypher.Movies(request(`{ movies { totalCount edges { node { title } } } }`), cypher.MoviesArgs{
		Filter:  &cypher.MovieFilter{YearFrom: &year, TitleContains: &title},
		OrderBy: []*cypher.MovieOrder{{Field: "YEAR"}},
		Page:    cypher.Page{First: &five},
	}))
	for _, want := range []any{year, title, five} {
		if !slices.Contains(movies, want) {
			t.Errorf("movies: parameters %v lack %v", movies, want)
		}
	}
	if _, err := cypher.Movies(request(`{ movies { totalCount } }`), cypher.MoviesArgs{Page: cypher.Page{First: new(int64)}}); err == nil {
		t.Error("movies: a typed first of 0 was accepted")
	}

	name := "Nolan"
	people := params(cypher.People(request(`{ people { totalCount } }`), cypher.PeopleArgs{
		Filter: &cypher.PersonFilter{NameContains: &name}, Page: cypher.Page{First: &five},
	}))
	if !slices.Contains(people, any("nolan")) {
		t.Errorf("people: parameters %v lack the name filter", people)
	}

	stmt, err := cypher.Search(request(`{ search(text: "x") { totalCount } }`), cypher.SearchArgs{
		Text: "Heat", Types: []cypher.SearchType{cypher.SearchPerson}, Page: cypher.Page{First: &five},
	})
	if err != nil || strings.Contains(stmt.Text, "movieTitleSearch") || !strings.Contains(stmt.Text, "personNameSearch") {
		t.Errorf("search of people only: %v\n%s", err, stmt.Text)
	}

	trending := params(cypher.Trending(request(`{ trending { totalCount } }`), cypher.TrendingArgs{Days: &days, Page: cypher.Page{First: &five}}))
	if !slices.Contains(trending, any(days)) {
		t.Errorf("trending: parameters %v lack the window of 7 days", trending)
	}
	if _, err := cypher.Trending(request(`{ trending { totalCount } }`), cypher.TrendingArgs{Page: cypher.Page{First: &five}}); err == nil {
		t.Error("trending: no window was accepted")
	}

	genres := params(cypher.Genres(request(`{ genres { totalCount } }`), cypher.Page{First: &five}))
	if !slices.Contains(genres, any(five)) {
		t.Errorf("genres: parameters %v lack the page size", genres)
	}
}
