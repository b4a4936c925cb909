package seed

import "testing"

// TestScaledSeedKeepsTheGenres: every genre a copy's film is in (listed or implied) is a
// genre the scaled load creates, or its IN_GENRE rows would match nothing.
func TestScaledSeedKeepsTheGenres(t *testing.T) {
	b, err := readBundle()
	if err != nil {
		t.Fatal(err)
	}
	scaled := b.scale(2)
	genres := map[string]bool{}
	for _, g := range scaled.Genres {
		genres[g.Name] = true
	}
	if len(genres) == 0 || len(scaled.Movies) != 2*len(b.Movies) {
		t.Fatalf("%d genres, %d films (want 2 x %d)", len(genres), len(scaled.Movies), len(b.Movies))
	}
	for _, m := range scaled.Movies {
		for _, g := range append(append([]string{}, m.Genres...), m.ImpliedGenres...) {
			if !genres[g] {
				t.Fatalf("film %d is in %q, which the scaled seed does not create", m.MovieID, g)
			}
		}
	}
}
