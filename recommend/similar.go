// Package recommend keeps the similarity edges that recommendations read:
// (:Movie)-[:SIMILAR {followed, collaborative, content}]->(:Movie), at most TopK (FollowedTopK
// for followed) of each kind per film, computed in Cypher from the graph.
//
// They are a snapshot, computed in full by Refresh (`go run . similar`) and kept current
// between full refreshes by the Refresher, which recomputes the films whose ratings
// changed and new films (refresher.go); a cast or tag change waits for the next full
// refresh. A server's first start runs RefreshRated, which leaves the content neighbours of
// the films nobody rated to the Refresher's cycles (backfill.go). A refresh cut short leaves
// every film with its old edges or its new ones (see stagedType). The reasons shown with a
// recommendation are read live, so they are never staler than the graph.
package recommend

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"filmgraph/cypher"
)

// TopK is the number of SIMILAR edges of each kind kept per film, but followed.
const TopK = 30

// FollowedTopK is the number of "rated soon after" neighbours kept per film: more than the
// other kinds, as personal picks rank mostly by them. Few films have that many once
// minFollowers applies (about 76,000 edges in all on the seed).
const FollowedTopK = 100

// Bounds of the traversals, so a film rated by hundreds costs about what an obscure one
// does.
const (
	// maxFans caps the fans (rated it >= cypher.LikedScore) of a film whose other loved
	// films are counted: the most recent ratings are taken.
	maxFans = 60
	// minCoLikes drops collaborative neighbours loved by fewer of the sampled fans.
	minCoLikes = 2
	// maxBilling is how far down a cast list (billing order) actors count.
	maxBilling = 10
	// genreTop is how many of a genre's most rated films serve as the fallback
	// neighbours of films with few director, cast or tag neighbours.
	genreTop = 50
	// damping is the exponent of a neighbour's number of ratings in the collaborative
	// score: 0.5 (a plain cosine) gave HR@10 0.202 on the validation split, 0.2 gave
	// 0.217 with the same seeds (and 0.256 with the seeds of personal picks).
	damping = 0.2
	// followedWindow is how many of a user's next ratings a rating counts for, each with
	// weight 1/sqrt(gap); followedDamping is the exponent of the follower's number of
	// ratings the sum is divided by. Chosen on the validation split (see README).
	followedWindow  = 10
	followedDamping = 0.2
	// minFollowers drops "rated soon after" neighbours followed by fewer users: one
	// user's sequence is anecdote. With 2, an offline prototype on the validation split
	// kept 76,000 edges instead of 403,000 and measured NDCG@10 0.122 against 0.119.
	minFollowers = 2
	// seriesWeight is the content weight of two films of one series (see seriesCypher):
	// more than a shared director, as a sequel is what a fan of the first film looks for.
	seriesWeight = 1.5
	// maxSeries is the largest series kept: a bigger group of films sharing a title head
	// is a common phrase, not a franchise.
	maxSeries = 20
	// batch is the number of films per write transaction.
	batch = 500
	// ratingsPerFollowedBucket is how many ratings a full refresh's "rated soon after"
	// step takes in at once (see followedBuckets): the pairs of 100,000 ratings (the seed)
	// fit in a transaction's memory; those of 1,000,000 (the 10x benchmark data) overran a
	// 2 GB heap's 1.4 GiB.
	ratingsPerFollowedBucket = 150_000
)

// A refresh never leaves a film with fewer edges than it had: over films that have edges,
// the steps below write the new edges as (:Movie)-[:SIMILAR_STAGED]->(:Movie), which no
// reader looks at, and only once every step is done does the swap replace each film's
// SIMILAR edges with its staged ones, a batch of films per transaction (swapCypher). A
// refresh cut short anywhere (a stop, a lost lease, a crash, the database going away)
// leaves each film with its old edges or its new ones; its staged leftovers are dropped
// by the next refresh of those films. Over films without any edge (a first start, the
// backfill of the films nobody rated) the steps write SIMILAR edges directly: nothing
// can be lost there, and the swap would double the writes. Two refreshes of the same
// films at once are not kept apart here (the server's lease does that).
const (
	similarType = "SIMILAR"
	stagedType  = "SIMILAR_STAGED"
)

