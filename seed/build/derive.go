package main

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"filmgraph/seed/internal/seedfile"
)

// dataset is everything the build writes to seed/data.
type dataset struct {
	Movies  []seedfile.Movie // by movieId
	Genres  []seedfile.Genre // by name
	People  []seedfile.Person
	Ratings []seedfile.Rating // by (userId, movieId)
	Tags    []seedfile.Tag    // by (movieId, tag)
	Users   []seedfile.User   // MovieLens raters, by userId
	Site    seedfile.Site
	Report  buildReport
}

// buildReport holds the numbers the build prints and the data README shows.
type buildReport struct {
	Join joinStats
	// Wiki is the join seen from Wikipedia: articles matched to a
	// MovieLens film and articles loaded as films of their own.
	Wiki wikiJoinStats
	// DirectorPhrase counts joined films whose lead paragraph has a
	// "directed by" phrase; DirectorParsed those that gave at least one name.
	DirectorPhrase, DirectorParsed int
	// The same for the films found only on Wikipedia.
	WikiDirectorPhrase, WikiDirectorParsed int
	// PeopleMerged counts the name spellings folded into another one's person.
	PeopleMerged               int
	ActedIn, Directed, InGenre int
	Genres                     int
	Notes                      []string
}

// derive turns the inputs into the seed: it joins the catalog to Wikipedia,
// assigns person ids, converts ratings and tags, and applies the reference
// page, which wins over the data wherever they differ.
func derive(ml *movieLens, wiki []*wikiFilm, page pageFacts) (*dataset, error) {
	ds := &dataset{}
	rep := &ds.Report

	titles := make([]mlTitle, len(ml.Movies))
	for i, m := range ml.Movies {
		titles[i] = parseMovieLensTitle(m.Raw)
	}
	joined, jst := joinAll(newWikiIndex(wiki), titles)
	rep.Join = jst

	// Names first, person ids once every name is known.
	type credits struct{ cast, directors []string }
	names := make([]credits, len(ml.Movies))
	var refIndex = -1
	mlGenres := map[int][]string{} // by index: MovieLens genres the page replaced
	for i, m := range ml.Movies {
		t := titles[i]
		mv := seedfile.Movie{
			MovieID: m.ID,
			Title:   t.Primary,
			Year:    t.Year,
			ImdbID:  nonEmpty(m.ImdbID),
			TmdbID:  nonEmpty(m.TmdbID),
			Genres:  m.Genres,
			Cast:    []int{},
		}
		if w := joined[i]; w != nil {
			mv.Title = w.Title
			mv.Plot = nonEmpty(w.Extract)
			mv.WikipediaHref = nonEmpty(w.Href)
			if w.Thumbnail != "" {
				mv.PosterURL = &w.Thumbnail
				mv.PosterWidth, mv.PosterHeight = &w.ThumbnailWidth, &w.ThumbnailHeight
			}
			names[i].cast = w.Cast
			if directedBy.MatchString(w.Extract) {
				rep.DirectorPhrase++
			}
			if d := expandSurnames(parseDirectors(w.Extract), w.Cast, w.Extract); len(d) > 0 {
				rep.DirectorParsed++
				names[i].directors = d
			}
		}
		if m.ID == reference.MovieID {
			refIndex = i
			if joined[i] == nil {
				return nil, fmt.Errorf("reference film %d %q did not join to Wikipedia", m.ID, m.Raw)
			}
			if !slices.Equal(names[i].directors, reference.Directors) {
				rep.Notes = append(rep.Notes, fmt.Sprintf("reference film: parsed directors %q replaced by the page's %q", names[i].directors, reference.Directors))
			}
			year := reference.Year
			caption := reference.CoverCaption
			mv.Title, mv.Year, mv.CoverCaption = reference.Title, &year, &caption
			// The page's genres are the ones listed; the film stays in its
			// MovieLens genres (impliedGenres).
			mlGenres[i] = mv.Genres
			mv.Genres = reference.Genres
			names[i].directors = reference.Directors
			names[i].cast = referenceCast(names[i].cast)
		}
		ds.Movies = append(ds.Movies, mv)
	}
	if refIndex < 0 {
		return nil, fmt.Errorf("reference film %d is not in the catalog", reference.MovieID)
	}

	// Every Wikipedia film no MovieLens film joined is a film of its own,
	// without ratings, tags or external ids, so that filmographies are whole.
	if last := ml.Movies[len(ml.Movies)-1].ID; last >= wikipediaMovieIDBase {
		return nil, fmt.Errorf("MovieLens movieId %d reaches the ids of Wikipedia-only films (%d+)", last, wikipediaMovieIDBase+1)
	}
	alone, wst := wikipediaOnly(wiki, joined)
	rep.Wiki = wst
	for i, w := range alone {
		year := w.Year
		mv := seedfile.Movie{
			MovieID:       wikipediaMovieIDBase + 1 + i,
			Title:         w.Title,
			Year:          &year,
			Genres:        canonicalGenres(w.Genres),
			Plot:          nonEmpty(w.Extract),
			WikipediaHref: nonEmpty(w.Href),
			Cast:          []int{},
		}
		if w.Thumbnail != "" {
			mv.PosterURL = &w.Thumbnail
			mv.PosterWidth, mv.PosterHeight = &w.ThumbnailWidth, &w.ThumbnailHeight
		}
		c := credits{cast: w.Cast}
		if directedBy.MatchString(w.Extract) {
			rep.WikiDirectorPhrase++
		}
		if d := expandSurnames(parseDirectors(w.Extract), w.Cast, w.Extract); len(d) > 0 {
			rep.WikiDirectorParsed++
			c.directors = d
		}
		names = append(names, c)
		ds.Movies = append(ds.Movies, mv)
	}

	// People: every distinct person, spelling variants of one name folded
	// into one (personNames), with ids that stay put as the catalogue grows
	// (personIDs).
	var err error
	creditCount := map[string]int{}
	for _, c := range names {
		for _, n := range append(slices.Clone(c.cast), c.directors...) {
			creditCount[n]++
		}
	}
	canonical, merged := personNames(creditCount)
	rep.PeopleMerged = merged
	var movieLensNames []string
	for _, c := range names[:len(ml.Movies)] {
		movieLensNames = append(movieLensNames, c.cast...)
		movieLensNames = append(movieLensNames, c.directors...)
	}
	ids := personIDs(canonical, movieLensNames)
	for n, id := range ids {
		if canonical[n] == n {
			ds.People = append(ds.People, seedfile.Person{PersonID: id, Name: n})
		}
	}
	slices.SortFunc(ds.People, func(a, b seedfile.Person) int { return cmp.Compare(a.PersonID, b.PersonID) })
	for i := range ds.Movies {
		mv := &ds.Movies[i]
		if mv.Genres == nil {
			mv.Genres = []string{}
		}
		mv.ImpliedGenres = impliedGenres(mv.Genres, mlGenres[i])
	}
	if ds.Genres, err = genreTree(ds.Movies); err != nil {
		return nil, err
	}
	for i := range ds.Movies {
		mv := &ds.Movies[i]
		// Two spellings of one person in one list are one credit.
		for _, n := range names[i].cast {
			if !slices.Contains(mv.Cast, ids[n]) {
				mv.Cast = append(mv.Cast, ids[n])
			}
		}
		mv.Directors = []int{}
		for _, n := range names[i].directors {
			if !slices.Contains(mv.Directors, ids[n]) {
				mv.Directors = append(mv.Directors, ids[n])
			}
		}
		rep.ActedIn += len(mv.Cast)
		rep.Directed += len(mv.Directors)
		rep.InGenre += len(mv.Genres) + len(mv.ImpliedGenres)
	}
	rep.Genres = len(ds.Genres)

	if ds.Ratings, ds.Users, err = convertRatings(ml.Ratings); err != nil {
		return nil, err
	}
	ds.Tags = aggregateTags(ml.Tags)
	ds.Site, err = siteFacts(ds.Movies, page)
	if err != nil {
		return nil, err
	}
	return ds, nil
}

