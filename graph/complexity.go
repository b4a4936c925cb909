package graph

import "filmgraph/cypher"

// Complexity estimates what each field costs, for the complexity budget (the handler's
// MaxComplexity). A unit is roughly one value the database projects. A scalar or object
// field costs 1 plus its selections; a page costs `first` times its selections, because
// every edge repeats them; a plain list costs its expected length times its selections.
// `first` is clamped to 1..cypher.MaxPageSize here, so an out-of-range value is reported
// precisely (BAD_USER_INPUT) when the field runs instead of inflating the estimate.
//
// Every field with a `first` argument must have a function here (a test checks it);
// without one gqlgen would count a page of 100 as one item.
func Complexity() ComplexityRoot {
	var c ComplexityRoot
	c.Query.Movies = connectionCost
	c.Genre.Movies = connectionCost
	c.Person.Directed = connectionCost
	c.Person.ActedIn = connectionCost
	c.Movie.Cast = func(child int, first *int64) int { return listCost(child, first, expectedCast) }
	c.Movie.Genres = func(child int) int { return listCost(child, nil, expectedGenres) }
	c.Movie.Directors = func(child int) int { return listCost(child, nil, expectedDirectors) }
	return c
}

// Expected lengths of the lists that have no `first` (or where it was left out): generous
// averages of the seed, not maxima, so that the budget reflects typical work.
const (
	expectedCast      = 30
	expectedGenres    = 5
	expectedDirectors = 2
)

func connectionCost(child int, first *int64, _ *string) int {
	return listCost(child, first, 20) // 20: the schema's default page size
}

func listCost(child int, first *int64, expected int) int {
	n := int64(expected)
	if first != nil {
		n = min(max(*first, 1), cypher.MaxPageSize)
	}
	return 1 + int(n)*child
}
