// Package seed loads the bundled seed into Neo4j: the 9,742 MovieLens-small
// films with their 100,836 ratings (610 users) and tags, joined to the
// Wikipedia American-films lists for cast, directors, plots and posters;
// every other film of those lists (about 29,700, ids from 500,001, no
// ratings); and the reference movie page's review, user and list.
//
// The data is embedded (seed/data), so Load works from any directory and
// any binary; seed/data/README.md says where every field comes from and
// under which license, and seed/build derives the files from the shared
// inputs.
//
// The graph it writes:
//
//	(:Movie {movieId, movieLensId, title, year, imdbId, tmdbId, plot, posterUrl, posterWidth, posterHeight, coverCaption, wikipediaHref})
//	(:Genre {name})          (:Movie)-[:IN_GENRE {implied}]->(:Genre)  (:Genre)-[:SUBGENRE_OF]->(:Genre)
//	(:Person {personId, name})  (:Person)-[:DIRECTED]->(:Movie)  (:Person)-[:ACTED_IN {order}]->(:Movie)
//	(:Tag {name})            (:Movie)-[:TAGGED {count}]->(:Tag)
//	(:User {userId, username, joinedAt, role})  (:User)-[:RATED {score, ratedAt}]->(:Movie)
//	(:Review {reviewId, text, score, addedAt})  (:User)-[:WROTE]->(:Review)-[:ABOUT]->(:Movie)
//	(:UserList {listId, title, description, public, createdAt})
//	                         (:User)-[:CREATED]->(:UserList)-[:CONTAINS {position}]->(:Movie)
//	(:Sequence {name: 'user', next})   the next free userId for sign-ups
//	(:SeedInfo {version, loadedAt})    written last by Load, read by Seeded
//
// Absent values (a film without a year, poster or synopsis) are absent
// properties, which Cypher reads as null. movieLensId equals movieId for the
// MovieLens films and is absent on the films found only on Wikipedia
// (movieId FirstWikipediaOnlyMovieID and up). IN_GENRE.implied is true where the
// film is in the genre without listing it (a parent of a listed genre, or
// the reference film's MovieLens genres, which its page's replace), absent
// elsewhere; Movie.genres shows the listed ones, browsing finds all. ACTED_IN.order and
// CONTAINS.position count from 0. MovieLens users are named "ml-<id>" and,
// like the seeded site users (userIds from 1,000,000), have no email or
// password, so they cannot log in.
package seed