// swapBatch is how many films one transaction of the swap takes: at most about 160 edges
// each (FollowedTopK + 2 TopK), deleted and written again.
const swapBatch = 50

// hasEdgesCypher says whether any film of the refresh has similarity edges (then the
// refresh stages its new edges); $only null: any film.
const hasEdgesCypher = `RETURN CASE WHEN $only IS NULL THEN EXISTS { ()-[:SIMILAR]->() }
  ELSE EXISTS { MATCH (m:Movie)-[:SIMILAR]->() WHERE m.movieId IN $only } END AS any`

// clearStagedCypher drops the staged edges a refresh cut short left for the films of this
// one, in batches.
const clearStagedCypher = `MATCH (m:Movie)-[s:SIMILAR_STAGED]->() WHERE $only IS NULL OR m.movieId IN $only
CALL (s) { DELETE s } IN TRANSACTIONS OF 10000 ROWS`

// swapCypher replaces the SIMILAR edges of a batch of films with the edges staged for them
// and stamps the films (see stampCypher), in one transaction: a reader sees a film's old
// edges or its new ones, never a film between the two. A film with no staged edge has no
// neighbour any more, and loses its old ones.
const swapCypher = `UNWIND $films AS id
MATCH (m:Movie {movieId: id})
CALL (m) { MATCH (m)-[old:SIMILAR]->() DELETE old }
CALL (m) { MATCH (m)-[new:SIMILAR_STAGED]->(c) CREATE (m)-[s:SIMILAR]->(c) SET s = properties(new) DELETE new }
SET m.similarAt = $startedAt`

// scopeCypher returns the movieIds of the films a full refresh computed, for its swap.
const scopeCypher = `MATCH (m:Movie) WHERE m.movieId IS NOT NULL AND NOT ($deferUnrated AND coalesce(m.ratingCount, 0) = 0)
RETURN collect(m.movieId) AS ids`

// followedCypher links each film m to the films its raters rated soon after it ("rated
// soon after": what one watches next follows what one watched last). Each user's ratings
// are put in time order (ties by movieId) once; a rating of m counts for each of the user's
// next $window ratings, with weight 1/sqrt(gap); pairs followed by fewer than
// $minFollowers users are dropped; the sum is divided by the follower's
// number of ratings ^ $damping and by the film's best such sum, so followed is in (0, 1];
// followers (the number of users behind it) is kept for the reason shown.
// Any score counts: having rated a film, low or high, says what one watches. With $only,
// only the films listed get their edges, from the sequences of the users who rated them.
// The edges are CREATEd: this step runs first, on films without edges of the kind written
// (see similarType).
// The pairs are summed in memory, so a full refresh runs it once per bucket of films
// (movieId % $buckets = $bucket; see followedBuckets).
const followedCypher = `MATCH (u:User) WHERE $only IS NULL OR EXISTS { (u)-[:RATED]->(x:Movie) WHERE x.movieId IN $only }
CALL (u) {
  MATCH (u)-[r:RATED]->(m:Movie)
  WITH m ORDER BY r.ratedAt, m.movieId
  RETURN collect(m) AS seq
}
UNWIND range(0, size(seq) - 2) AS i
WITH seq, i WHERE ($only IS NULL OR seq[i].movieId IN $only) AND seq[i].movieId % $buckets = $bucket
UNWIND range(i + 1, CASE WHEN i + $window < size(seq) THEN i + $window ELSE size(seq) - 1 END) AS j
WITH seq[i] AS m, seq[j] AS c, 1.0 / sqrt(j - i) AS w
WHERE m <> c
WITH m, c, sum(w) AS co, count(*) AS followers WHERE followers >= $minFollowers
WITH m, c, followers, co / COUNT { (c)<-[:RATED]-() } ^ $followedDamping AS score
ORDER BY score DESC, c.movieId
WITH m, collect({c: c, score: score, followers: followers})[..$followedTopK] AS top
CALL (m, top) {
  UNWIND top AS t
  WITH m, t.c AS c, t.score / top[0].score AS score, t.followers AS followers
  CREATE (m)-[:SIMILAR {followed: score, followers: followers}]->(c)
} IN TRANSACTIONS OF $batch ROWS`

