package harness

import (
	"strings"

	"filmgraph/auth"
	"filmgraph/cypher"
)

// Operation is one row of the benchmark: a checked-in example GraphQL operation and the
// hand-written Cypher statement that fetches the same data through the driver alone.
type Operation struct {
	// Name is the example's file name without .graphql, under docs/queries.
	Name string
	// Query is the operation's text when it has no file under docs/queries.
	Query string
	// Viewer, when set, is who the request is signed in as (a bearer token).
	Viewer *auth.Viewer
	// Variables override the example's defaults; nil runs it as checked in.
	Variables map[string]any
	// Baseline is one hand-written statement returning the whole response as column `data`.
	Baseline string
	// Params are the baseline's parameters: the example's default variables, decoded.
	Params map[string]any
	// Write runs the baseline in a write transaction (mutations).
	Write bool
}

// Operations are the benchmarked operations, in report order. Their baselines are written
// the way one would write them by hand for this page: cached rating summaries where the
// graph keeps them, CALL and COLLECT subqueries, no GraphQL-driven projection.
func Operations() []Operation {
	lucene, _ := cypher.LuceneQuery("romanik")
	return []Operation{
		{
			Name:   "moviePage",
			Params: map[string]any{"id": int64(80969)},
			Baseline: `MATCH (m:Movie {movieId: $id})
WITH m, COLLECT { MATCH (m)<-[r:RATED]-() RETURN r.score } AS scores
RETURN m {
  .movieId, .title, .year, .synopsis, .plot,
  cover: CASE WHEN m.posterUrl IS NULL THEN null ELSE {url: m.posterUrl, caption: m.coverCaption} END,
  genres: COLLECT { MATCH (m)-[:IN_GENRE]->(g) RETURN g.name AS name ORDER BY name },
  directors: COLLECT { MATCH (m)<-[:DIRECTED]-(p) RETURN p {.personId, .name} AS d ORDER BY d.name, d.personId },
  cast: COLLECT { MATCH (m)<-[r:ACTED_IN]-(p) WITH r, p ORDER BY r.order, p.personId LIMIT 20
                  RETURN {order: r.order, person: p {.personId, .name}} },
  ratingSummary: {average: round(m.ratingAverage, 1), count: m.ratingCount,
                  histogram: [b IN range(1, 10) | size([s IN scores WHERE s = b])]},
  tags: COLLECT { MATCH (m)-[t:TAGGED]->(tag) WITH t, tag ORDER BY t.count DESC, tag.name LIMIT 10
                  RETURN {name: tag.name, count: t.count} },
  synopsisAuthor: head(COLLECT { MATCH (m)-[:SYNOPSIS_FROM]->(:SynopsisSubmission)<-[:SUBMITTED]-(u:User)
                                 WITH u ORDER BY u.userId LIMIT 1 RETURN u.username }),
  viewerState: null,
  reviews: {totalCount: COUNT { (m)<-[:ABOUT]-(:Review) },
    edges: COLLECT { MATCH (m)<-[:ABOUT]-(r:Review) WITH r ORDER BY r.addedAt DESC, r.reviewId LIMIT 10
      RETURN r {.reviewId, .text, .score, .addedAt, .editedAt,
        author: head(COLLECT { MATCH (r)<-[:WROTE]-(a:User) RETURN a {.userId, .username} }),
        comments: {totalCount: COUNT { (r)<-[:ON]-(:Comment) },
          edges: COLLECT { MATCH (r)<-[:ON]-(c:Comment) WITH c ORDER BY c.addedAt, c.commentId LIMIT 5
            RETURN c {.commentId, .text, .addedAt, author: head(COLLECT { MATCH (c)<-[:WROTE]-(ca:User) RETURN ca.username })} }}} }},
  lists: {totalCount: COUNT { (m)<-[:CONTAINS]-(l:UserList) WHERE l.public },
    edges: COLLECT { MATCH (m)<-[:CONTAINS]-(l:UserList) WHERE l.public WITH l ORDER BY l.createdAt DESC, l.listId LIMIT 5
      RETURN l {.listId, .title, owner: head(COLLECT { MATCH (l)<-[:CREATED]-(o:User) RETURN o.username }),
                movieCount: COUNT { (l)-[:CONTAINS]->() }} }}
} AS data`,
		},
		{
			Name:   "userProfile",
			Params: map[string]any{"username": "bluemeanie"},
			Baseline: `MATCH (u:User {username: $username})
RETURN u {.userId, .username, .joinedAt, ratingsCount: COUNT { (u)-[:RATED]->() },
  reviews: {totalCount: COUNT { (u)-[:WROTE]->(:Review) },
    edges: COLLECT { MATCH (u)-[:WROTE]->(r:Review) WITH r ORDER BY r.addedAt DESC, r.reviewId LIMIT 10
      RETURN r {.reviewId, .score, .addedAt, movie: head(COLLECT { MATCH (r)-[:ABOUT]->(m:Movie) RETURN m {.movieId, .title, .year} }),
                commentCount: COUNT { (r)<-[:ON]-() }} }},
  lists: {totalCount: COUNT { (u)-[:CREATED]->(l:UserList) WHERE l.public },
    edges: COLLECT { MATCH (u)-[:CREATED]->(l:UserList) WHERE l.public WITH l ORDER BY l.createdAt DESC, l.listId LIMIT 10
      RETURN l {.listId, .title, .description, .createdAt, .public, movieCount: COUNT { (l)-[:CONTAINS]->() },
        movies: COLLECT { MATCH (l)-[c:CONTAINS]->(m:Movie) WITH c, m ORDER BY c.position, m.movieId LIMIT 5 RETURN m {.movieId, .title} }} }}
} AS data`,
		},
		{
			Name:   "personPage",
			Params: map[string]any{"id": int64(2363)},
			Baseline: `MATCH (p:Person {personId: $id})
CALL (p) {
  MATCH (p)-[:ACTED_IN]->(:Movie)<-[:ACTED_IN]-(o:Person) WHERE o <> p
  WITH o, count(*) AS shared ORDER BY shared DESC, o.name, o.personId LIMIT 10
  RETURN collect({sharedMovies: shared, person: o {.personId, .name}}) AS coStars
}
RETURN p {
  .personId, .name,
  directed: {totalCount: COUNT { (p)-[:DIRECTED]->() },
    nodes: COLLECT { MATCH (p)-[:DIRECTED]->(m) WITH m ORDER BY coalesce(m.year, -1) DESC, m.title, m.movieId LIMIT 20
                     RETURN m {.movieId, .title, .year, coverUrl: m.posterUrl} }},
  actedIn: {totalCount: COUNT { (p)-[:ACTED_IN]->() },
    edges: COLLECT { MATCH (p)-[r:ACTED_IN]->(m) WITH r, m ORDER BY coalesce(m.year, -1) DESC, m.title, m.movieId LIMIT 20
                     RETURN {order: r.order, node: m {.movieId, .title, .year, coverUrl: m.posterUrl, average: round(m.ratingAverage, 1)}} }},
  coStars: coStars
} AS data`,
		},
		{
			Name:   "browseByGenre",
			Params: map[string]any{"genre": "Sci-Fi", "minCount": int64(20), "first": int64(20)},
			Baseline: `CALL () {
  MATCH (g:Genre) WITH g ORDER BY g.name LIMIT 50
  RETURN collect({name: g.name, movieCount: COUNT { (g)<-[:IN_GENRE]-() }}) AS genres
}
CALL () {
  MATCH (m:Movie)-[:IN_GENRE]->(:Genre {name: $genre}) WHERE m.ratingCount >= $minCount
  RETURN count(m) AS totalCount
}
CALL () {
  MATCH (m:Movie)-[:IN_GENRE]->(:Genre {name: $genre}) WHERE m.ratingCount >= $minCount
  WITH m ORDER BY m.ratingAverage IS NULL, m.ratingAverage DESC, m.movieId LIMIT $first
  RETURN collect(m {.movieId, .title, .year, coverUrl: m.posterUrl,
    genres: COLLECT { MATCH (m)-[:IN_GENRE]->(g) RETURN g.name AS name ORDER BY name },
    directors: COLLECT { MATCH (m)<-[:DIRECTED]-(d) RETURN d.name AS name ORDER BY name },
    average: round(m.ratingAverage, 1), count: m.ratingCount}) AS movies
}
RETURN {genres: genres, totalCount: totalCount, movies: movies} AS data`,
		},
		{
			Name:   "search",
			Params: map[string]any{"query": lucene, "first": int64(10), "cap": int64(cypher.MaxSearchHits)},
			Baseline: `CALL () {
  CALL db.index.fulltext.queryNodes('movieTitleSearch', $query, {limit: $cap}) YIELD node, score
  RETURN node, score
  UNION ALL
  CALL db.index.fulltext.queryNodes('personNameSearch', $query, {limit: $cap}) YIELD node, score
  RETURN node, score
}
WITH node, score ORDER BY score DESC, coalesce(node.movieId, -1), coalesce(node.personId, -1) LIMIT $cap
WITH collect({score: score, node: node}) AS hits
CALL (hits) {
  UNWIND hits[..$first] AS hit
  WITH hit.node AS node, hit.score AS score
  RETURN collect({score: score, node: CASE WHEN node:Movie
    THEN node {type: 'Movie', .movieId, .title, .year, coverUrl: node.posterUrl}
    ELSE node {type: 'Person', .personId, .name} END}) AS edges
}
RETURN {totalCount: size(hits), edges: edges} AS data`,
		},
		{
			Name:   "degreesOfSeparation",
			Params: map[string]any{"from": int64(9142), "to": int64(2363)},
			Baseline: `MATCH (a:Person {personId: $from}), (z:Person {personId: $to})
MATCH path = shortestPath((a)-[:ACTED_IN|DIRECTED*..12]-(z))
RETURN {length: length(path) / 2,
  nodes: [n IN nodes(path) | CASE WHEN n:Person THEN n {.personId, .name} ELSE n {.movieId, .title, .year} END]} AS data`,
		},
		{
			Name: "recommendedMovies", // film recommendations: the "Recommended Movies" strip
			Params: map[string]any{"id": int64(80969), "first": int64(6), "liked": int64(cypher.LikedScore), "minSupport": int64(cypher.MinSupport),
				"wf": cypher.WeightFollowed, "wc": cypher.WeightCollaborative, "wk": cypher.WeightContent},
			Baseline: `MATCH (m:Movie {movieId: $id})
CALL (m) {
  MATCH (m)-[sim:SIMILAR]->(c:Movie)
  WITH m, c, sim.followers AS followers,
    $wf * coalesce(sim.followed, 0.0) + $wc * coalesce(sim.collaborative, 0.0) + $wk * coalesce(sim.content, 0.0) AS score WHERE score > 0
  ORDER BY score DESC, c.movieId LIMIT $first
  WITH *, null AS rated, $wc > 0 AS collab, $wf > 0 AS followed, $wk > 0 AS content
  ` + reasonsBaseline("m") + `
  ORDER BY score DESC, c.movieId
  RETURN collect({score: score, movie: c {.movieId, .title, .year, coverUrl: c.posterUrl}, reasons: reasons[..3]}) AS recommended
}
RETURN m {.movieId, .title, recommended: recommended} AS data`,
		},
		{
			// MovieLens user 1 (232 ratings): picks from their 10 latest ratings, the k-th
			// weighted 0.8^k ("rated soon after" from every seed, the other scores from
			// those rated 6+), explained first by the seed that contributed most. User 1
			// has picks, so the cold-start list is left out.
			Name: "personalRecommendations",
			Query: `query personalRecommendations {
  recommendationsForMe(first: 6) {
    edges {
      node {
        score
        movie { id title year cover { url } }
        reasons { kind text via { __typename ... on Movie { id title } ... on Person { id name } ... on Genre { name } } }
      }
    }
  }
}`,
			Viewer: &auth.Viewer{UserID: 1, Role: auth.RoleUser},
			Params: map[string]any{"userId": int64(1), "first": int64(6), "liked": int64(cypher.LikedScore), "seedScore": int64(cypher.SeedScore),
				"maxSeeds": int64(cypher.MaxSeeds), "decay": cypher.SeedDecay, "minSupport": int64(cypher.MinSupport),
				"wf": cypher.PicksBlend.Followed, "wc": cypher.PicksBlend.Collaborative, "wk": cypher.PicksBlend.Content},
			Baseline: `MATCH (me:User {userId: $userId})
CALL (me) {
  WITH me, COLLECT { MATCH (me)-[:RATED|COLLECTED|HID]->(x:Movie) RETURN x } AS seen
  MATCH (me)-[r:RATED]->(s:Movie)
  WITH seen, s, r ORDER BY r.ratedAt DESC, s.movieId DESC LIMIT $maxSeeds
  WITH seen, collect({s: s, rated: r.score}) AS seeds
  UNWIND range(0, size(seeds) - 1) AS i
  WITH seen, seeds[i].s AS s, seeds[i].rated AS rated, $decay ^ i AS w
  MATCH (s)-[sim:SIMILAR]->(c:Movie)
  WHERE NOT c IN seen
  WITH s, rated, c, sim.followers AS followers, w * ($wf * coalesce(sim.followed, 0.0) + CASE WHEN rated >= $seedScore
    THEN $wc * coalesce(sim.collaborative, 0.0) + $wk * coalesce(sim.content, 0.0) ELSE 0.0 END) AS part WHERE part > 0
  ORDER BY part DESC, s.movieId
  WITH c, sum(part) AS score, collect({s: s, rated: rated, followers: followers})[0] AS seed
  ORDER BY score DESC, c.movieId LIMIT $first
  RETURN collect({c: c, score: score, seed: seed}) AS picks
}
UNWIND picks AS pick
WITH pick.seed.s AS s, pick.seed.rated AS rated, pick.seed.followers AS followers, pick.c AS c, pick.score AS score,
  $wc > 0 AND pick.seed.rated >= $seedScore AS collab, $wf > 0 AS followed, $wk > 0 AND pick.seed.rated >= $seedScore AS content
` + reasonsBaseline("s") + `
ORDER BY score DESC, c.movieId
RETURN collect({score: score, movie: c {.movieId, .title, .year, coverUrl: c.posterUrl}, reasons: reasons[..3]}) AS data`,
		},
		{
			// MovieLens user 1 rates the reference film, again and again: every request
			// takes the film's lock, as every rating of one popular film would.
			Name: "rateMovie",
			Query: `mutation rateMovie($movieId: ID! = "TW92aWU6ODA5Njk", $score: Int! = 8) {
  rateMovie(movieId: $movieId, score: $score) { id ratingSummary { average count } viewerState { rating } }
}`,
			Viewer: &auth.Viewer{UserID: 1, Role: auth.RoleUser},
			Write:  true,
			Params: map[string]any{"userId": int64(1), "movieId": int64(80969), "score": int64(8)},
			Baseline: `MATCH (u:User {userId: $userId}), (m:Movie {movieId: $movieId})
SET m._LOCK_ = true
REMOVE m._LOCK_
WITH u, m
OPTIONAL MATCH (u)-[old:RATED]->(m)
WITH u, m, old.score AS oldScore
MERGE (u)-[r:RATED]->(m)
SET r.score = $score, r.ratedAt = datetime(),
    m.ratingCount = m.ratingCount + CASE WHEN oldScore IS NULL THEN 1 ELSE 0 END,
    m.ratingTotal = m.ratingTotal - coalesce(oldScore, 0) + $score
SET m.ratingAverage = toFloat(m.ratingTotal) / m.ratingCount
RETURN {movieId: m.movieId, ratingSummary: {average: round(m.ratingAverage, 1), count: m.ratingCount},
        viewerState: {rating: r.score}} AS data`,
		},
	}
}

