package graph

import (
	"reflect"
	"strings"
	"testing"

	"filmgraph/cypher"
)

// TestEveryPagedFieldHasAComplexity guards the complexity budget: a field with a `first`
// argument that has no complexity function would count a page of 100 as one item.
func TestEveryPagedFieldHasAComplexity(t *testing.T) {
	firstArg := reflect.TypeOf((*int64)(nil))
	root := reflect.ValueOf(Complexity())
	schema := NewExecutableSchema(Config{}).Schema()
	for i := range root.NumField() {
		typ := root.Type().Field(i)
		for j := range root.Field(i).NumField() {
			fn, field := root.Field(i).Field(j), typ.Type.Field(j)
			if fn.Type().NumIn() < 2 || fn.Type().In(1) != firstArg {
				continue
			}
			def := schema.Types[typ.Name]
			if def == nil {
				continue
			}
			for _, f := range def.Fields {
				if strings.EqualFold(f.Name, field.Name) && f.Arguments.ForName("first") != nil && fn.IsNil() {
					t.Errorf("%s.%s takes `first` but has no complexity function in Complexity()", typ.Name, f.Name)
				}
			}
		}
	}
}

// TestConnectionCost pins the documented rule: a page costs first x its selections.
func TestConnectionCost(t *testing.T) {
	c := Complexity()
	hundred, thousand := int64(100), int64(1000)
	cases := []struct {
		name      string
		got, want int
	}{
		{"movies(first: 100) of cost 3", c.Query.Movies(3, nil, nil, nil, &hundred, nil, nil, nil), 301},
		{"movies with the default page", c.Query.Movies(3, nil, nil, nil, nil, nil, nil, nil), 61},
		{"a where of 3 conditions costs 10 each", c.Query.Movies(3, nil, &cypher.MovieWhere{
			Year: &cypher.IntFilter{Gt: &hundred}, Tag: new(string)}, nil, nil, nil, nil, nil), 61 + 30},
		{"last counts like first", c.Query.Movies(3, nil, nil, nil, nil, nil, &hundred, nil), 301},
		{"first above the maximum counts as the maximum", c.Person.ActedIn(2, &thousand, nil, nil, nil), 201},
		{"cast without first: the expected length", c.Movie.Cast(2, nil), 61},
		{"genres", c.Movie.Genres(1), 6},
	}
	for _, tc := range cases {
		if tc.got != tc.want {
			t.Errorf("%s: %d, want %d", tc.name, tc.got, tc.want)
		}
	}
}