// seriesCypher groups the films whose titles share a head into (:Series {key}) nodes,
// (:Movie)-[:IN_SERIES]->(:Series), so that content similarity keeps a franchise
// together ("Toy Story", "Toy Story 2"; "Star Wars: Episode V - ..."). The head is the
// lower-cased title before any ':', without a leading article, cut at the first
// number, roman numeral or "part"/"chapter"/"episode"/"vol(ume)", and kept up to its
// second word that is not a stop word ("harry potter", "lord of the rings", "back to the
// future"). Groups of 2 to $maxSeries films are kept. Cheap (one pass over the films), so
// every full refresh rebuilds them.
const seriesCypher = `MATCH (m:Movie) WHERE m.title IS NOT NULL
` + seriesKeyCypher + `
WITH key, collect(m) AS films WHERE size(films) >= 2 AND size(films) <= $maxSeries
CREATE (s:Series {key: key})
WITH s, films
UNWIND films AS m
CREATE (m)-[:IN_SERIES]->(s)`

// seriesKeyCypher binds key, the series key of each film m (see seriesCypher), dropping
// the films whose key is too short to name a series.
const seriesKeyCypher = `WITH m, split(toLower(m.title), ':')[0] AS head
WITH m, [w IN split(reduce(t = head, p IN [',', '.', '-', '–', '&', '!', '?', '(', ')'] | replace(t, p, ' ')), ' ') WHERE w <> ''] AS words
WITH m, CASE WHEN words[0] IN ['the', 'a', 'an'] THEN words[1..] ELSE words END AS words
WITH m, words, [i IN range(0, size(words) - 1) WHERE words[i] =~ '[0-9]+|[ivx]+|part|chapter|episode|vol|volume'][0] AS cut
WITH m, CASE WHEN cut IS NULL THEN words ELSE words[..cut] END AS core
WITH m, core, [i IN range(0, size(core) - 1) WHERE NOT core[i] IN ['the', 'of', 'to', 'who', 'on', 'from', 'in', 'a', 'an',
  'and', 'for', 'with', 'at', 'is', 'my', 'upon', 'into', 'how', 'all', 'what', 'when', 'where', 'i', 'you', 'me', 'we', 'it']] AS significant
WITH m, CASE WHEN size(significant) = 0 THEN [] WHEN size(significant) = 1 THEN core ELSE core[..significant[1] + 1] END AS key
WITH m, trim(reduce(s = '', w IN key | s + ' ' + w)) AS key WHERE size(key) >= 3`

// joinSeriesCypher puts the films of a partial refresh that are in no series into the
// existing series of their key, while it has fewer than $maxSeries films: a new "Toy Story
// 5" joins "toy story" at once. A new film whose only mate is not yet in a series waits for
// the next full refresh, which regroups every title.
const joinSeriesCypher = `MATCH (m:Movie) WHERE m.movieId IN $only AND m.title IS NOT NULL AND NOT EXISTS { (m)-[:IN_SERIES]->() }
` + seriesKeyCypher + `
MATCH (s:Series {key: key}) WHERE COUNT { (s)<-[:IN_SERIES]-() } < $maxSeries
CREATE (m)-[:IN_SERIES]->(s)`

// deleteSeriesCypher removes the series, rebuilt by each full refresh.
const deleteSeriesCypher = `MATCH (s:Series) DETACH DELETE s`

