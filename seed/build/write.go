package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"

	"filmgraph/seed/internal/seedfile"
)

// License files copied beside the data, as the input licenses require.
const (
	movieLensReadme = "MovieLens-README.txt"
	wikipediaMIT    = "LICENSE-wikipedia-movies-code-MIT.txt"
)

// encodeDataset returns file name -> bytes for every data file of ds. The
// bytes depend only on ds: rows are already sorted and gzip headers carry
// no name or time.
func encodeDataset(ds *dataset) (map[string][]byte, error) {
	files := map[string][]byte{}
	var err error
	if files[seedfile.MoviesFile], err = seedfile.EncodeJSONLines(ds.Movies); err != nil {
		return nil, err
	}
	var rows [][]string
	for _, p := range ds.People {
		rows = append(rows, []string{strconv.Itoa(p.PersonID), p.Name})
	}
	if files[seedfile.PeopleFile], err = seedfile.EncodeCSV(seedfile.PeopleHeader, rows); err != nil {
		return nil, err
	}
	rows = rows[:0]
	for _, r := range ds.Ratings {
		rows = append(rows, []string{strconv.Itoa(r.UserID), strconv.Itoa(r.MovieID), strconv.Itoa(r.Score), strconv.FormatInt(r.RatedAt, 10)})
	}
	if files[seedfile.RatingsFile], err = seedfile.EncodeCSV(seedfile.RatingsHeader, rows); err != nil {
		return nil, err
	}
	rows = rows[:0]
	for _, t := range ds.Tags {
		rows = append(rows, []string{strconv.Itoa(t.MovieID), t.Tag, strconv.Itoa(t.Count)})
	}
	if files[seedfile.TagsFile], err = seedfile.EncodeCSV(seedfile.TagsHeader, rows); err != nil {
		return nil, err
	}
	rows = rows[:0]
	for _, u := range ds.Users {
		rows = append(rows, []string{strconv.Itoa(u.UserID), u.Username, strconv.FormatInt(u.JoinedAt, 10)})
	}
	if files[seedfile.UsersFile], err = seedfile.EncodeCSV(seedfile.UsersHeader, rows); err != nil {
		return nil, err
	}
	rows = rows[:0]
	for _, g := range ds.Genres {
		rows = append(rows, []string{g.Name, g.Parent})
	}
	if files[seedfile.GenresFile], err = seedfile.EncodeCSV(seedfile.GenresHeader, rows); err != nil {
		return nil, err
	}
	var site bytes.Buffer
	enc := json.NewEncoder(&site)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(ds.Site); err != nil {
		return nil, err
	}
	files[seedfile.SiteFile] = site.Bytes()
	return files, nil
}

// writeFiles writes every file into dir, creating it if needed.
func writeFiles(dir string, files map[string][]byte) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	for name, b := range files {
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			return err
		}
	}
	return nil
}
