package main

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"filmgraph/internal/testenv"
	"filmgraph/seed/internal/seedfile"
)

// TestBuildDeterministic builds twice and checks the outputs are the same
// bytes, and the same as the checked-in seed/data (so the data is never
// stale against its program).
func TestBuildDeterministic(t *testing.T) {
	shared := testenv.SharedDir(t)
	first, _, _, err := build(shared)
	if err != nil {
		t.Fatal(err)
	}
	second, _, _, err := build(shared)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(slices.Sorted(maps.Keys(first)), slices.Sorted(maps.Keys(second))) {
		t.Fatalf("file sets differ: %v vs %v", slices.Sorted(maps.Keys(first)), slices.Sorted(maps.Keys(second)))
	}
	for name, b := range first {
		if !bytes.Equal(b, second[name]) {
			t.Errorf("%s differs between two builds", name)
		}
		checkedIn, err := os.ReadFile(filepath.Join("..", "data", name))
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if !bytes.Equal(b, checkedIn) {
			t.Errorf("seed/data/%s is stale: run `go run ./seed/build` and commit it", name)
		}
	}
	for name := range first {
		if strings.HasSuffix(name, ".gz") {
			zr, err := gzip.NewReader(bytes.NewReader(first[name]))
			if err != nil {
				t.Fatal(err)
			}
			if zr.Name != "" || !zr.ModTime.IsZero() {
				t.Errorf("%s: gzip header carries name %q, time %v", name, zr.Name, zr.ModTime)
			}
		}
	}
}

// TestBuildReferenceFilm checks the reference page's film in the built data.
func TestBuildReferenceFilm(t *testing.T) {
	shared := testenv.SharedDir(t)
	files, ds, _, err := build(shared)
	if err != nil {
		t.Fatal(err)
	}
	names := map[int]string{}
	for _, p := range ds.People {
		names[p.PersonID] = p.Name
	}
	var ref *seedfile.Movie
	for i := range ds.Movies {
		if ds.Movies[i].MovieID == 80969 {
			ref = &ds.Movies[i]
		}
	}
	if ref == nil {
		t.Fatal("film 80969 missing")
	}
	var cast, directors []string
	for _, id := range ref.Cast {
		cast = append(cast, names[id])
	}
	for _, id := range ref.Directors {
		directors = append(directors, names[id])
	}
	wantCast := []string{"Carey Mulligan", "Andrew Garfield", "Izzy Meikle-Small", "Charlie Rowe", "Ella Purnell", "Keira Knightley", "Sally Hawkins"}
	switch {
	case ref.Title != "Never Let Me Go" || ref.Year == nil || *ref.Year != 2010:
		t.Errorf("title/year %q %v", ref.Title, ref.Year)
	case ref.CoverCaption == nil || *ref.CoverCaption != "DVD Cover (Fox Searchlight)":
		t.Errorf("coverCaption %v", ref.CoverCaption)
	case ref.Synopsis != nil:
		t.Errorf("synopsis %v, want null", *ref.Synopsis)
	case !slices.Equal(ref.Genres, []string{"Escape Film", "Psychological Sci-Fi", "Science Fiction"}):
		t.Errorf("genres %q", ref.Genres)
	case !slices.Equal(directors, []string{"Mark Romanek"}):
		t.Errorf("directors %q", directors)
	case !slices.Equal(cast, wantCast):
		t.Errorf("cast %q, want %q", cast, wantCast)
	case ref.PosterURL == nil || !strings.Contains(*ref.PosterURL, "Neverletmego"):
		t.Errorf("poster %v", ref.PosterURL)
	}

	var site seedfile.Site
	if err := json.Unmarshal(files[seedfile.SiteFile], &site); err != nil {
		t.Fatal(err)
	}
	if len(site.Reviews) != 1 || len(site.Lists) != 1 || len(site.Users) != 1 {
		t.Fatalf("site = %+v", site)
	}
	rv := site.Reviews[0]
	if rv.MovieID != 80969 || rv.Score != 10 || rv.AddedAt != "2010-10-28T00:00:00Z" || site.Users[0].Username != "bluemeanie" {
		t.Errorf("review %+v by %+v", rv, site.Users[0])
	}
	if !strings.HasPrefix(rv.Text, "There are few directors who can evoke") || !strings.HasSuffix(rv.Text, "...and again... 10/10.") ||
		strings.Count(rv.Text, "\n\n") != 4 || !strings.Contains(rv.Text, "ton donate their organs") {
		t.Errorf("review text not verbatim (5 paragraphs, typos kept): %q", rv.Text)
	}
	l := site.Lists[0]
	if l.Title != "Best Films of 2010" || !l.Public || l.MovieIDs[0] != 80969 || l.UserID != site.Users[0].UserID {
		t.Errorf("list %+v", l)
	}
	if site.NextUserID <= site.Users[0].UserID || site.Users[0].UserID < 1_000_000 {
		t.Errorf("userIds: site user %d, next %d", site.Users[0].UserID, site.NextUserID)
	}
}