// collaborativeCypher links each film to the films its fans loved too. Of a film's
// fans (the $maxFans most recent), co loved the neighbour; the score is
// co / (sqrt(fans) * ratings(neighbour)^$damping): a cosine-like normalisation, damped so
// that films everyone rated do not crowd out the rest, yet not so much that films rated
// twice win (the exponent was chosen by measurement, see damping). A neighbour's ratings are
// counted with a bare far end (only members rate films), which Neo4j reads from the node's
// degree instead of expanding every rating and checking its rater's label (on the seed,
// that count was three quarters of the step's database hits); for the same reason a fan's
// films are not checked for their label.
const collaborativeCypher = `MATCH (m:Movie) WHERE ($only IS NULL OR m.movieId IN $only) AND COUNT { (m)<-[r:RATED]-(:User) WHERE r.score >= $liked } >= $minCoLikes
CALL (m) {
  MATCH (m)<-[r:RATED]-(u:User) WHERE r.score >= $liked
  WITH u ORDER BY r.ratedAt DESC, u.userId LIMIT $maxFans
  WITH collect(u) AS fans
  UNWIND fans AS u
  MATCH (u)-[r:RATED]->(c) WHERE r.score >= $liked AND c <> m
  WITH c, size(fans) AS n, count(*) AS co WHERE co >= $minCoLikes
  WITH c, co / (sqrt(toFloat(n)) * COUNT { (c)<-[:RATED]-() } ^ $damping) AS score
  ORDER BY score DESC, c.movieId LIMIT $topK
  MERGE (m)-[s:SIMILAR]->(c)
  SET s.collaborative = score
} IN TRANSACTIONS OF $batch ROWS`

// contentCypher links each film to the films that share its people, tags, series and
// genres: 1 per shared director, 1 / (1 + mean billing) per shared actor of the first
// $maxBilling, 0.3 per shared tag, $seriesWeight for one series, plus 0.5 * the Jaccard index of the genre sets (0 when neither film
// has a genre: MovieLens lists some films with none); the sum x becomes
// x / (1 + x), in [0, 1). Films with fewer than $topK such neighbours also get the most
// rated films of their rarest genre. A film with ratings only gets neighbours with
// ratings: the films found only on Wikipedia (none) would otherwise crowd the lists of
// the rated films their casts share, while a film without ratings gets any neighbour
// (its content picks). The rarest genre is found from each genre's degree (a bare far
// end): counting its films with a label scanned Drama's 20,000 edges for every film. The
// Jaccard index compares two lists of genres read once per candidate (genres are all that
// IN_GENRE leads to): counting shared genres as paths cost twice the database hits.
// With $deferUnrated, the films without ratings are left out (BackfillUnrated computes them
// later: they are three quarters of the films and of this step's time).
const contentCypher = `MATCH (g:Genre)
CALL (g) {
  MATCH (g)<-[:IN_GENRE]-(c:Movie)
  WITH c ORDER BY COUNT { (c)<-[:RATED]-() } DESC, c.movieId LIMIT $genreTop
  RETURN collect(c) AS top
}
WITH collect({genre: g, top: top}) AS tops
MATCH (m:Movie) WHERE ($only IS NULL OR m.movieId IN $only) AND NOT ($deferUnrated AND coalesce(m.ratingCount, 0) = 0)
WITH m, tops, coalesce(m.ratingCount, 0) > 0 AS rated
CALL (m, tops, rated) {
  CALL (m, rated) {
    MATCH (m)<-[:DIRECTED]-(:Person)-[:DIRECTED]->(c:Movie) WHERE c <> m AND (NOT rated OR c.ratingCount > 0)
    RETURN c, 1.0 AS w
    UNION ALL
    MATCH (m)<-[a:ACTED_IN]-(:Person)-[b:ACTED_IN]->(c:Movie) WHERE a.order < $maxBilling AND c <> m AND (NOT rated OR c.ratingCount > 0)
    RETURN c, 1.0 / (1.0 + (a.order + b.order) / 2.0) AS w
    UNION ALL
    MATCH (m)-[:TAGGED]->(:Tag)<-[:TAGGED]-(c:Movie) WHERE c <> m AND (NOT rated OR c.ratingCount > 0)
    RETURN c, 0.3 AS w
    UNION ALL
    MATCH (m)-[:IN_SERIES]->(:Series)<-[:IN_SERIES]-(c:Movie) WHERE c <> m AND (NOT rated OR c.ratingCount > 0)
    RETURN c, $seriesWeight AS w
  }
  WITH c, sum(w) AS w
  WITH collect({c: c, w: w}) AS linked
  CALL (m, tops, linked, rated) {
    WITH m WHERE size(linked) < $topK
    MATCH (m)-[:IN_GENRE]->(g:Genre)
    WITH g ORDER BY COUNT { (g)<-[:IN_GENRE]-() }, g.name LIMIT 1
    UNWIND [t IN tops WHERE t.genre = g][0].top AS c
    WITH c WHERE c <> m AND NOT c IN [x IN linked | x.c] AND (NOT rated OR c.ratingCount > 0)
    RETURN collect({c: c, w: 0.0}) AS byGenre
  }
  WITH linked + byGenre AS candidates, COLLECT { MATCH (m)-[:IN_GENRE]->(g) RETURN g } AS genres
  UNWIND candidates AS x
  WITH x.c AS c, x.w AS w, genres
  WITH c, w, genres, COLLECT { MATCH (c)-[:IN_GENRE]->(g) RETURN g } AS theirs
  WITH c, w, size([g IN theirs WHERE g IN genres]) AS shared, size(genres) + size(theirs) AS both
  WITH c, w + CASE both - shared WHEN 0 THEN 0.0 ELSE 0.5 * shared / (both - shared) END AS raw
  WITH c, raw / (1.0 + raw) AS score WHERE score > 0
  ORDER BY score DESC, c.movieId LIMIT $topK
  MERGE (m)-[s:SIMILAR]->(c)
  SET s.content = score
} IN TRANSACTIONS OF $batch ROWS`

