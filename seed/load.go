package seed

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"filmgraph/auth"
	"filmgraph/seed/internal/seedfile"
)

// batchSize is the number of rows per write transaction: big enough that
// the round trips do not dominate, small enough to keep each transaction's
// memory modest on a small heap.
const batchSize = 10_000

// Every statement below takes its rows as $rows and MERGEs on the unique
// key, so running it again changes nothing. Properties the site may change
// later (a user's role, a movie's synopsis) are only set on create or not
// at all, so a reload does not undo them.
const (
	mergeGenresCypher = `UNWIND $rows AS name
MERGE (:Genre {name: name})`

	// A finer genre points at the genre it is a kind of.
	mergeSubgenresCypher = `UNWIND $rows AS row
MATCH (g:Genre {name: row.name})
MATCH (p:Genre {name: row.parent})
MERGE (g)-[:SUBGENRE_OF]->(p)`

	mergeTagsCypher = `UNWIND $rows AS name
MERGE (:Tag {name: name})`

	mergePeopleCypher = `UNWIND $rows AS row
MERGE (p:Person {personId: row.personId})
SET p.name = row.name`

	mergeMoviesCypher = `UNWIND $rows AS row
MERGE (m:Movie {movieId: row.movieId})
SET m.movieLensId = row.movieLensId, m.title = row.title, m.year = row.year, m.imdbId = row.imdbId, m.tmdbId = row.tmdbId,
    m.plot = row.plot, m.posterUrl = row.posterUrl, m.posterWidth = row.posterWidth,
    m.posterHeight = row.posterHeight, m.coverCaption = row.coverCaption,
    m.wikipediaHref = row.wikipediaHref`

	mergeInGenreCypher = `UNWIND $rows AS row
MATCH (m:Movie {movieId: row.movieId})
MATCH (g:Genre {name: row.genre})
MERGE (m)-[r:IN_GENRE]->(g)
SET r.implied = row.implied`

	mergeActedInCypher = `UNWIND $rows AS row
MATCH (p:Person {personId: row.personId})
MATCH (m:Movie {movieId: row.movieId})
MERGE (p)-[r:ACTED_IN]->(m)
SET r.order = row.order`

	mergeDirectedCypher = `UNWIND $rows AS row
MATCH (p:Person {personId: row.personId})
MATCH (m:Movie {movieId: row.movieId})
MERGE (p)-[:DIRECTED]->(m)`

	mergeTaggedCypher = `UNWIND $rows AS row
MATCH (m:Movie {movieId: row.movieId})
MATCH (t:Tag {name: row.tag})
MERGE (m)-[r:TAGGED]->(t)
SET r.count = row.count`

	// MovieLens users: epoch seconds become UTC datetimes here, which keeps
	// the parameters small. usernameKey is the case-folded username that
	// uniqueness and log-in go by (auth.IdentityKey).
	mergeMovieLensUsersCypher = `UNWIND $rows AS row
MERGE (u:User {userId: row.userId})
ON CREATE SET u.role = 'USER'
SET u.username = row.username, u.usernameKey = row.usernameKey, u.joinedAt = datetime({epochSeconds: row.joinedAt})`

	mergeSiteUsersCypher = `UNWIND $rows AS row
MERGE (u:User {userId: row.userId})
ON CREATE SET u.role = row.role
SET u.username = row.username, u.usernameKey = row.usernameKey, u.joinedAt = datetime(row.joinedAt)`

	mergeRatingsCypher = `UNWIND $rows AS row
MATCH (u:User {userId: row.userId})
MATCH (m:Movie {movieId: row.movieId})
MERGE (u)-[r:RATED]->(m)
SET r.score = row.score, r.ratedAt = datetime({epochSeconds: row.ratedAt})`

	// Each film caches its rating summary so that browsing can filter and order by it
	// through an index. Every write of a RATED edge updates these in the same
	// transaction; this step recomputes them from the edges.
	summarizeRatingsCypher = `UNWIND $rows AS movieId
MATCH (m:Movie {movieId: movieId})
WITH m, COLLECT { MATCH (m)<-[r:RATED]-(:User) RETURN r.score } AS scores
WITH m, size(scores) AS count, reduce(total = 0, s IN scores | total + s) AS total
SET m.ratingCount = count, m.ratingTotal = total,
    m.ratingAverage = CASE count WHEN 0 THEN null ELSE toFloat(total) / count END`

	mergeReviewsCypher = `UNWIND $rows AS row
MATCH (u:User {userId: row.userId})
MATCH (m:Movie {movieId: row.movieId})
MERGE (r:Review {reviewId: row.reviewId})
SET r.text = row.text, r.score = row.score, r.addedAt = datetime(row.addedAt)
MERGE (u)-[:WROTE]->(r)
MERGE (r)-[:ABOUT]->(m)`

	mergeListsCypher = `UNWIND $rows AS row
MATCH (u:User {userId: row.userId})
MERGE (l:UserList {listId: row.listId})
SET l.title = row.title, l.description = row.description, l.public = row.public,
    l.createdAt = datetime(row.createdAt)
MERGE (u)-[:CREATED]->(l)
WITH l, row
UNWIND range(0, size(row.movieIds) - 1) AS position
MATCH (m:Movie {movieId: row.movieIds[position]})
MERGE (l)-[c:CONTAINS]->(m)
SET c.position = position`

	// The counter only moves up: users who signed up after an earlier load
	// keep their ids.
	mergeUserSequenceCypher = `UNWIND $rows AS next
MERGE (s:Sequence {name: 'user'})
ON CREATE SET s.next = next
SET s.next = CASE WHEN s.next < next THEN next ELSE s.next END`

	// Written last: its presence means every step before it committed.
	mergeSeedInfoCypher = `UNWIND $rows AS version
MERGE (i:SeedInfo {version: version})
SET i.loadedAt = datetime()`
)

