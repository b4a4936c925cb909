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
