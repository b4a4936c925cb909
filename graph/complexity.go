package graph

import (
	"filmgraph/cypher"
	"filmgraph/graph/model"
)

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
	c.Query.Movies = func(child int, _ *cypher.MovieFilter, where *cypher.MovieWhere, _ []*cypher.MovieOrder, first *int64, _ *string, last *int64, _ *string) int {
		return cypher.WhereCost(where) + listCost(child, pageOf(first, last), defaultPage)
	}
	c.Query.People = func(child int, _ *cypher.PersonFilter, where *cypher.PersonWhere, _ []*cypher.PersonOrder, first *int64, _ *string, last *int64, _ *string) int {
		return cypher.WhereCost(where) + listCost(child, pageOf(first, last), defaultPage)
	}
	c.Query.Genres = connectionCost
	c.Query.Search = func(child int, _ string, _ []cypher.SearchType, first *int64, _ *string, last *int64, _ *string) int {
		return listCost(child, pageOf(first, last), 10)
	}
	c.Query.Nodes = func(child int, ids []string) int { return 1 + len(ids)*child }
	// Federation's _entities (entities.go) reads each representation as nodes reads an id.
	c.Query.__resolve_entities = func(child int, reps []map[string]any) int { return 1 + len(reps)*child }
	c.Query.PathBetween = func(child int, _, _ string, maxHops *int64) int {
		hops := int64(6)
		if maxHops != nil {
			hops = min(max(*maxHops, 1), 6)
		}
		// A shortest-path search touches far more than it returns: charge each hop.
		return int(hops) * (pathHopCost + child)
	}
	c.Genre.Movies = connectionCost
	c.Tag.Movies = connectionCost
	c.Query.RecentReviews = connectionCost
	c.Query.PendingSynopsisSubmissions = connectionCost
	c.Query.Trending = func(child int, _ *int64, first *int64, _ *string, last *int64, _ *string) int {
		return trendingCost + listCost(child, pageOf(first, last), defaultPage)
	}
	c.Person.Directed = connectionCost
	c.Person.ActedIn = connectionCost
	c.Person.CoStars = func(child int, first *int64) int { return listCost(child, first, 10) }
	c.Movie.Cast = func(child int, first *int64) int { return listCost(child, first, expectedCast) }
	c.Movie.Tags = func(child int, first *int64) int { return listCost(child, first, 10) }
	c.Movie.Genres = func(child int) int { return listCost(child, nil, expectedGenres) }
	c.Genre.Subgenres = func(child int) int { return listCost(child, nil, expectedGenres) }
	c.Movie.Directors = func(child int) int { return listCost(child, nil, expectedDirectors) }
	c.Movie.Reviews = func(child int, first *int64, _ *string, last *int64, _ *string, _ *model.ReviewOrder, where *cypher.ReviewWhere) int {
		return cypher.WhereCost(where) + listCost(child, pageOf(first, last), defaultPage)
	}
	c.Movie.Lists = connectionCost
	c.Movie.SynopsisSubmissions = func(child int, first *int64) int { return listCost(child, first, defaultPage) }
	c.Me.Collection = connectionCost
	c.Me.Favorites = connectionCost
	c.Me.Watchlist = connectionCost
	c.Me.Ratings = connectionCost
	c.Review.Comments = connectionCost
	c.User.Reviews = connectionCost
	c.User.Lists = connectionCost
	c.UserList.Movies = connectionCost
	c.Movie.Recommended = func(child int, first *int64, _ *string, last *int64, _ *string, _ *model.RecommendationStrategy) int {
		return recommendationCost + listCost(child, pageOf(first, last), defaultPage)
	}
	c.Query.RecommendationsForMe = func(child int, first *int64, _ *string, last *int64, _ *string) int {
		return recommendationCost + listCost(child, pageOf(first, last), defaultPage)
	}
	return c
}

// Expected lengths of the lists that have no `first` (or where it was left out): generous
// averages of the seed, not maxima, so that the budget reflects typical work.
const (
	defaultPage = 20 // the schema's default `first` of connections
	pathHopCost = 100
	// recommendationCost charges the traversal behind a page of recommendations (similar
	// films and the reasons' paths), beyond what the page returns.
	recommendationCost = 200
	expectedCast       = 30
	expectedGenres     = 5
	expectedDirectors  = 2
)

// trendingCost charges the ratings of the window counted before a page of trending films
// is ranked (a month of MovieLens holds a few hundred to a few thousand).
const trendingCost = 500

func connectionCost(child int, first *int64, _ *string, last *int64, _ *string) int {
	return listCost(child, pageOf(first, last), defaultPage)
}

// pageOf is the size a connection reads: `last` when given (it reads backwards), else `first`.
func pageOf(first, last *int64) *int64 {
	if last != nil {
		return last
	}
	return first
}

func listCost(child int, first *int64, expected int) int {
	n := int64(expected)
	if first != nil {
		n = min(max(*first, 1), cypher.MaxPageSize)
	}
	return 1 + int(n)*child
}