// stampCypher records on each film refreshed when its edges were computed (the start of
// the refresh, so that a rating given meanwhile is still seen as pending by the Refresher).
// Films left out by $deferUnrated are not stamped: BackfillUnrated finds them by that.
const stampCypher = `MATCH (m:Movie) WHERE ($only IS NULL OR m.movieId IN $only) AND NOT ($deferUnrated AND coalesce(m.ratingCount, 0) = 0)
CALL (m) { SET m.similarAt = $startedAt } IN TRANSACTIONS OF 10000 ROWS`

// A full refresh is bracketed by a marker node, so that one cut short (the process
// stopped, an error) is redone by the next EnsureSimilar instead of leaving some films
// without neighbours for good.
// Method names the way the edges are computed; a database whose last complete refresh used
// another method (older edges without `followed`, no series) is refreshed by EnsureSimilar.
// Raise it whenever a change of the Cypher below changes what the edges hold.
const Method = 3

const (
	startRunCypher = `MERGE (r:SimilarityRun) SET r.complete = false, r.startedAt = $startedAt,
  r.maxMovieId = COLLECT { MATCH (m:Movie) WHERE m.movieId IS NOT NULL RETURN m.movieId AS id ORDER BY id DESC LIMIT 1 }[0]`
	finishRunCypher   = `MERGE (r:SimilarityRun) SET r.complete = true, r.method = $method, r.finishedAt = datetime(), r.unratedPending = $deferUnrated`
	completeRunCypher = `OPTIONAL MATCH (r:SimilarityRun)
RETURN coalesce(r.complete, false) AND coalesce(r.method, 1) = $method AS complete`
)

// Refresh recomputes every SIMILAR edge from the current graph: it computes the "rated
// soon after", collaborative and content neighbours in batched transactions, then puts
// them in place of the old edges film by film (see stagedType), so readers see the old
// edges until then (a few minutes on the bundled seed with 2 cores). Progress lines go to
// log (nil: silent).
func Refresh(ctx context.Context, d neo4j.DriverWithContext, database string, log io.Writer) error {
	return refresh(ctx, d, database, nil, everyFilm, log)
}