// TestChecksumMismatch: a changed input must stop the build.
func TestChecksumMismatch(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "a.csv"), []byte("changed\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	sums := map[string]string{"a.csv": strings.Repeat("0", 64)}
	if _, err := verifyChecksums(dir, sums, []string{"a.csv"}); err == nil {
		t.Error("mismatch not reported")
	}
	if _, err := verifyChecksums(dir, sums, []string{"b.csv"}); err == nil {
		t.Error("unlisted input not reported")
	}
}

// TestReadReferencePageRejectsDrift: the page facts in reference.go must
// all be on the page.
func TestReadReferencePageRejectsDrift(t *testing.T) {
	page := filepath.Join(testenv.SharedDir(t), "reference", "movie-page.txt")
	b, err := os.ReadFile(page)
	if err != nil {
		t.Fatal(err)
	}
	changed := filepath.Join(t.TempDir(), "page.txt")
	if err := os.WriteFile(changed, bytes.Replace(b, []byte("Ella Purnell Ella Purnell"), []byte("Ella P Ella P"), 1), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := readReferencePage(changed); err == nil {
		t.Error("a cast name missing from the page was not reported")
	}
	if _, err := readReferencePage(page); err != nil {
		t.Error(err)
	}
}

// TestBuildMergesNameSpellings: the Wikipedia lists credit Toshiro Mifune
// under two spellings; every film crediting either, read from the raw
// files, credits one person in the built data, and the Wikipedia-only films
// keep ids clear of MovieLens's.
func TestBuildMergesNameSpellings(t *testing.T) {
	shared := testenv.SharedDir(t)
	_, ds, _, err := build(shared)
	if err != nil {
		t.Fatal(err)
	}
	raw, _, err := readWikipedia(filepath.Join(shared, "data", "wikipedia-movies"))
	if err != nil {
		t.Fatal(err)
	}
	spellings := []string{"Toshiro Mifune", "Toshirō Mifune"}
	credited := map[string]int{} // Wikipedia href -> spelling index + 1
	for _, w := range raw {
		for i, s := range spellings {
			if slices.Contains(w.Cast, s) {
				credited[w.Href] = i + 1
			}
		}
	}
	if len(credited) < 4 {
		t.Fatalf("raw lists credit Mifune in %d films, want both spellings several times", len(credited))
	}
	seen := map[int]bool{}
	for _, n := range credited {
		seen[n] = true
	}
	if len(seen) != 2 {
		t.Fatalf("raw lists use spellings %v, want both", seen)
	}
	names := map[int]string{}
	for _, p := range ds.People {
		names[p.PersonID] = p.Name
	}
	people := map[int]bool{}
	films := 0
	for _, m := range ds.Movies {
		if m.WikipediaHref == nil || credited[*m.WikipediaHref] == 0 {
			continue
		}
		films++
		for _, id := range m.Cast {
			if personKeyOf(names[id]) == "toshiro mifune" {
				people[id] = true
			}
		}
	}
	if films != len(credited) || len(people) != 1 {
		t.Errorf("%d of %d films found, crediting %d people (want 1)", films, len(credited), len(people))
	}
	for id := range people {
		if names[id] != "Toshirō Mifune" {
			t.Errorf("person named %q, want the accented spelling", names[id])
		}
	}
	if ds.Report.PeopleMerged < 100 {
		t.Errorf("%d spellings merged, want the hundreds the lists have", ds.Report.PeopleMerged)
	}

	mlIDs := map[int]bool{}
	for _, m := range ds.Movies {
		if m.MovieID > wikipediaMovieIDBase {
			if m.ImdbID != nil || m.TmdbID != nil {
				t.Errorf("Wikipedia-only film %d has MovieLens links", m.MovieID)
			}
			continue
		}
		mlIDs[m.MovieID] = true
	}
	if len(mlIDs) != 9742 { // ml-latest-small's movies.csv
		t.Errorf("%d MovieLens films, want 9742", len(mlIDs))
	}
}

// personKeyOf spells out the expectation without personKey: the name
// lower-cased with its macron dropped.
func personKeyOf(name string) string {
	return strings.ToLower(strings.ReplaceAll(name, "ō", "o"))
}
