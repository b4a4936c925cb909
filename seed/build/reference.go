package main

import (
	"fmt"
	"os"
	"slices"
	"strings"
)

// The facts of the reference movie page, shared/reference/movie-page.txt
// ("Never Let Me Go (2010)"), which the API must reproduce exactly. They
// override what the joined data says about MovieLens film 80969. The page
// is read at build time to check every fact below against it and to copy
// the review text verbatim (see readReferencePage).
var reference = struct {
	MovieID      int
	Title        string
	Year         int
	CoverCaption string
	// Genres replace the film's MovieLens genres.
	Genres []string
	// Directors as the page lists them (the page shows each name twice:
	// image alt text, then the link).
	Directors []string
	// LeadCast is billed first, in this order; the rest of the joined cast
	// follows in its own order.
	LeadCast []string
	// ListTitle is the public user list the page shows the film in.
	ListTitle string
	// ListMore are other 2010 films of the catalog added after the
	// reference film (they are not on the page): Inception, The Social
	// Network, Toy Story 3, Black Swan, The King's Speech.
	ListMore []int
	// Reviewer wrote the one review on the page; ReviewDate is its
	// "Added:" date and ReviewScore its closing "10/10".
	Reviewer     string
	ReviewDate   string // as the page writes it
	ReviewAdded  string // the same day in RFC 3339, UTC midnight
	ReviewScore  int
	ReviewEnding string
}{
	MovieID:      80969,
	Title:        "Never Let Me Go",
	Year:         2010,
	CoverCaption: "DVD Cover (Fox Searchlight)",
	Genres:       []string{"Escape Film", "Psychological Sci-Fi", "Science Fiction"},
	Directors:    []string{"Mark Romanek"},
	LeadCast:     []string{"Carey Mulligan", "Andrew Garfield", "Izzy Meikle-Small", "Charlie Rowe", "Ella Purnell"},
	ListTitle:    "Best Films of 2010",
	ListMore:     []int{79132, 80463, 78499, 81591, 81845},
	Reviewer:     "bluemeanie",
	ReviewDate:   "October 28, 2010",
	ReviewAdded:  "2010-10-28T00:00:00Z",
	ReviewScore:  10,
	ReviewEnding: "...and again... 10/10.",
}

// Site facts that are ours, not the page's: ids and times of the seeded
// site user, review and list.
const (
	firstSiteUserID = 1_000_000 // MovieLens users keep 1..610
	referenceListID = "seed-list-best-films-of-2010"
	referenceReview = "seed-review-never-let-me-go-bluemeanie"
	// The list was made once the year's films were out; the page gives no date.
	referenceListCreated = "2010-12-31T00:00:00Z"
	referenceListDesc    = "The best films of 2010."
)

// pageFacts is what readReferencePage takes from the page.
type pageFacts struct {
	ReviewText string // paragraphs joined by "\n\n"
}

// readReferencePage reads the reference page, checks that every fact in
// reference appears on it, and returns the review text: every paragraph
// between the "Added:" line and the comment prompt, verbatim.
func readReferencePage(path string) (pageFacts, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return pageFacts{}, err
	}
	page := strings.ReplaceAll(string(b), "\r\n", "\n")
	lines := strings.Split(page, "\n")
	has := func(line string) bool {
		for _, l := range lines {
			if strings.TrimSpace(l) == line {
				return true
			}
		}
		return false
	}
	want := []string{
		fmt.Sprintf("%s (%d)", reference.Title, reference.Year),
		reference.CoverCaption,
		"Genres: " + strings.Join(reference.Genres, ", "),
		"> " + reference.ListTitle,
		"Review by " + reference.Reviewer,
		"Added: " + reference.ReviewDate,
	}
	for _, name := range append(append([]string{}, reference.Directors...), reference.LeadCast...) {
		want = append(want, name+" "+name)
	}
	for _, w := range want {
		if !has(w) {
			return pageFacts{}, fmt.Errorf("%s: no line %q: reference.go and the page disagree", path, w)
		}
	}

	start, end := -1, -1
	for i, l := range lines {
		if start < 0 && strings.TrimSpace(l) == "Added: "+reference.ReviewDate {
			start = i + 1
		}
		if start >= 0 && strings.HasPrefix(l, "Sign up to add your comment") {
			end = i
			break
		}
	}
	if start < 0 || end < 0 {
		return pageFacts{}, fmt.Errorf("%s: review not found", path)
	}
	// A paragraph is a block of lines between blank lines (each is one line
	// on this page); paragraphs are rejoined with one blank line.
	var paras, block []string
	for _, l := range append(slices.Clone(lines[start:end]), "") {
		if strings.TrimSpace(l) == "" {
			if len(block) > 0 {
				paras = append(paras, strings.Join(block, "\n"))
			}
			block = nil
			continue
		}
		block = append(block, l)
	}
	text := strings.Join(paras, "\n\n")
	if !strings.HasSuffix(text, reference.ReviewEnding) {
		return pageFacts{}, fmt.Errorf("%s: review does not end with %q", path, reference.ReviewEnding)
	}
	if !strings.HasSuffix(text, fmt.Sprintf("%d/10.", reference.ReviewScore)) {
		return pageFacts{}, fmt.Errorf("%s: review score is not %d/10", path, reference.ReviewScore)
	}
	return pageFacts{ReviewText: text}, nil
}

// referenceCast returns the page's lead cast followed by the rest of the
// joined cast in its own order.
func referenceCast(joined []string) []string {
	return dedupe(append(append([]string{}, reference.LeadCast...), joined...))
}
