package seed

import "filmgraph/seed/internal/seedfile"

// Rating is one bundled MovieLens rating: score 1-10, RatedAt in Unix seconds.
type Rating = seedfile.Rating

// Options change what LoadWith loads; the zero value loads everything, as Load does.
type Options struct {
	// KeepRating, when set, loads only the ratings it returns true for; the offline
	// evaluation of recommendations uses it to hold out each user's latest ratings.
	KeepRating func(Rating) bool
}

// Ratings returns the bundled ratings, in the order of the data file.
func Ratings() ([]Rating, error) {
	b, err := readBundle()
	if err != nil {
		return nil, err
	}
	return b.Ratings, nil
}

// FirstWikipediaOnlyMovieID is the movieId of the first film found only on
// Wikipedia's lists; those films are numbered from it, above every MovieLens
// id (ml-latest-small's largest is 193,609) and below the offsets of
// LoadScaled's copies. A film below it is a MovieLens film and has that id
// as its movieLensId too.
const FirstWikipediaOnlyMovieID = 500_001
