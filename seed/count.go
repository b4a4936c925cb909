package seed

import (
	"context"
	"fmt"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
)

// Stats counts what is in the database after a load.
type Stats struct {
	Movies, People, Genres, Tags, Users, Ratings, ActedIn, Directed, InGenre, Tagged, Reviews, Lists int64
	Elapsed                                                                                          time.Duration
}

// String gives the counts on one line, for progress logs.
func (s Stats) String() string {
	return fmt.Sprintf("movies=%d people=%d genres=%d tags=%d users=%d ratings=%d actedIn=%d directed=%d inGenre=%d tagged=%d reviews=%d lists=%d",
		s.Movies, s.People, s.Genres, s.Tags, s.Users, s.Ratings, s.ActedIn, s.Directed, s.InGenre, s.Tagged, s.Reviews, s.Lists)
}

// countCypher reads every count in one statement. Each count of a whole
// label or relationship type comes from Neo4j's count store, so this is
// cheap at any size.
const countCypher = `CALL () { MATCH (n:Movie) RETURN count(n) AS movies }
CALL () { MATCH (n:Person) RETURN count(n) AS people }
CALL () { MATCH (n:Genre) RETURN count(n) AS genres }
CALL () { MATCH (n:Tag) RETURN count(n) AS tags }
CALL () { MATCH (n:User) RETURN count(n) AS users }
CALL () { MATCH ()-[r:RATED]->() RETURN count(r) AS ratings }
CALL () { MATCH ()-[r:ACTED_IN]->() RETURN count(r) AS actedIn }
CALL () { MATCH ()-[r:DIRECTED]->() RETURN count(r) AS directed }
CALL () { MATCH ()-[r:IN_GENRE]->() RETURN count(r) AS inGenre }
CALL () { MATCH ()-[r:TAGGED]->() RETURN count(r) AS tagged }
CALL () { MATCH (n:Review) RETURN count(n) AS reviews }
CALL () { MATCH (n:UserList) RETURN count(n) AS lists }
RETURN movies, people, genres, tags, users, ratings, actedIn, directed, inGenre, tagged, reviews, lists`

// Count returns the Stats counts (Elapsed zero) by querying the database:
// all nodes of each label and relationships of each type, seeded or not.
func Count(ctx context.Context, d neo4j.DriverWithContext, database string) (Stats, error) {
	res, err := neo4j.ExecuteQuery(ctx, d, countCypher, nil, neo4j.EagerResultTransformer,
		neo4j.ExecuteQueryWithDatabase(database), neo4j.ExecuteQueryWithReadersRouting())
	if err != nil {
		return Stats{}, fmt.Errorf("seed: count: %w", err)
	}
	if len(res.Records) != 1 {
		return Stats{}, fmt.Errorf("seed: count: %d rows", len(res.Records))
	}
	rec := res.Records[0]
	var s Stats
	for _, f := range []struct {
		key string
		dst *int64
	}{
		{"movies", &s.Movies}, {"people", &s.People}, {"genres", &s.Genres}, {"tags", &s.Tags},
		{"users", &s.Users}, {"ratings", &s.Ratings}, {"actedIn", &s.ActedIn}, {"directed", &s.Directed},
		{"inGenre", &s.InGenre}, {"tagged", &s.Tagged}, {"reviews", &s.Reviews}, {"lists", &s.Lists},
	} {
		n, _, err := neo4j.GetRecordValue[int64](rec, f.key)
		if err != nil {
			return Stats{}, fmt.Errorf("seed: count %s: %w", f.key, err)
		}
		*f.dst = n
	}
	return s, nil
}

// seededCypher finds the marker Load writes last for this seed version.
const seededCypher = `OPTIONAL MATCH (i:SeedInfo {version: $version})
RETURN i IS NOT NULL AS seeded`

// Seeded reports whether this bundled seed (Version) was loaded completely:
// Load writes a (:SeedInfo {version}) node after everything else, so a load
// that stopped halfway, or one of other data, reports false and should be
// (re)run. It costs one index lookup.
func Seeded(ctx context.Context, d neo4j.DriverWithContext, database string) (bool, error) {
	res, err := neo4j.ExecuteQuery(ctx, d, seededCypher, map[string]any{"version": Version()}, neo4j.EagerResultTransformer,
		neo4j.ExecuteQueryWithDatabase(database), neo4j.ExecuteQueryWithReadersRouting())
	if err != nil {
		return false, fmt.Errorf("seed: seeded: %w", err)
	}
	if len(res.Records) != 1 {
		return false, fmt.Errorf("seed: seeded: %d rows", len(res.Records))
	}
	seeded, _, err := neo4j.GetRecordValue[bool](res.Records[0], "seeded")
	if err != nil {
		return false, fmt.Errorf("seed: seeded: %w", err)
	}
	return seeded, nil
}