// reasonsBaseline binds `reasons`, the reasons the film c is recommended from the seed
// film named seed, as filmgraph gives them: in personal picks the viewer's own rating of
// the seed (`rated`), then, when the row's flags (`collab`, `followed`, `content`) allow,
// fans who loved both (the seed's fans collected once) and the people who rated it soon
// after (`followers`, stored with the edge), each from $minSupport people on; shared
// directors, the best billed shared cast, shared tags and the rarest shared genre (by its
// stored degree), each found by a traversal.
func reasonsBaseline(seed string) string {
	return strings.ReplaceAll(`WITH *, COLLECT { MATCH ($s)<-[a:RATED]-(u:User) WHERE collab AND a.score >= $liked RETURN u } AS fans
WITH *,
  [k IN [rated] WHERE k IS NOT NULL |
    {kind: 'YOU_RATED', via: $s {.movieId, .title}, text: 'Because you rated ' + $s.title + ' ' + toString(k) + '/10'}]
  + [k IN [COUNT { (c)<-[r:RATED]-(u:User) WHERE r.score >= $liked AND u IN fans }] WHERE k >= $minSupport AND collab |
    {kind: 'COLLABORATIVE', via: $s {.movieId, .title}, text: 'Rated 8+ by ' + toString(k) + ' people who loved ' + $s.title}]
  + [k IN [followers] WHERE k >= $minSupport AND followed |
    {kind: 'FOLLOWED', via: $s {.movieId, .title}, text: toString(k) + ' people rated it within their next 10 films after ' + $s.title}]
  + COLLECT { MATCH ($s)<-[:DIRECTED]-(p:Person)-[:DIRECTED]->(c) WHERE content WITH p ORDER BY p.name, p.personId
      RETURN {kind: 'DIRECTOR', via: p {.personId, .name}, text: 'Also directed by ' + p.name} }
  + COLLECT { MATCH ($s)<-[a:ACTED_IN]-(p:Person)-[r:ACTED_IN]->(c) WHERE content WITH p, a, r ORDER BY a.order + r.order, p.personId LIMIT 3
      RETURN {kind: 'CAST', via: p {.personId, .name}, text: 'Also stars ' + p.name} }
  + COLLECT { MATCH ($s)-[:TAGGED]->(t:Tag)<-[:TAGGED]-(c) WHERE content WITH t ORDER BY t.name LIMIT 2
      RETURN {kind: 'TAG', via: t {.name}, text: 'Also tagged "' + t.name + '"'} }
  + COLLECT { MATCH ($s)-[:IN_GENRE]->(g:Genre)<-[:IN_GENRE]-(c) WHERE content WITH g ORDER BY COUNT { (g)<-[:IN_GENRE]-() }, g.name LIMIT 1
      RETURN {kind: 'GENRE', via: g {.name}, text: 'Also in ' + g.name} } AS reasons`, "$s", seed)
}
