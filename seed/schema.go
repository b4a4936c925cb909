package seed

import (
	"context"
	"fmt"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
)

// schemaStatements create the constraints and indexes the application
// relies on. Each is idempotent (IF NOT EXISTS) and runs in its own
// transaction, as Neo4j does not mix schema and data changes.
var schemaStatements = []string{
	// Uniqueness constraints, which also give the id lookups their index.
	`CREATE CONSTRAINT movie_movieId IF NOT EXISTS FOR (n:Movie) REQUIRE n.movieId IS UNIQUE`,
	`CREATE CONSTRAINT person_personId IF NOT EXISTS FOR (n:Person) REQUIRE n.personId IS UNIQUE`,
	`CREATE CONSTRAINT genre_name IF NOT EXISTS FOR (n:Genre) REQUIRE n.name IS UNIQUE`,
	`CREATE CONSTRAINT tag_name IF NOT EXISTS FOR (n:Tag) REQUIRE n.name IS UNIQUE`,
	`CREATE CONSTRAINT user_userId IF NOT EXISTS FOR (n:User) REQUIRE n.userId IS UNIQUE`,
	`CREATE CONSTRAINT user_username IF NOT EXISTS FOR (n:User) REQUIRE n.username IS UNIQUE`,
	`CREATE CONSTRAINT user_email IF NOT EXISTS FOR (n:User) REQUIRE n.email IS UNIQUE`,
	accountKeyConstraints[0], accountKeyConstraints[1],
	`CREATE CONSTRAINT review_reviewId IF NOT EXISTS FOR (n:Review) REQUIRE n.reviewId IS UNIQUE`,
	`CREATE CONSTRAINT comment_commentId IF NOT EXISTS FOR (n:Comment) REQUIRE n.commentId IS UNIQUE`,
	`CREATE CONSTRAINT userList_listId IF NOT EXISTS FOR (n:UserList) REQUIRE n.listId IS UNIQUE`,
	`CREATE CONSTRAINT synopsisSubmission_submissionId IF NOT EXISTS FOR (n:SynopsisSubmission) REQUIRE n.submissionId IS UNIQUE`,
	// One counter node per name and one marker per seed version, so MERGE
	// on them never makes two.
	`CREATE CONSTRAINT sequence_name IF NOT EXISTS FOR (n:Sequence) REQUIRE n.name IS UNIQUE`,
	`CREATE CONSTRAINT seedInfo_version IF NOT EXISTS FOR (n:SeedInfo) REQUIRE n.version IS UNIQUE`,
	// Range indexes for filters and sorting.
	`CREATE INDEX movie_year IF NOT EXISTS FOR (n:Movie) ON (n.year)`,
	`CREATE INDEX movie_title IF NOT EXISTS FOR (n:Movie) ON (n.title)`,
	`CREATE INDEX person_name IF NOT EXISTS FOR (n:Person) ON (n.name)`,
	// Browsing filters and orders films by their cached rating summary.
	`CREATE INDEX movie_ratingAverage IF NOT EXISTS FOR (n:Movie) ON (n.ratingAverage)`,
	`CREATE INDEX movie_ratingCount IF NOT EXISTS FOR (n:Movie) ON (n.ratingCount)`,
	// Query.movieByExternalId; not unique: a few MovieLens films share a TMDB id.
	`CREATE INDEX movie_movieLensId IF NOT EXISTS FOR (n:Movie) ON (n.movieLensId)`,
	`CREATE INDEX movie_imdbId IF NOT EXISTS FOR (n:Movie) ON (n.imdbId)`,
	`CREATE INDEX movie_tmdbId IF NOT EXISTS FOR (n:Movie) ON (n.tmdbId)`,
	// Site-wide feeds: Query.recentReviews (newest first) and Query.trending (a time window).
	`CREATE INDEX review_addedAt IF NOT EXISTS FOR (n:Review) ON (n.addedAt)`,
	`CREATE INDEX rated_ratedAt IF NOT EXISTS FOR ()-[r:RATED]-() ON (r.ratedAt)`,
	// The moderators' queue: pending submissions, oldest first.
	`CREATE INDEX synopsisSubmission_status_submittedAt IF NOT EXISTS FOR (n:SynopsisSubmission) ON (n.status, n.submittedAt)`,
	// Full-text search. The analyzer keeps stop words so "The" and "It"
	// can be searched for and prefix queries ("matr*") and fuzzy ones
	// ("matrx~") work on every word.
	"CREATE FULLTEXT INDEX movieTitleSearch IF NOT EXISTS FOR (n:Movie) ON EACH [n.title] " +
		"OPTIONS {indexConfig: {`fulltext.analyzer`: 'standard-no-stop-words'}}",
	"CREATE FULLTEXT INDEX personNameSearch IF NOT EXISTS FOR (n:Person) ON EACH [n.name] " +
		"OPTIONS {indexConfig: {`fulltext.analyzer`: 'standard-no-stop-words'}}",
}

// accountKeyConstraints make usernames and emails unique whatever their case
// (auth.IdentityKey); EnsureAccountKeys also runs them, on databases seeded before them.
var accountKeyConstraints = []string{
	`CREATE CONSTRAINT user_usernameKey IF NOT EXISTS FOR (n:User) REQUIRE n.usernameKey IS UNIQUE`,
	`CREATE CONSTRAINT user_emailKey IF NOT EXISTS FOR (n:User) REQUIRE n.emailKey IS UNIQUE`,
}

// indexOnlineTimeoutSeconds bounds the wait for indexes to come online; on
// an empty database they are online at once, on a full one they populate in
// seconds.
const indexOnlineTimeoutSeconds = 300

// EnsureSchema creates the constraints and indexes of the graph model
// (idempotent: IF NOT EXISTS) and waits until every index is online. It
// returns the first error of the database, wrapped with the statement.
func EnsureSchema(ctx context.Context, d neo4j.DriverWithContext, database string) error {
	s := d.NewSession(ctx, neo4j.SessionConfig{DatabaseName: database, AccessMode: neo4j.AccessModeWrite})
	defer s.Close(ctx)
	if err := runSchema(ctx, s, schemaStatements); err != nil {
		return err
	}
	_, err := s.ExecuteRead(ctx, func(tx neo4j.ManagedTransaction) (any, error) {
		res, err := tx.Run(ctx, "CALL db.awaitIndexes($timeout)", map[string]any{"timeout": indexOnlineTimeoutSeconds})
		if err != nil {
			return nil, err
		}
		return res.Consume(ctx)
	})
	if err != nil {
		return fmt.Errorf("seed: waiting for indexes: %w", err)
	}
	return nil
}

// runSchema runs each schema statement in its own transaction.
func runSchema(ctx context.Context, s neo4j.SessionWithContext, statements []string) error {
	for _, stmt := range statements {
		_, err := s.ExecuteWrite(ctx, func(tx neo4j.ManagedTransaction) (any, error) {
			res, err := tx.Run(ctx, stmt, nil)
			if err != nil {
				return nil, err
			}
			return res.Consume(ctx)
		})
		if err != nil {
			return fmt.Errorf("seed: schema %q: %w", stmt, err)
		}
	}
	return nil
}