// RefreshRated is Refresh but for the content neighbours of the films nobody rated, which
// it leaves to BackfillUnrated (the server's Refresher computes them while it serves): the
// rated films' neighbours never include them, and they are most of the content step's
// work. The run marker records them as pending (unratedPending), so that a later start
// resumes their backfill rather than starting a full refresh again.
func RefreshRated(ctx context.Context, d neo4j.DriverWithContext, database string, log io.Writer) error {
	return refresh(ctx, d, database, nil, deferUnrated, log)
}

// RefreshFilms is Refresh for the outgoing edges of the given films (by movieId) only:
// for tests, and to refresh the films a burst of new ratings touched.
func RefreshFilms(ctx context.Context, d neo4j.DriverWithContext, database string, movieIDs []int64, log io.Writer) error {
	if movieIDs == nil {
		movieIDs = []int64{}
	}
	return refresh(ctx, d, database, movieIDs, everyFilm, log)
}

// refreshMode says which films and steps a refresh covers.
type refreshMode int

const (
	everyFilm    refreshMode = iota // all the steps for every film (or every film of only)
	deferUnrated                    // a full refresh leaving the unrated films' content to BackfillUnrated
	contentOnly                     // the content step alone, for films nobody rated (BackfillUnrated)
)

func refresh(ctx context.Context, d neo4j.DriverWithContext, database string, only []int64, mode refreshMode, log io.Writer) error {
	if log == nil {
		log = io.Discard
	}
	params := map[string]any{
		"liked": cypher.LikedScore, "damping": damping, "maxFans": maxFans, "minCoLikes": minCoLikes, "maxBilling": maxBilling,
		"genreTop": genreTop, "topK": TopK, "batch": batch, "only": nil,
		"seriesWeight": seriesWeight, "maxSeries": maxSeries, "window": followedWindow, "followedDamping": followedDamping, "followedTopK": FollowedTopK,
		"minFollowers": minFollowers, "method": Method, "deferUnrated": mode == deferUnrated,
	}
	if only != nil {
		params["only"] = only
	}
	start := time.Now()
	params["startedAt"] = start.UTC()
	staged, err := hasEdges(ctx, d, database, params)
	if err != nil {
		return err
	}
	// Over films with edges, the steps write staged edges and the swap puts them in place
	// (see stagedType); otherwise they write SIMILAR edges and the stamp follows.
	writes := func(stmt string) string { return stmt }
	last := step{"stamp", stampCypher}
	if staged {
		writes = func(stmt string) string { return strings.ReplaceAll(stmt, ":"+similarType, ":"+stagedType) }
		last = step{name: "swap"}
	}
	steps := []step{{"staged clear", clearStagedCypher}, {"followed", writes(followedCypher)}, {"collaborative", writes(collaborativeCypher)},
		{"content", writes(contentCypher)}, last}
	series := []step{{"series delete", deleteSeriesCypher}, {"series", seriesCypher}}
	switch {
	case mode == contentOnly:
		// Films nobody rated have neither followed nor collaborative neighbours, and the
		// full refresh that deferred them built the series.
		steps = []step{{"staged clear", clearStagedCypher}, {"content", writes(contentCypher)}, last}
	case only == nil:
		steps = slices.Concat([]step{{"start", startRunCypher}}, series, steps, []step{{"markers", clearMarkersCypher}, {"finish", finishRunCypher}})
	default:
		// A partial refresh keeps the series (its films join those of their key), but builds
		// them on a database that has none.
		res, err := neo4j.ExecuteQuery(ctx, d, `RETURN EXISTS { (:Series) } AS any`, nil, neo4j.EagerResultTransformer,
			neo4j.ExecuteQueryWithDatabase(database))
		if err != nil {
			return fmt.Errorf("recommend: %w", err)
		}
		if any, _, _ := neo4j.GetRecordValue[bool](res.Records[0], "any"); !any {
			steps = slices.Concat(series, steps)
		} else {
			steps = slices.Concat([]step{{"series join", joinSeriesCypher}}, steps)
		}
	}
	buckets := int64(1)
	if only == nil && mode != contentOnly {
		if buckets, err = followedBuckets(ctx, d, database); err != nil {
			return err
		}
	}
	params["buckets"] = buckets
	progress, _ := log.(ProgressReporter)
	var costDone, costTotal int64
	for _, step := range steps {
		costTotal += stepCost(step.name, mode)
	}
	for _, step := range steps {
		if err := runStep(ctx, d, database, step, only, buckets, params); err != nil {
			return fmt.Errorf("recommend: similar %s: %w", step.name, err)
		}
		if costDone += stepCost(step.name, mode); progress != nil {
			progress.Report(costDone, costTotal)
		}
		fmt.Fprintf(log, "recommend: similar %-13s (%s)\n", step.name, time.Since(start).Round(time.Millisecond))
	}
	return nil
}

