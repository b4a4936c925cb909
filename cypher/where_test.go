package cypher_test

import (
	"strings"
	"testing"

	"filmgraph/apperr"
	"filmgraph/cypher"
)

// The compiler is a pure function: these check its contract without a database (the
// answers are checked against Cypher in package server's where_test.go).

func TestWherePutsEveryValueInAParameter(t *testing.T) {
	hostile := "x'}) DETACH DELETE n //"
	id := "UGVyc29uOjE1ODc4" // Person 15878
	w := &cypher.MovieWhere{
		Title:  &cypher.StringFilter{Eq: &hostile, In: []string{hostile}, Contains: &hostile, StartsWith: &hostile},
		Genres: &cypher.GenresFilter{Any: []string{hostile}, All: []string{hostile}, None: []string{hostile}},
		Tag:    &hostile,
		Credit: &cypher.CreditFilter{Person: id},
		Or:     []*cypher.MovieWhere{{Tag: &hostile}, {Not: &cypher.MovieWhere{Tag: &hostile}}},
	}
	viewer := int64(7)
	pred, err := cypher.CompileMovieWhere(w, cypher.WhereOptions{Prefix: "w1_", Viewer: &viewer})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(pred.Text, "DETACH") || strings.Contains(pred.Text, "'") {
		t.Errorf("request text reached the predicate: %s", pred.Text)
	}
	for name := range pred.Params {
		if !strings.HasPrefix(name, "w1_") || !strings.Contains(pred.Text, "$"+name) {
			t.Errorf("parameter %q is not the prefix's or not used: %s", name, pred.Text)
		}
	}
	if none, _ := cypher.CompileMovieWhere(nil, cypher.WhereOptions{Prefix: "w1_"}); none.Text != "" {
		t.Errorf("a nil tree compiles to %q", none.Text)
	}
	if empty, _ := cypher.CompileMovieWhere(&cypher.MovieWhere{}, cypher.WhereOptions{Prefix: "w1_"}); empty.Text != "" {
		t.Errorf("an empty tree compiles to %q", empty.Text)
	}
}

func TestWhereBounds(t *testing.T) {
	year := int64(1)
	leaf := func() *cypher.MovieWhere { return &cypher.MovieWhere{Year: &cypher.IntFilter{Eq: &year}} }
	deep := leaf()
	for range cypher.MaxWhereDepth + 1 {
		deep = &cypher.MovieWhere{Not: deep}
	}
	wide := &cypher.MovieWhere{}
	for range cypher.MaxWhereBranches + 1 {
		wide.Or = append(wide.Or, leaf())
	}
	many := &cypher.MovieWhere{}
	for range cypher.MaxWhereConditions / 2 {
		many.And = append(many.And, leaf())
	}
	many.And = many.And[:cypher.MaxWhereBranches]
	many = &cypher.MovieWhere{And: []*cypher.MovieWhere{many, many, many}}
	long := &cypher.MovieWhere{Year: &cypher.IntFilter{In: make([]int64, cypher.MaxWhereValues+1)}}
	for name, w := range map[string]*cypher.MovieWhere{"deep": deep, "wide": wide, "many": many, "long in": long} {
		if _, err := cypher.CompileMovieWhere(w, cypher.WhereOptions{Prefix: "w_"}); apperr.CodeOf(err) != apperr.BadUserInput {
			t.Errorf("%s: %v, want BAD_USER_INPUT", name, err)
		}
	}
	ok := leaf()
	for range cypher.MaxWhereDepth {
		ok = &cypher.MovieWhere{Not: ok}
	}
	if _, err := cypher.CompileMovieWhere(ok, cypher.WhereOptions{Prefix: "w_"}); err != nil {
		t.Errorf("a tree at the depth limit: %v", err)
	}
}
