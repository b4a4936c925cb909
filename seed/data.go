package seed

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io/fs"
	"slices"
	"sync"

	"filmgraph/seed/internal/seedfile"
)

//go:embed data/*
var dataFS embed.FS

// bundle is the decoded seed.
type bundle struct {
	Movies  []seedfile.Movie
	Genres  []seedfile.Genre
	People  []seedfile.Person
	Ratings []seedfile.Rating
	Tags    []seedfile.Tag
	Users   []seedfile.User
	Site    seedfile.Site
}

// Version identifies the bundled seed: a hash of every embedded file, so a
// database loaded from other data is not taken as seeded by Seeded.
func Version() string { return version() }

var version = sync.OnceValue(func() string {
	h := sha256.New()
	entries, err := fs.ReadDir(dataFS, "data")
	if err != nil {
		panic(err) // the embed pattern guarantees the folder
	}
	for _, e := range entries { // ReadDir sorts by name
		b, err := dataFS.ReadFile("data/" + e.Name())
		if err != nil {
			panic(err)
		}
		fmt.Fprintf(h, "%s %d\n", e.Name(), len(b))
		h.Write(b)
	}
	return hex.EncodeToString(h.Sum(nil))[:16]
})

// readBundle decodes the embedded files.
func readBundle() (*bundle, error) {
	b := &bundle{}
	open := func(name string) (*bytes.Reader, error) {
		raw, err := dataFS.ReadFile("data/" + name)
		if err != nil {
			return nil, err
		}
		return bytes.NewReader(raw), nil
	}
	steps := []struct {
		name   string
		decode func(r *bytes.Reader) error
	}{
		{seedfile.MoviesFile, func(r *bytes.Reader) error {
			return seedfile.DecodeJSONLines(r, func(m seedfile.Movie) error {
				b.Movies = append(b.Movies, m)
				return nil
			})
		}},
		{seedfile.PeopleFile, func(r *bytes.Reader) error {
			return seedfile.DecodeCSV(r, seedfile.PeopleHeader, func(rec []string) error {
				n, err := seedfile.Ints(rec[0])
				if err != nil {
					return err
				}
				b.People = append(b.People, seedfile.Person{PersonID: int(n[0]), Name: rec[1]})
				return nil
			})
		}},
		{seedfile.GenresFile, func(r *bytes.Reader) error {
			return seedfile.DecodeCSV(r, seedfile.GenresHeader, func(rec []string) error {
				b.Genres = append(b.Genres, seedfile.Genre{Name: rec[0], Parent: rec[1]})
				return nil
			})
		}},
		{seedfile.RatingsFile, func(r *bytes.Reader) error {
			return seedfile.DecodeCSV(r, seedfile.RatingsHeader, func(rec []string) error {
				n, err := seedfile.Ints(rec...)
				if err != nil {
					return err
				}
				b.Ratings = append(b.Ratings, seedfile.Rating{UserID: int(n[0]), MovieID: int(n[1]), Score: int(n[2]), RatedAt: n[3]})
				return nil
			})
		}},
		{seedfile.TagsFile, func(r *bytes.Reader) error {
			return seedfile.DecodeCSV(r, seedfile.TagsHeader, func(rec []string) error {
				n, err := seedfile.Ints(rec[0], rec[2])
				if err != nil {
					return err
				}
				b.Tags = append(b.Tags, seedfile.Tag{MovieID: int(n[0]), Tag: rec[1], Count: int(n[1])})
				return nil
			})
		}},
		{seedfile.UsersFile, func(r *bytes.Reader) error {
			return seedfile.DecodeCSV(r, seedfile.UsersHeader, func(rec []string) error {
				n, err := seedfile.Ints(rec[0], rec[2])
				if err != nil {
					return err
				}
				b.Users = append(b.Users, seedfile.User{UserID: int(n[0]), Username: rec[1], JoinedAt: n[1]})
				return nil
			})
		}},
		{seedfile.SiteFile, func(r *bytes.Reader) error {
			dec := json.NewDecoder(r)
			dec.DisallowUnknownFields()
			return dec.Decode(&b.Site)
		}},
	}
	for _, s := range steps {
		r, err := open(s.name)
		if err != nil {
			return nil, err
		}
		if err := s.decode(r); err != nil {
			return nil, fmt.Errorf("seed: %s: %w", s.name, err)
		}
	}
	return b, nil
}

// tagNames returns the distinct tag names, sorted.
func (b *bundle) tagNames() []string {
	out := make([]string, 0, len(b.Tags))
	for _, t := range b.Tags {
		out = append(out, t.Tag)
	}
	slices.Sort(out)
	return slices.Compact(out)
}