// convertRatings maps stars 0.5..5 to scores 1..10 and derives each
// MovieLens user, who joined at their first rating.
func convertRatings(in []mlRating) ([]seedfile.Rating, []seedfile.User, error) {
	out := make([]seedfile.Rating, 0, len(in))
	first := map[int]int64{}
	for _, r := range in {
		score := math.Round(r.Stars * 2)
		if score != r.Stars*2 || score < 1 || score > 10 {
			return nil, nil, fmt.Errorf("rating %v of user %d on %d is not 0.5..5 in half stars", r.Stars, r.UserID, r.MovieID)
		}
		out = append(out, seedfile.Rating{UserID: r.UserID, MovieID: r.MovieID, Score: int(score), RatedAt: r.Time})
		if t, ok := first[r.UserID]; !ok || r.Time < t {
			first[r.UserID] = r.Time
		}
	}
	slices.SortFunc(out, func(a, b seedfile.Rating) int {
		return cmp.Or(cmp.Compare(a.UserID, b.UserID), cmp.Compare(a.MovieID, b.MovieID))
	})
	for i := 1; i < len(out); i++ {
		// MERGE would fold a repeated pair into one edge and the counts
		// would no longer match the file.
		if out[i].UserID == out[i-1].UserID && out[i].MovieID == out[i-1].MovieID {
			return nil, nil, fmt.Errorf("user %d rated movie %d twice", out[i].UserID, out[i].MovieID)
		}
	}
	users := make([]seedfile.User, 0, len(first))
	for id, t := range first {
		users = append(users, seedfile.User{UserID: id, Username: "ml-" + strconv.Itoa(id), JoinedAt: t})
	}
	slices.SortFunc(users, func(a, b seedfile.User) int { return cmp.Compare(a.UserID, b.UserID) })
	return out, users, nil
}