// runStep runs one step of a refresh: its statement (the followed step once per bucket),
// or the swap.
func runStep(ctx context.Context, d neo4j.DriverWithContext, database string, step step, only []int64, buckets int64, params map[string]any) error {
	if step.name == "swap" {
		return swapStaged(ctx, d, database, only, params)
	}
	runs := int64(1)
	if step.name == "followed" {
		runs = buckets
	}
	for bucket := range runs {
		params["bucket"] = bucket
		if err := beforeStep(ctx, step.name); err != nil {
			return err
		}
		if err := runImplicit(ctx, d, database, step.cypher, params); err != nil {
			return err
		}
	}
	return nil
}

// step is one statement of a refresh; the swap has none (swapStaged runs it).
type step struct{ name, cypher string }

// hasEdges says whether any film of a refresh (params' only; nil: any) has similarity
// edges.
func hasEdges(ctx context.Context, d neo4j.DriverWithContext, database string, params map[string]any) (bool, error) {
	res, err := neo4j.ExecuteQuery(ctx, d, hasEdgesCypher, map[string]any{"only": params["only"]}, neo4j.EagerResultTransformer,
		neo4j.ExecuteQueryWithDatabase(database))
	if err != nil {
		return false, fmt.Errorf("recommend: %w", err)
	}
	any, _, _ := neo4j.GetRecordValue[bool](res.Records[0], "any")
	return any, nil
}

// swapStaged puts the staged edges of a refresh's films (only; nil: every film a full
// refresh computed) in place of their SIMILAR edges, swapBatch films per transaction
// (swapCypher), retried on transient errors as managed transactions are.
func swapStaged(ctx context.Context, d neo4j.DriverWithContext, database string, only []int64, params map[string]any) error {
	films := only
	if films == nil {
		res, err := neo4j.ExecuteQuery(ctx, d, scopeCypher, map[string]any{"deferUnrated": params["deferUnrated"]},
			neo4j.EagerResultTransformer, neo4j.ExecuteQueryWithDatabase(database))
		if err != nil {
			return err
		}
		ids, _, _ := neo4j.GetRecordValue[[]any](res.Records[0], "ids")
		for _, id := range ids {
			films = append(films, id.(int64))
		}
	}
	for batch := range slices.Chunk(films, swapBatch) {
		if err := beforeStep(ctx, "swap"); err != nil {
			return err
		}
		if _, err := neo4j.ExecuteQuery(ctx, d, swapCypher, map[string]any{"films": batch, "startedAt": params["startedAt"]},
			neo4j.EagerResultTransformer, neo4j.ExecuteQueryWithDatabase(database)); err != nil {
			return err
		}
	}
	return nil
}

// stepHookKey carries the hook of WithStepHook in a context.
type stepHookKey struct{}

