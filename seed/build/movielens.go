package main

import (
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
)

// mlMovie is one MovieLens film with its links.
type mlMovie struct {
	ID     int
	Raw    string // the title as MovieLens spells it, with the year
	Genres []string
	ImdbID string // zero-padded as in links.csv, "" when missing
	TmdbID string // "" when missing
}

// mlRating is one row of ratings.csv, stars as given (0.5..5).
type mlRating struct {
	UserID, MovieID int
	Stars           float64
	Time            int64
}

// mlTag is one row of tags.csv.
type mlTag struct {
	UserID, MovieID int
	Tag             string
	Time            int64
}

// movieLens is the whole MovieLens-small data set.
type movieLens struct {
	Movies  []mlMovie // sorted by ID
	Ratings []mlRating
	Tags    []mlTag
}

// noGenres is how MovieLens writes an empty genre list.
const noGenres = "(no genres listed)"

// readMovieLens reads the four CSV files of dir.
func readMovieLens(dir string) (*movieLens, error) {
	ml := &movieLens{}
	byID := map[int]*mlMovie{}
	err := readCSV(filepath.Join(dir, "movies.csv"), []string{"movieId", "title", "genres"}, func(r []string) error {
		id, err := strconv.Atoi(r[0])
		if err != nil {
			return err
		}
		m := mlMovie{ID: id, Raw: r[1]}
		if r[2] != noGenres {
			m.Genres = strings.Split(r[2], "|")
		}
		ml.Movies = append(ml.Movies, m)
		return nil
	})
	if err != nil {
		return nil, err
	}
	slices.SortFunc(ml.Movies, func(a, b mlMovie) int { return a.ID - b.ID })
	for i := range ml.Movies {
		if byID[ml.Movies[i].ID] != nil {
			return nil, fmt.Errorf("movies.csv: duplicate movieId %d", ml.Movies[i].ID)
		}
		byID[ml.Movies[i].ID] = &ml.Movies[i]
	}
	err = readCSV(filepath.Join(dir, "links.csv"), []string{"movieId", "imdbId", "tmdbId"}, func(r []string) error {
		id, err := strconv.Atoi(r[0])
		if err != nil {
			return err
		}
		m := byID[id]
		if m == nil {
			return fmt.Errorf("links.csv: unknown movieId %d", id)
		}
		m.ImdbID, m.TmdbID = r[1], r[2]
		return nil
	})
	if err != nil {
		return nil, err
	}
	err = readCSV(filepath.Join(dir, "ratings.csv"), []string{"userId", "movieId", "rating", "timestamp"}, func(r []string) error {
		var x mlRating
		var err error
		if x.UserID, err = strconv.Atoi(r[0]); err != nil {
			return err
		}
		if x.MovieID, err = strconv.Atoi(r[1]); err != nil {
			return err
		}
		if x.Stars, err = strconv.ParseFloat(r[2], 64); err != nil {
			return err
		}
		if x.Time, err = strconv.ParseInt(r[3], 10, 64); err != nil {
			return err
		}
		if byID[x.MovieID] == nil {
			return fmt.Errorf("ratings.csv: unknown movieId %d", x.MovieID)
		}
		ml.Ratings = append(ml.Ratings, x)
		return nil
	})
	if err != nil {
		return nil, err
	}
	err = readCSV(filepath.Join(dir, "tags.csv"), []string{"userId", "movieId", "tag", "timestamp"}, func(r []string) error {
		var x mlTag
		var err error
		if x.UserID, err = strconv.Atoi(r[0]); err != nil {
			return err
		}
		if x.MovieID, err = strconv.Atoi(r[1]); err != nil {
			return err
		}
		if x.Time, err = strconv.ParseInt(r[3], 10, 64); err != nil {
			return err
		}
		if byID[x.MovieID] == nil {
			return fmt.Errorf("tags.csv: unknown movieId %d", x.MovieID)
		}
		x.Tag = r[2]
		ml.Tags = append(ml.Tags, x)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return ml, nil
}

// readCSV reads path, checks its header and calls row for each record.
func readCSV(path string, header []string, row func([]string) error) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.FieldsPerRecord = len(header)
	got, err := r.Read()
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	if !slices.Equal(got, header) {
		return fmt.Errorf("%s: header %q, want %q", path, got, header)
	}
	for {
		rec, err := r.Read()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
		if err := row(rec); err != nil {
			line, _ := r.FieldPos(0)
			return fmt.Errorf("%s:%d: %w", path, line, err)
		}
	}
}