// step is one entity of the load: a statement and its rows.
type step struct {
	name   string
	cypher string
	rows   []any
}

// Load runs EnsureSchema, then loads the bundled seed in batched UNWIND
// write transactions (parameters only, managed ExecuteWrite, which retries
// transient errors). It is idempotent: every node and relationship is
// MERGEd on its key, so a second run changes no counts. A progress line per
// step (rows, elapsed) goes to log; nil is silent. The returned Stats are
// Count's after the load, with Elapsed the whole load's time. An error
// names the step; a half-finished load is completed by running Load again.
func Load(ctx context.Context, d neo4j.DriverWithContext, database string, log io.Writer) (Stats, error) {
	return LoadWith(ctx, d, database, log, Options{})
}

// LoadWith is Load with options (see Options).
func LoadWith(ctx context.Context, d neo4j.DriverWithContext, database string, log io.Writer, opts Options) (Stats, error) {
	start := time.Now()
	if log == nil {
		log = io.Discard
	}
	if err := EnsureSchema(ctx, d, database); err != nil {
		return Stats{}, err
	}
	fmt.Fprintf(log, "seed: schema online (%s)\n", since(start))
	b, err := readBundle()
	if err != nil {
		return Stats{}, err
	}
	return runSteps(ctx, d, database, b.steps(Version(), opts), log, start)
}

// ProgressReporter is a log writer that also follows the share of the load done (a
// progress bar): Load calls Report after each batch with the rows written and the rows of
// the whole load.
type ProgressReporter interface {
	Report(done, total int64)
}

// runSteps writes each step's rows in batched write transactions, then counts.
func runSteps(ctx context.Context, d neo4j.DriverWithContext, database string, steps []step, log io.Writer, start time.Time) (Stats, error) {
	s := d.NewSession(ctx, neo4j.SessionConfig{DatabaseName: database, AccessMode: neo4j.AccessModeWrite})
	defer s.Close(ctx)
	progress, _ := log.(ProgressReporter)
	var rowsDone, rowsTotal int64
	for _, st := range steps {
		rowsTotal += int64(len(st.rows))
	}
	for _, st := range steps {
		for lo := 0; lo < len(st.rows); lo += batchSize {
			batch := st.rows[lo:min(lo+batchSize, len(st.rows))]
			_, err := s.ExecuteWrite(ctx, func(tx neo4j.ManagedTransaction) (any, error) {
				res, err := tx.Run(ctx, st.cypher, map[string]any{"rows": batch})
				if err != nil {
					return nil, err
				}
				return res.Consume(ctx)
			})
			if err != nil {
				return Stats{}, fmt.Errorf("seed: %s rows %d-%d: %w", st.name, lo, lo+len(batch)-1, err)
			}
			if rowsDone += int64(len(batch)); progress != nil {
				progress.Report(rowsDone, rowsTotal)
			}
		}
		fmt.Fprintf(log, "seed: %-10s %7d rows (%s)\n", st.name, len(st.rows), since(start))
	}
	// Users signed up before the account keys existed get theirs too.
	unkeyed, err := EnsureAccountKeys(ctx, d, database)
	if err != nil {
		return Stats{}, err
	}
	if len(unkeyed) > 0 {
		fmt.Fprintf(log, "seed: %d users share a case-insensitive username or email with an older member and cannot log in until renamed: %q\n", len(unkeyed), unkeyed)
	}
	stats, err := Count(ctx, d, database)
	if err != nil {
		return Stats{}, err
	}
	stats.Elapsed = time.Since(start)
	fmt.Fprintf(log, "seed: loaded %s in %s\n", stats, stats.Elapsed.Round(time.Millisecond))
	return stats, nil
}

func since(t time.Time) time.Duration { return time.Since(t).Round(time.Millisecond) }