// aggregateTags counts tag applications per movie and lower-cased, trimmed
// tag, so "Funny" and "funny " are one tag.
func aggregateTags(in []mlTag) []seedfile.Tag {
	type key struct {
		movie int
		tag   string
	}
	counts := map[key]int{}
	for _, t := range in {
		if name := strings.ToLower(strings.TrimSpace(t.Tag)); name != "" {
			counts[key{t.MovieID, name}]++
		}
	}
	out := make([]seedfile.Tag, 0, len(counts))
	for k, n := range counts {
		out = append(out, seedfile.Tag{MovieID: k.movie, Tag: k.tag, Count: n})
	}
	slices.SortFunc(out, func(a, b seedfile.Tag) int {
		return cmp.Or(cmp.Compare(a.MovieID, b.MovieID), cmp.Compare(a.Tag, b.Tag))
	})
	return out
}

// siteFacts builds site.json: the reviewer of the reference page (who also
// owns its list), the review and the list.
func siteFacts(movies []seedfile.Movie, page pageFacts) (seedfile.Site, error) {
	inCatalog := map[int]bool{}
	for _, m := range movies {
		inCatalog[m.MovieID] = true
	}
	list := []int{reference.MovieID}
	for _, id := range reference.ListMore {
		if !inCatalog[id] {
			return seedfile.Site{}, fmt.Errorf("list film %d is not in the catalog", id)
		}
		list = append(list, id)
	}
	return seedfile.Site{
		// The reviewer's first act on the site is the review.
		Users: []seedfile.SiteUser{{UserID: firstSiteUserID, Username: reference.Reviewer, JoinedAt: reference.ReviewAdded, Role: "USER"}},
		Reviews: []seedfile.Review{{
			ReviewID: referenceReview, UserID: firstSiteUserID, MovieID: reference.MovieID,
			Score: reference.ReviewScore, AddedAt: reference.ReviewAdded, Text: page.ReviewText,
		}},
		Lists: []seedfile.List{{
			ListID: referenceListID, UserID: firstSiteUserID, Title: reference.ListTitle,
			Description: referenceListDesc, Public: true, CreatedAt: referenceListCreated, MovieIDs: list,
		}},
		NextUserID: firstSiteUserID + 1,
	}, nil
}

// nonEmpty returns nil for "", so missing values are null in the seed.
func nonEmpty(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}
