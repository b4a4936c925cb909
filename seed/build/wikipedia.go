package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

// wikiFilm is one entry of the Wikipedia American-films lists.
type wikiFilm struct {
	Title           string   `json:"title"`
	Year            int      `json:"year"`
	Cast            []string `json:"cast"`
	Genres          []string `json:"genres"`
	Href            string   `json:"href"`
	Extract         string   `json:"extract"`
	Thumbnail       string   `json:"thumbnail"`
	ThumbnailWidth  int      `json:"thumbnail_width"`
	ThumbnailHeight int      `json:"thumbnail_height"`
}

// identity names the article a list entry stands for: the same film is
// sometimes listed under two years, and both entries share an href.
func (w *wikiFilm) identity() string {
	if w.Href != "" {
		return w.Href
	}
	return fmt.Sprintf("%s|%d", w.Title, w.Year)
}

// wikiFiles matches the per-decade files, e.g. movies-1990s.json.
var wikiFiles = regexp.MustCompile(`^movies-\d{4}s\.json$`)

// readWikipedia reads every movies-*.json of dir, in file-name order, with
// titles and cast lists cleaned (see cleanWikiTitle, cleanCast).
func readWikipedia(dir string) ([]*wikiFilm, []string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, nil, err
	}
	var names []string
	for _, e := range entries {
		if wikiFiles.MatchString(e.Name()) {
			names = append(names, e.Name())
		}
	}
	sort.Strings(names)
	if len(names) == 0 {
		return nil, nil, fmt.Errorf("%s: no movies-*.json", dir)
	}
	var films []*wikiFilm
	for _, name := range names {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			return nil, nil, err
		}
		var fs []*wikiFilm
		if err := json.Unmarshal(b, &fs); err != nil {
			return nil, nil, fmt.Errorf("%s: %w", name, err)
		}
		for _, f := range fs {
			f.Title = cleanWikiTitle(f.Title)
			f.Cast = cleanCast(f.Cast)
			f.Extract = strings.TrimSpace(f.Extract)
		}
		films = append(films, fs...)
	}
	return films, names, nil
}

// cleanCast drops the scraping debris found in cast lists and repeated
// names, and collapses inner spaces; the billing order of the rest is kept.
// Debris: punctuation alone (")", "&"), notes ("[a]", "(voice)", "Cast:"),
// possessives ("Carrey's") and the documentaries' subject phrases that
// start in lower case ("the life of"); a lower-case name keeps its place
// when it has a period ("will.i.am", "k.d. lang").
func cleanCast(cast []string) []string {
	out := make([]string, 0, len(cast))
	for _, c := range cast {
		c = strings.Join(strings.Fields(c), " ")
		first, _ := utf8.DecodeRuneInString(c)
		switch {
		case c == "" || !strings.ContainsFunc(c, unicode.IsLetter),
			strings.HasPrefix(c, "[") || strings.HasPrefix(c, "("),
			strings.HasSuffix(c, ":") || strings.HasSuffix(c, "'s") || strings.HasSuffix(c, "’s"),
			unicode.IsLower(first) && !strings.Contains(c, "."):
			continue
		}
		out = append(out, c)
	}
	return dedupe(out)
}