// WithStepHook returns ctx carrying hook, which a refresh run under it (also in a
// Refresher's cycle) calls before each of its statements with the step's name (each
// transaction of the swap is a "swap" step); an error from hook stops the refresh there
// as a stop or a lost database would. Tests use it to cut refreshes short at every step.
func WithStepHook(ctx context.Context, hook func(step string) error) context.Context {
	return context.WithValue(ctx, stepHookKey{}, hook)
}

// beforeStep calls ctx's step hook, if any (see WithStepHook).
func beforeStep(ctx context.Context, name string) error {
	if hook, ok := ctx.Value(stepHookKey{}).(func(string) error); ok {
		return hook(name)
	}
	return nil
}

// ProgressReporter is a log writer that also follows the share of a refresh done (a
// progress bar): refreshes call Report after each step, in units of stepCost.
type ProgressReporter interface {
	Report(done, total int64)
}

// stepCost is about the seconds of Neo4j CPU time a step of a full refresh took on the
// bundled seed (README, "Freshness"), so that a progress bar's share and time left follow
// the time spent; the content step is mostly the films nobody rated, unless deferred.
func stepCost(step string, mode refreshMode) int64 {
	switch step {
	case "followed":
		return 13
	case "collaborative":
		return 30
	case "content":
		if mode == deferUnrated {
			return 20
		}
		return 120
	case "series":
		return 3
	case "swap":
		return 5
	default:
		return 1
	}
}

// followedBuckets is the number of buckets of films a full refresh computes the "rated
// soon after" neighbours of one at a time: one per ratingsPerFollowedBucket ratings.
func followedBuckets(ctx context.Context, d neo4j.DriverWithContext, database string) (int64, error) {
	res, err := neo4j.ExecuteQuery(ctx, d, `MATCH ()-[r:RATED]->() RETURN count(r) AS n`, nil, neo4j.EagerResultTransformer,
		neo4j.ExecuteQueryWithDatabase(database))
	if err != nil {
		return 0, fmt.Errorf("recommend: %w", err)
	}
	n, _, _ := neo4j.GetRecordValue[int64](res.Records[0], "n")
	return n/ratingsPerFollowedBucket + 1, nil
}

// EnsureSimilar creates the Refresher's index, then runs Refresh unless the edges are
// Current, and finishes a backfill of the films nobody rated that a server left (for
// programs that need every edge and run no Refresher, like the benchmark).
func EnsureSimilar(ctx context.Context, d neo4j.DriverWithContext, database string, log io.Writer) error {
	if err := runImplicit(ctx, d, database, PendingIndexCypher, nil); err != nil {
		return fmt.Errorf("recommend: %w", err)
	}
	current, err := Current(ctx, d, database)
	if err != nil {
		return err
	}
	if current {
		return backfillAll(ctx, d, database, log)
	}
	return Refresh(ctx, d, database, log)
}

// Current reports whether a full refresh with the current method has completed on this
// database: not on a first start, after a refresh cut short, or with edges of an older method.
func Current(ctx context.Context, d neo4j.DriverWithContext, database string) (bool, error) {
	res, err := neo4j.ExecuteQuery(ctx, d, completeRunCypher, map[string]any{"method": Method}, neo4j.EagerResultTransformer,
		neo4j.ExecuteQueryWithDatabase(database))
	if err != nil {
		return false, fmt.Errorf("recommend: %w", err)
	}
	complete, _, _ := neo4j.GetRecordValue[bool](res.Records[0], "complete")
	return complete, nil
}

// runImplicit runs a statement in an auto-commit transaction, as CALL { } IN TRANSACTIONS
// requires.
func runImplicit(ctx context.Context, d neo4j.DriverWithContext, database, stmt string, params map[string]any) error {
	s := d.NewSession(ctx, neo4j.SessionConfig{DatabaseName: database, AccessMode: neo4j.AccessModeWrite})
	defer s.Close(ctx)
	res, err := s.Run(ctx, stmt, params)
	if err != nil {
		return err
	}
	_, err = res.Consume(ctx)
	return err
}
