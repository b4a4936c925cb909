package cypher

import (
	"fmt"
	"strings"

	"filmgraph/apperr"
)

// Site-wide feeds: the latest reviews of all films and the films rated most in a window.

var trendingEdgeType = &objectType{name: "TrendingEdge"}

func init() {
	define(trendingEdgeType, map[string]fieldFunc{
		"cursor":      computed,
		"ratingCount": relValue, // the film's ratings in the window
		"node":        nested(movieType),
	})
}

// recentReviews is every review, newest first. `addedAt IS NOT NULL` lets the planner read
// the reviews in the order of the review_addedAt index instead of sorting them all.
var recentReviews = relation{pattern: "({n}:Review)", where: "{n}.addedAt IS NOT NULL", orderBy: "{n}.addedAt DESC, {n}.reviewId"}

// RecentReviews returns the statement for req's field, Query.recentReviews: a
// ReviewConnection over all reviews, newest first.
func RecentReviews(req Request, page Page) (Statement, error) {
	return newBuilder(req).topConnection(req.Field, recentReviews, page, reviewEdgeType)
}

// MaxTrendingDays bounds Query.trending's window, and so the ratings one request counts.
const MaxTrendingDays = 365

// trendingCypher finds the newest rating (Neo4j reads max() as the last entry of the
// rated_ratedAt index) and ranks the films rated in the window before it; {days} is the
// window in days, {ranked} the variable of the ranked list. With no rating at all, newest is
// null and the list empty.
const trendingCypher = `CALL () { MATCH ()-[x:RATED]->() RETURN max(x.ratedAt) AS newest }
CALL (newest) {
  MATCH ()-[r:RATED]->(m) WHERE r.ratedAt > newest - duration({days: {days}})
  WITH m, count(*) AS ratings ORDER BY ratings DESC, m.movieId
  RETURN collect({movie: m, ratings: ratings}) AS {ranked}
}
`

// Trending returns the statement for req's field, Query.trending: a
// TrendingConnection over the films rated most often in the `days` days before the newest
// rating, with the window's bounds.
func Trending(req Request, args TrendingArgs) (Statement, error) {
	b := newBuilder(req)
	f := req.Field
	if args.Days == nil || *args.Days < 1 || *args.Days > MaxTrendingDays {
		return Statement{}, apperr.New(apperr.BadUserInput, "argument `days` of field `trending` must be between 1 and %d, got %v", MaxTrendingDays, shown(args.Days))
	}
	days := *args.Days
	offset, limit, err := b.page(f, args.Page)
	if err != nil {
		return Statement{}, err
	}
	daysParam, ranked := b.param(days), b.variable("ranked")
	parts := []string{
		"`" + KeyTotal + "`: size(" + ranked + ")",
		"`" + KeyOffset + "`: " + offset,
		"`" + KeyFirst + "`: " + limit,
	}
	for _, cf := range Collect(f.Selections, []string{"TrendingConnection"}) {
		var expr string
		switch cf.Name {
		case "totalCount", "pageInfo", "__typename":
			continue // derived in Go from the values above
		case "windowEnd":
			expr = "newest"
		case "windowStart":
			expr = "newest - duration({days: " + daysParam + "})"
		case "edges":
			row, n, count := b.variable("row"), b.variable("n"), b.variable("ratings")
			proj, err := b.project(trendingEdgeType, scope{node: n, rel: count}, cf.Selections)
			if err != nil {
				return Statement{}, err
			}
			expr = fill("COLLECT { UNWIND {ranked}[{offset}..{offset} + {limit}] AS {row} WITH {row}.movie AS {n}, {row}.ratings AS {count} "+
				"ORDER BY {count} DESC, {n}.movieId RETURN {proj} }",
				"ranked", ranked, "offset", offset, "limit", limit, "row", row, "n", n, "count", count, "proj", proj)
		default:
			return Statement{}, fmt.Errorf("cypher: no translation for TrendingConnection.%s", cf.Name)
		}
		key, err := mapKey(cf.Alias)
		if err != nil {
			return Statement{}, err
		}
		parts = append(parts, key+": "+expr)
	}
	return b.statement(fill(trendingCypher, "days", daysParam, "ranked", ranked) + "RETURN {" + strings.Join(parts, ", ") + "} AS this"), nil
}
