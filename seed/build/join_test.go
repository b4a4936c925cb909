package main

import "testing"

// joinFixture is a small Wikipedia side; titles and extracts are real
// entries (shortened) plus the near-misses each tier must refuse.
func joinFixture() []*wikiFilm {
	return []*wikiFilm{
		{Title: "The Matrix", Year: 1999, Href: "The_Matrix"},
		{Title: "Never Let Me Go", Year: 2010, Href: "Never_Let_Me_Go_(2010_film)"},
		{Title: "12 Monkeys", Year: 1995, Href: "12_Monkeys"},
		{Title: "Heathers", Year: 1988, Href: "Heathers"},
		{Title: "Killer!", Year: 1990, Href: "Killer!"},
		{Title: "Twins", Year: 1987, Href: "Twins_(1987)"},
		{Title: "Twins", Year: 1989, Href: "Twins_(1989)"},
		{Title: "Carmen", Year: 1915, Href: "Carmen_(DeMille)"},
		{Title: "Carmen", Year: 1915, Href: "Carmen_(Walsh)"},
		{Title: "Star Wars", Year: 1977, Href: "Star_Wars_(film)"},
		{Title: "The Empire Strikes Back", Year: 1980, Href: "The_Empire_Strikes_Back",
			Extract: "The Empire Strikes Back is a 1980 American epic space opera film. It is the sequel to Star Wars (1977)."},
		{Title: "The Wrath of God", Year: 1972, Href: "The_Wrath_of_God",
			Extract: "The Wrath of God is a 1972 American Western film starring Robert Mitchum."},
		{Title: "Tom and Jerry: The Movie", Year: 1993, Href: "Tom_and_Jerry:_The_Movie"},
		{Title: "National Lampoon's Animal House", Year: 1978, Href: "Animal_House"},
		// The same article listed under two years.
		{Title: "Paranoid Park", Year: 2007, Href: "Paranoid_Park"},
		{Title: "Paranoid Park", Year: 2008, Href: "Paranoid_Park"},
	}
}

func TestMatchTitle(t *testing.T) {
	ix := newWikiIndex(joinFixture())
	tests := []struct {
		raw       string
		wantHref  string
		wantKind  joinKind
		ambiguous bool
	}{
		{"Matrix, The (1999)", "The_Matrix", joinExact, false},
		{"Never Let Me Go (2010)", "Never_Let_Me_Go_(2010_film)", joinExact, false},
		{"Twelve Monkeys (a.k.a. 12 Monkeys) (1995)", "12_Monkeys", joinAlt, false},
		{"Heathers (1989)", "Heathers", joinNear, false},
		// ±1 keeps the article: "The Killer" is not "Killer!".
		{"Killer, The (Die xue shuang xiong) (1989)", "", joinNone, false},
		// ±1 with a film a year before and one after: refuse to guess.
		{"Twins (1988)", "", joinNone, true},
		{"Carmen (1915)", "", joinNone, true},
		{"Paranoid Park (2007)", "Paranoid_Park", joinExact, false},
		{"Paranoid Park (2006)", "Paranoid_Park", joinNear, false},
		// The series name at the front matches alone.
		{"Star Wars: Episode IV - A New Hope (1977)", "Star_Wars_(film)", joinSubtitle, false},
		// The subtitle matches when the entry names the series.
		{"Star Wars: Episode V - The Empire Strikes Back (1980)", "The_Empire_Strikes_Back", joinSubtitle, false},
		// ... and not otherwise.
		{"Aguirre: The Wrath of God (Aguirre, der Zorn Gottes) (1972)", "", joinNone, false},
		{"Patlabor 2: The Movie (1993)", "", joinNone, false},
		{"Animal House (1978)", "Animal_House", joinSubtitle, false},
		{"Matrix, The (2001)", "", joinNone, false},
		{"Babylon 5", "", joinNone, false},
	}
	for _, tt := range tests {
		t.Run(tt.raw, func(t *testing.T) {
			r := ix.matchTitle(parseMovieLensTitle(tt.raw))
			href := ""
			if r.Film != nil {
				href = r.Film.Href
			}
			if href != tt.wantHref || r.Kind != tt.wantKind || r.Ambiguous != tt.ambiguous {
				t.Errorf("got %q %v ambiguous=%v, want %q %v ambiguous=%v", href, r.Kind, r.Ambiguous, tt.wantHref, tt.wantKind, tt.ambiguous)
			}
		})
	}
}

func TestJoinAllStrongestClaimWins(t *testing.T) {
	ix := newWikiIndex(joinFixture())
	titles := []mlTitle{
		parseMovieLensTitle("Heathers (1988)"), // exact
		parseMovieLensTitle("Heathers (1989)"), // ±1, loses the entry
	}
	joined, st := joinAll(ix, titles)
	if joined[0] == nil || joined[1] != nil {
		t.Fatalf("joined = %v, want only the exact-year film", joined)
	}
	if st.Joined != 1 || st.LostClaim != 1 {
		t.Errorf("stats = %+v", st)
	}
}
