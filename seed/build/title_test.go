package main

import (
	"slices"
	"testing"
)

func intp(n int) *int { return &n }

func TestParseMovieLensTitle(t *testing.T) {
	tests := []struct {
		raw     string
		primary string
		alts    []string
		full    string
		year    *int
	}{
		{"Matrix, The (1999)", "The Matrix", nil, "The Matrix", intp(1999)},
		{"Toy Story (1995)", "Toy Story", nil, "Toy Story", intp(1995)},
		{"Never Let Me Go (2010)", "Never Let Me Go", nil, "Never Let Me Go", intp(2010)},
		{"Awfully Big Adventure, An (1995)", "An Awfully Big Adventure", nil, "An Awfully Big Adventure", intp(1995)},
		{"Misérables, Les (1995)", "Les Misérables", nil, "Les Misérables", intp(1995)},
		{"Atalante, L' (1934)", "L'Atalante", nil, "L'Atalante", intp(1934)},
		{"Postman, The (Postino, Il) (1994)", "The Postman", []string{"Il Postino"}, "The Postman (Il Postino)", intp(1994)},
		{"Twelve Monkeys (a.k.a. 12 Monkeys) (1995)", "Twelve Monkeys", []string{"12 Monkeys"}, "Twelve Monkeys (12 Monkeys)", intp(1995)},
		{"Boot, Das (Boat, The) (1981)", "Das Boot", []string{"The Boat"}, "Das Boot (The Boat)", intp(1981)},
		{"Supercop (Police Story 3: Supercop) (Jing cha gu shi III: Chao ji jing cha) (1992)", "Supercop",
			[]string{"Police Story 3: Supercop", "Jing cha gu shi III: Chao ji jing cha"},
			"Supercop (Police Story 3: Supercop) (Jing cha gu shi III: Chao ji jing cha)", intp(1992)},
		{"Birdman: Or (The Unexpected Virtue of Ignorance) (2014)", "Birdman: Or", []string{"The Unexpected Virtue of Ignorance"},
			"Birdman: Or (The Unexpected Virtue of Ignorance)", intp(2014)},
		{"(500) Days of Summer (2009)", "(500) Days of Summer", nil, "(500) Days of Summer", intp(2009)},
		{"Good, the Bad and the Ugly, The (Buono, il brutto, il cattivo, Il) (1966)", "The Good, the Bad and the Ugly",
			[]string{"Il Buono, il brutto, il cattivo"}, "The Good, the Bad and the Ugly (Il Buono, il brutto, il cattivo)", intp(1966)},
		{"Haunted World of Edward D. Wood Jr., The (1996)", "The Haunted World of Edward D. Wood Jr.", nil, "The Haunted World of Edward D. Wood Jr.", intp(1996)},
		{"From Dusk Till Dawn 2: Texas Blood Money (1999) ", "From Dusk Till Dawn 2: Texas Blood Money", nil, "From Dusk Till Dawn 2: Texas Blood Money", intp(1999)},
		{"Death Note: Desu nôto (2006–2007)", "Death Note: Desu nôto", nil, "Death Note: Desu nôto", intp(2006)},
		{"Babylon 5", "Babylon 5", nil, "Babylon 5", nil},
	}
	for _, tt := range tests {
		t.Run(tt.raw, func(t *testing.T) {
			got := parseMovieLensTitle(tt.raw)
			if got.Primary != tt.primary || !slices.Equal(got.Alternates, tt.alts) || got.Full != tt.full {
				t.Errorf("got %q %q %q, want %q %q %q", got.Primary, got.Alternates, got.Full, tt.primary, tt.alts, tt.full)
			}
			if (got.Year == nil) != (tt.year == nil) || (got.Year != nil && *got.Year != *tt.year) {
				t.Errorf("year %v, want %v", deref(got.Year), deref(tt.year))
			}
		})
	}
}

func deref(p *int) any {
	if p == nil {
		return nil
	}
	return *p
}

