// Package seedfile is the on-disk format of the bundled seed in seed/data:
// the file names, one record type per file, and deterministic gzip writing.
// The build program (seed/build) writes these files and the loader (seed)
// reads them, so both sides share one definition of every column.
package seedfile

// File names inside seed/data. Tabular entities are gzip'd CSV with a header
// row (smallest for 100k ratings); movies are gzip'd JSON lines because they
// carry lists and long text; site.json is plain JSON so its few hand-made
// facts stay readable in review.
const (
	MoviesFile  = "movies.jsonl.gz"
	PeopleFile  = "people.csv.gz"
	RatingsFile = "ratings.csv.gz"
	TagsFile    = "tags.csv.gz"
	UsersFile   = "users.csv.gz"
	SiteFile    = "site.json"
	GenresFile  = "genres.csv.gz"
)

// Column headers of the CSV files, in order. Readers check them so a file
// written by another version fails loudly instead of loading shifted columns.
var (
	PeopleHeader  = []string{"personId", "name"}
	RatingsHeader = []string{"userId", "movieId", "score", "ratedAt"}
	TagsHeader    = []string{"movieId", "tag", "count"}
	UsersHeader   = []string{"userId", "username", "joinedAt"}
	GenresHeader  = []string{"name", "parent"}
)

// Movie is one line of movies.jsonl.gz. Pointer fields are null when the
// source has no value (no year, not joined to Wikipedia, no thumbnail).
type Movie struct {
	MovieID int     `json:"movieId"`
	Title   string  `json:"title"`
	Year    *int    `json:"year"`
	ImdbID  *string `json:"imdbId"`
	TmdbID  *string `json:"tmdbId"`
	// Genres are the genres the film lists (its page shows them);
	// ImpliedGenres those it is in without listing them: the parents of its
	// genres, and for the reference film its MovieLens genres, which the
	// page's replace. Browsing a genre finds both.
	Genres        []string `json:"genres"`
	ImpliedGenres []string `json:"impliedGenres,omitempty"`
	Plot          *string  `json:"plot"`
	Synopsis      *string  `json:"synopsis"`
	PosterURL     *string  `json:"posterUrl"`
	PosterWidth   *int     `json:"posterWidth"`
	PosterHeight  *int     `json:"posterHeight"`
	CoverCaption  *string  `json:"coverCaption"`
	WikipediaHref *string  `json:"wikipediaHref"`
	// Cast holds personIds in billing order; the index is ACTED_IN.order.
	Cast      []int `json:"cast"`
	Directors []int `json:"directors"`
}

// Genre is one row of genres.csv.gz: Parent is "" for a top-level genre.
type Genre struct {
	Name, Parent string
}

// Person is one row of people.csv.gz.
type Person struct {
	PersonID int
	Name     string
}

// Rating is one row of ratings.csv.gz; RatedAt is Unix seconds (UTC).
type Rating struct {
	UserID, MovieID, Score int
	RatedAt                int64
}

// Tag is one row of tags.csv.gz: how many times a tag was applied to a movie.
type Tag struct {
	MovieID int
	Tag     string
	Count   int
}

// User is one row of users.csv.gz (the MovieLens raters); JoinedAt is Unix
// seconds (UTC).
type User struct {
	UserID   int
	Username string
	JoinedAt int64
}

// Site is site.json: the hand-made facts of the site (users who are not
// MovieLens raters, their reviews and lists) and the next free userId.
// Times are RFC 3339 strings in UTC.
type Site struct {
	Users      []SiteUser `json:"users"`
	Reviews    []Review   `json:"reviews"`
	Lists      []List     `json:"lists"`
	NextUserID int        `json:"nextUserId"`
}

// SiteUser is a seeded site account; it has no password, so it cannot log in.
type SiteUser struct {
	UserID   int    `json:"userId"`
	Username string `json:"username"`
	JoinedAt string `json:"joinedAt"`
	Role     string `json:"role"`
}

// Review is a seeded review written by a site user about one movie.
type Review struct {
	ReviewID string `json:"reviewId"`
	UserID   int    `json:"userId"`
	MovieID  int    `json:"movieId"`
	Score    int    `json:"score"`
	AddedAt  string `json:"addedAt"`
	Text     string `json:"text"`
}

// List is a seeded user list; MovieIDs are in order, the index is
// CONTAINS.position (0 first).
type List struct {
	ListID      string `json:"listId"`
	UserID      int    `json:"userId"`
	Title       string `json:"title"`
	Description string `json:"description"`
	Public      bool   `json:"public"`
	CreatedAt   string `json:"createdAt"`
	MovieIDs    []int  `json:"movieIds"`
}
