package seed

import (
	"context"
	"fmt"
	"io"
	"strconv"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"filmgraph/seed/internal/seedfile"
)

// Offsets that keep the ids of each copy of a scaled seed apart; they exceed the largest
// id of the bundled data (MovieLens movieIds < 200k, personIds and userIds far below).
const (
	scaleMovieOffset  = 1_000_000
	scalePersonOffset = 1_000_000
	scaleUserOffset   = 100_000
)

// ScaledVersion identifies a seed scaled by factor, for its SeedInfo marker.
func ScaledVersion(factor int) string {
	if factor <= 1 {
		return Version()
	}
	return "x" + strconv.Itoa(factor) + "-" + Version()
}

// SeededScaled reports whether LoadScaled(factor) completed on this database.
func SeededScaled(ctx context.Context, d neo4j.DriverWithContext, database string, factor int) (bool, error) {
	res, err := neo4j.ExecuteQuery(ctx, d, seededCypher, map[string]any{"version": ScaledVersion(factor)},
		neo4j.EagerResultTransformer, neo4j.ExecuteQueryWithDatabase(database))
	if err != nil || len(res.Records) != 1 {
		return false, fmt.Errorf("seed: seeded: %v", err)
	}
	seeded, _, err := neo4j.GetRecordValue[bool](res.Records[0], "seeded")
	return seeded, err
}

// LoadScaled loads factor copies of the bundled seed, for benchmarks of how cost grows
// with data, through the same batched statements as Load. Copy 0 is the bundled seed
// itself (same ids, so the example operations find their reference film and people);
// copy k has its films, people and MovieLens users at id offsets, titles and names
// suffixed " [k]", and shares the genres and tags. The copies are not islands: one
// credit in ten and one rating in ten of copy k point into copy k-1 (chosen by a hash
// of the ids, so the output is deterministic), which keeps the film graph connected.
// The site's own facts (its users, reviews, lists) are loaded once.
func LoadScaled(ctx context.Context, d neo4j.DriverWithContext, database string, factor int, log io.Writer) (Stats, error) {
	start := time.Now()
	if log == nil {
		log = io.Discard
	}
	if factor < 1 {
		return Stats{}, fmt.Errorf("seed: scale factor %d: must be 1 or more", factor)
	}
	if err := EnsureSchema(ctx, d, database); err != nil {
		return Stats{}, err
	}
	b, err := readBundle()
	if err != nil {
		return Stats{}, err
	}
	scaled := b.scale(factor)
	fmt.Fprintf(log, "seed: generated x%d: %d movies, %d people, %d ratings (%s)\n",
		factor, len(scaled.Movies), len(scaled.People), len(scaled.Ratings), since(start))
	return runSteps(ctx, d, database, scaled.steps(ScaledVersion(factor), Options{}), log, start)
}

// mixed picks about one pair in ten, deterministically.
func mixed(a, b int) bool {
	h := uint32(a)*2654435761 ^ uint32(b)*40503
	h ^= h >> 13
	h *= 0x5bd1e995
	h ^= h >> 15
	return h%10 == 0
}

// scale returns factor copies of b (see LoadScaled).
func (b *bundle) scale(factor int) *bundle {
	out := &bundle{Site: b.Site, Genres: b.Genres} // the copies share the genres
	for k := range factor {
		suffix := ""
		if k > 0 {
			suffix = " [" + strconv.Itoa(k) + "]"
		}
		// person maps a personId of copy 0 into copy k, or into k-1 for a mixed credit.
		person := func(movieID, personID int) int {
			if k > 0 && mixed(movieID, personID) {
				return personID + (k-1)*scalePersonOffset
			}
			return personID + k*scalePersonOffset
		}
		for _, p := range b.People {
			out.People = append(out.People, seedfile.Person{PersonID: p.PersonID + k*scalePersonOffset, Name: p.Name + suffix})
		}
		for _, m := range b.Movies {
			c := m
			c.MovieID += k * scaleMovieOffset
			c.Title += suffix
			c.Cast = make([]int, len(m.Cast))
			for i, id := range m.Cast {
				c.Cast[i] = person(m.MovieID, id)
			}
			c.Directors = make([]int, len(m.Directors))
			for i, id := range m.Directors {
				c.Directors[i] = person(m.MovieID, id)
			}
			out.Movies = append(out.Movies, c)
		}
		for _, t := range b.Tags {
			t.MovieID += k * scaleMovieOffset
			out.Tags = append(out.Tags, t)
		}
		for _, u := range b.Users {
			if k > 0 {
				u.UserID += k * scaleUserOffset
				u.Username = "ml-" + strconv.Itoa(u.UserID)
			}
			out.Users = append(out.Users, u)
		}
		for _, r := range b.Ratings {
			movieCopy := k
			if k > 0 && mixed(r.UserID, r.MovieID) {
				movieCopy = k - 1
			}
			r.UserID += k * scaleUserOffset
			r.MovieID += movieCopy * scaleMovieOffset
			out.Ratings = append(out.Ratings, r)
		}
	}
	return out
}