func TestNormalizeTitle(t *testing.T) {
	tests := []struct {
		a, b string
		same bool
	}{
		{"The Matrix", "Matrix", true},
		{"Schindler's List", "Schindlers List", true},
		{"Love & Human Remains", "Love and Human Remains", true},
		{"Prêt-à-Porter", "Pret-A-Porter", true},
		{"Léon: The Professional", "Leon The Professional", true},
		{"Mission: Impossible II", "Mission: Impossible 2", true},
		{"Kill Bill: Vol. 1", "Kill Bill: Volume 1", true},
		{"Star Wars: Episode I - The Phantom Menace", "Star Wars: Episode I – The Phantom Menace", true},
		{"Naked Gun 33 1/3: The Final Insult", "Naked Gun 33+1⁄3: The Final Insult", true},
		{"A Beautiful Mind", "Beautiful Mind", true},
		{"It", "It", true},
		{"Rocky V", "Rocky 5", false}, // single letters stay letters
		{"The Killer", "Killer", true},
		{"Alien", "Aliens", false},
	}
	for _, tt := range tests {
		t.Run(tt.a+" ~ "+tt.b, func(t *testing.T) {
			a, b := normalizeTitle(tt.a), normalizeTitle(tt.b)
			if (a == b) != tt.same {
				t.Errorf("normalizeTitle: %q vs %q, want same=%v", a, b, tt.same)
			}
		})
	}
	if got := strictTitle("The Killer"); got != "the killer" {
		t.Errorf("strictTitle keeps the article: got %q", got)
	}
}

func TestCleanWikiTitle(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Never Let Me Go", "Never Let Me Go"},
		{"An Enemy to the King (film)", "An Enemy to the King"},
		{"Stronger Than Death (1920 film)", "Stronger Than Death"},
		{"Goonies, The", "The Goonies"},
		{"(500) Days of Summer", "(500) Days of Summer"},
		{"Naked Gun .mw-parser-output .frac{white-space:nowrap}.mw-parser-output .frac .num{font-size:80%}33+1⁄3: The Final Insult", "Naked Gun 33+1⁄3: The Final Insult"},
	}
	for _, tt := range tests {
		if got := cleanWikiTitle(tt.in); got != tt.want {
			t.Errorf("cleanWikiTitle(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestCleanCast(t *testing.T) {
	got := cleanCast([]string{"Franny's Feet", ")", "Phoebe  McAuley", "[a]", ".", "U2", "Phoebe McAuley", "&",
		"(voice)", "Cast:", "Carrey's", "the life of", "will.i.am", "Curtis \"50 Cent\" Jackson"})
	want := []string{"Franny's Feet", "Phoebe McAuley", "U2", "will.i.am", "Curtis \"50 Cent\" Jackson"}
	if !slices.Equal(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestPersonNames(t *testing.T) {
	credits := map[string]int{
		"Toshiro Mifune": 2, "Toshirō Mifune": 2, // a tie: the accented spelling
		"D.W. Griffith": 1, "D. W. Griffith": 5, // the one credited most
		"Alan Hale Jr.": 1, "Alan Hale, Jr.": 1,
		"Adam DeVine": 1, "Adam Devine": 1,
		"Mark Romanek": 1, "Mark Romano": 1, // different people
	}
	got, merged := personNames(credits)
	want := map[string]string{
		"Toshiro Mifune": "Toshirō Mifune", "Toshirō Mifune": "Toshirō Mifune",
		"D.W. Griffith": "D. W. Griffith", "D. W. Griffith": "D. W. Griffith",
		"Alan Hale Jr.": "Alan Hale Jr.", "Alan Hale, Jr.": "Alan Hale Jr.",
		"Adam DeVine": "Adam DeVine", "Adam Devine": "Adam DeVine",
		"Mark Romanek": "Mark Romanek", "Mark Romano": "Mark Romano",
	}
	for n, w := range want {
		if got[n] != w {
			t.Errorf("%q -> %q, want %q", n, got[n], w)
		}
	}
	if merged != 4 {
		t.Errorf("merged %d, want 4", merged)
	}
}