// steps lists the load in dependency order: nodes, then the relationships
// between them, then the site's facts, then the SeedInfo marker for version.
func (b *bundle) steps(version string, opts Options) []step {
	var movieIDs, genres, tags, people, movies, inGenre, actedIn, directed, tagged, users, ratings []any
	var subgenres []any
	for _, g := range b.Genres {
		genres = append(genres, g.Name)
		if g.Parent != "" {
			subgenres = append(subgenres, map[string]any{"name": g.Name, "parent": g.Parent})
		}
	}
	for _, t := range b.tagNames() {
		tags = append(tags, t)
	}
	for _, p := range b.People {
		people = append(people, map[string]any{"personId": p.PersonID, "name": p.Name})
	}
	for _, m := range b.Movies {
		movies = append(movies, movieRow(m))
		movieIDs = append(movieIDs, m.MovieID)
		for _, g := range m.Genres {
			inGenre = append(inGenre, map[string]any{"movieId": m.MovieID, "genre": g, "implied": nil})
		}
		for _, g := range m.ImpliedGenres {
			inGenre = append(inGenre, map[string]any{"movieId": m.MovieID, "genre": g, "implied": true})
		}
		for order, id := range m.Cast {
			actedIn = append(actedIn, map[string]any{"personId": id, "movieId": m.MovieID, "order": order})
		}
		for _, id := range m.Directors {
			directed = append(directed, map[string]any{"personId": id, "movieId": m.MovieID})
		}
	}
	for _, t := range b.Tags {
		tagged = append(tagged, map[string]any{"movieId": t.MovieID, "tag": t.Tag, "count": t.Count})
	}
	for _, u := range b.Users {
		users = append(users, map[string]any{"userId": u.UserID, "username": u.Username, "usernameKey": auth.IdentityKey(u.Username), "joinedAt": u.JoinedAt})
	}
	for _, r := range b.Ratings {
		if opts.KeepRating != nil && !opts.KeepRating(r) {
			continue
		}
		ratings = append(ratings, map[string]any{"userId": r.UserID, "movieId": r.MovieID, "score": r.Score, "ratedAt": r.RatedAt})
	}
	var siteUsers, reviews, lists []any
	for _, u := range b.Site.Users {
		siteUsers = append(siteUsers, map[string]any{"userId": u.UserID, "username": u.Username, "usernameKey": auth.IdentityKey(u.Username), "joinedAt": u.JoinedAt, "role": u.Role})
	}
	for _, r := range b.Site.Reviews {
		reviews = append(reviews, map[string]any{
			"reviewId": r.ReviewID, "userId": r.UserID, "movieId": r.MovieID,
			"score": r.Score, "addedAt": r.AddedAt, "text": r.Text,
		})
	}
	for _, l := range b.Site.Lists {
		ids := make([]any, len(l.MovieIDs))
		for i, id := range l.MovieIDs {
			ids[i] = id
		}
		lists = append(lists, map[string]any{
			"listId": l.ListID, "userId": l.UserID, "title": l.Title, "description": l.Description,
			"public": l.Public, "createdAt": l.CreatedAt, "movieIds": ids,
		})
	}
	return []step{
		{"genres", mergeGenresCypher, genres},
		{"SUBGENRE_OF", mergeSubgenresCypher, subgenres},
		{"tags", mergeTagsCypher, tags},
		{"people", mergePeopleCypher, people},
		{"movies", mergeMoviesCypher, movies},
		{"IN_GENRE", mergeInGenreCypher, inGenre},
		{"ACTED_IN", mergeActedInCypher, actedIn},
		{"DIRECTED", mergeDirectedCypher, directed},
		{"TAGGED", mergeTaggedCypher, tagged},
		{"users", mergeMovieLensUsersCypher, users},
		{"site users", mergeSiteUsersCypher, siteUsers},
		{"RATED", mergeRatingsCypher, ratings},
		{"summaries", summarizeRatingsCypher, movieIDs},
		{"reviews", mergeReviewsCypher, reviews},
		{"lists", mergeListsCypher, lists},
		{"sequence", mergeUserSequenceCypher, []any{b.Site.NextUserID}},
		{"seed info", mergeSeedInfoCypher, []any{version}},
	}
}

// movieRow is the parameter map of one movie. Nil pointers become nil
// interfaces (the driver cannot send typed nil pointers), and SET of a null
// removes the property, so a missing value is simply absent.
func movieRow(m seedfile.Movie) map[string]any {
	return map[string]any{
		"movieId": m.MovieID, "movieLensId": movieLensID(m.MovieID), "title": m.Title, "year": optInt(m.Year),
		"imdbId": optString(m.ImdbID), "tmdbId": optString(m.TmdbID), "plot": optString(m.Plot),
		"posterUrl": optString(m.PosterURL), "posterWidth": optInt(m.PosterWidth), "posterHeight": optInt(m.PosterHeight),
		"coverCaption": optString(m.CoverCaption), "wikipediaHref": optString(m.WikipediaHref),
	}
}

func optInt(p *int) any {
	if p == nil {
		return nil
	}
	return *p
}

func optString(p *string) any {
	if p == nil {
		return nil
	}
	return *p
}

// movieLensID is the MovieLens id of a film, nil for one found only on Wikipedia.
func movieLensID(movieID int) any {
	if movieID >= FirstWikipediaOnlyMovieID {
		return nil
	}
	return movieID
}
