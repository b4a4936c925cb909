package seed_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/csv"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"filmgraph/internal/neo4jtest"
	"filmgraph/internal/testenv"
	"filmgraph/seed"
)

func TestMain(m *testing.M) {
	os.Exit(neo4jtest.Run(m, wipe))
}

// wipe empties the test database, so Seeded starts false and Count sees
// only what Load wrote.
func wipe(ctx context.Context, d neo4j.DriverWithContext) error {
	s := d.NewSession(ctx, neo4j.SessionConfig{DatabaseName: neo4jtest.Database()})
	defer s.Close(ctx)
	// CALL ... IN TRANSACTIONS needs an implicit transaction: session.Run.
	res, err := s.Run(ctx, "MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS", nil)
	if err != nil {
		return err
	}
	_, err = res.Consume(ctx)
	return err
}

// TestLoad loads the seed into an empty database and checks, in order:
// Seeded before and after, the counts against the seed files, the
// reference film, and that a second load changes nothing.
func TestLoad(t *testing.T) {
	ctx := context.Background()
	d, db := neo4jtest.Driver(t), neo4jtest.Database()

	seeded, err := seed.Seeded(ctx, d, db)
	if err != nil {
		t.Fatal(err)
	}
	if seeded {
		t.Fatal("Seeded = true on an empty database")
	}

	first, err := seed.Load(ctx, d, db, testLog{t})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("first load: %s in %s", first, first.Elapsed)

	want := countSeedFiles(t)
	if got := withoutElapsed(first); got != want {
		t.Errorf("Load stats\n got %s\nwant %s", got, want)
	}
	counted, err := seed.Count(ctx, d, db)
	if err != nil {
		t.Fatal(err)
	}
	if counted != want {
		t.Errorf("Count\n got %s\nwant %s", counted, want)
	}

	if seeded, err = seed.Seeded(ctx, d, db); err != nil || !seeded {
		t.Fatalf("Seeded after Load = %v, %v", seeded, err)
	}

	t.Run("schema", func(t *testing.T) { checkSchema(t, d, db) })
	t.Run("reference film", func(t *testing.T) { checkReferenceFilm(t, d, db) })
	t.Run("users", func(t *testing.T) { checkUsers(t, d, db) })
	t.Run("rating summaries", func(t *testing.T) { checkRatingSummaries(t, d, db) })

	totalsBefore := totals(t, d, db)
	progress := &progressLog{}
	second, err := seed.Load(ctx, d, db, progress)
	if err != nil {
		t.Fatal(err)
	}
	if n := len(progress.done); n == 0 || progress.done[n-1] != progress.total || progress.total < int64(want.Ratings) ||
		!slices.IsSorted(progress.done) {
		t.Errorf("progress reports: %d, the last %v of %d rows; want rising to all rows, at least the %d ratings",
			n, progress.done[max(n-1, 0):], progress.total, want.Ratings)
	}
	t.Logf("second load: %s", second.Elapsed)
	if got := withoutElapsed(second); got != want {
		t.Errorf("second Load changed the counts\n got %s\nwant %s", got, want)
	}
	if after := totals(t, d, db); after != totalsBefore {
		t.Errorf("second Load changed the totals (nodes, relationships, node properties): %v -> %v", totalsBefore, after)
	}
	t.Run("reference film after reload", func(t *testing.T) { checkReferenceFilm(t, d, db) })
}

func withoutElapsed(s seed.Stats) seed.Stats {
	s.Elapsed = 0
	return s
}

// testLog sends Load's progress lines to the test log.
type testLog struct{ t *testing.T }

func (l testLog) Write(p []byte) (int, error) {
	l.t.Log(strings.TrimRight(string(p), "\n"))
	return len(p), nil
}

// progressLog records Load's progress reports (seed.ProgressReporter).
type progressLog struct {
	done  []int64
	total int64
}

func (p *progressLog) Write(b []byte) (int, error) { return len(b), nil }

func (p *progressLog) Report(done, total int64) {
	p.done, p.total = append(p.done, done), total
}

// query runs a read statement and returns its records.
func query(t *testing.T, d neo4j.DriverWithContext, db, cypher string, params map[string]any) []*neo4j.Record {
	t.Helper()
	res, err := neo4j.ExecuteQuery(context.Background(), d, cypher, params, neo4j.EagerResultTransformer,
		neo4j.ExecuteQueryWithDatabase(db), neo4j.ExecuteQueryWithReadersRouting())
	if err != nil {
		t.Fatalf("%s: %v", cypher, err)
	}
	return res.Records
}

// totals counts every node, relationship and property key-value, to see
// that a reload adds or removes nothing the Stats do not cover.
func totals(t *testing.T, d neo4j.DriverWithContext, db string) [3]int64 {
	t.Helper()
	rec := query(t, d, db, `CALL () { MATCH (n) RETURN count(n) AS nodes, sum(size(keys(n))) AS nodeProps }
CALL () { MATCH ()-[r]->() RETURN count(r) AS rels }
RETURN nodes, rels, nodeProps`, nil)[0]
	var out [3]int64
	for i, k := range []string{"nodes", "rels", "nodeProps"} {
		v, _ := rec.Get(k)
		out[i] = v.(int64)
	}
	return out
}

// countSeedFiles computes the expected Stats from the files in seed/data,
// reading them directly rather than through the loader.
func countSeedFiles(t *testing.T) seed.Stats {
	t.Helper()
	var s seed.Stats
	genres, tags := map[string]bool{}, map[string]bool{}

	zr := gunzip(t, "movies.jsonl.gz")
	dec := json.NewDecoder(zr)
	for dec.More() {
		var m struct {
			Genres        []string `json:"genres"`
			ImpliedGenres []string `json:"impliedGenres"`
			Cast          []int    `json:"cast"`
			Directors     []int    `json:"directors"`
		}
		if err := dec.Decode(&m); err != nil {
			t.Fatal(err)
		}
		s.Movies++
		s.InGenre += int64(len(m.Genres) + len(m.ImpliedGenres))
		s.ActedIn += int64(len(m.Cast))
		s.Directed += int64(len(m.Directors))
		for _, g := range append(m.Genres, m.ImpliedGenres...) {
			genres[g] = true
		}
	}
	s.Genres = int64(len(genres))
	if n := len(readCSV(t, "genres.csv.gz")); int64(n) != s.Genres {
		t.Errorf("genres.csv.gz has %d genres, the films %d", n, s.Genres)
	}

	s.People = int64(len(readCSV(t, "people.csv.gz")))
	s.Ratings = int64(len(readCSV(t, "ratings.csv.gz")))
	s.Users = int64(len(readCSV(t, "users.csv.gz")))
	for _, rec := range readCSV(t, "tags.csv.gz") {
		tags[rec[1]] = true
		s.Tagged++
	}
	s.Tags = int64(len(tags))

	b, err := os.ReadFile(filepath.Join("data", "site.json"))
	if err != nil {
		t.Fatal(err)
	}
	var site struct {
		Users, Reviews, Lists []json.RawMessage
	}
	if err := json.Unmarshal(b, &site); err != nil {
		t.Fatal(err)
	}
	s.Users += int64(len(site.Users))
	s.Reviews = int64(len(site.Reviews))
	s.Lists = int64(len(site.Lists))
	return s
}

func gunzip(t *testing.T, name string) io.Reader {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("data", name))
	if err != nil {
		t.Fatal(err)
	}
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	return zr
}

// readCSV returns the data rows of a gzip'd CSV, header dropped.
func readCSV(t *testing.T, name string) [][]string {
	t.Helper()
	recs, err := csv.NewReader(gunzip(t, name)).ReadAll()
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return recs[1:]
}

func checkSchema(t *testing.T, d neo4j.DriverWithContext, db string) {
	recs := query(t, d, db, "SHOW INDEXES YIELD name, type, state, labelsOrTypes, properties, options RETURN name, type, state, options", nil)
	byName := map[string]*neo4j.Record{}
	for _, r := range recs {
		name, _ := r.Get("name")
		byName[name.(string)] = r
		if state, _ := r.Get("state"); state != "ONLINE" {
			t.Errorf("index %s is %v", name, state)
		}
	}
	for _, name := range []string{"movieTitleSearch", "personNameSearch"} {
		r := byName[name]
		if r == nil {
			t.Errorf("no full-text index %s", name)
			continue
		}
		options, _ := r.Get("options")
		cfg := options.(map[string]any)["indexConfig"].(map[string]any)
		if cfg["fulltext.analyzer"] != "standard-no-stop-words" {
			t.Errorf("%s analyzer %v", name, cfg["fulltext.analyzer"])
		}
	}
	cons := query(t, d, db, "SHOW CONSTRAINTS YIELD labelsOrTypes, properties, type RETURN labelsOrTypes[0] + '.' + properties[0] AS key, type", nil)
	var keys []string
	for _, r := range cons {
		k, _ := r.Get("key")
		keys = append(keys, k.(string))
	}
	for _, want := range []string{"Movie.movieId", "Person.personId", "Genre.name", "Tag.name", "User.userId", "User.username",
		"User.email", "User.usernameKey", "User.emailKey", "Review.reviewId", "Comment.commentId", "UserList.listId", "SynopsisSubmission.submissionId"} {
		if !slices.Contains(keys, want) {
			t.Errorf("no uniqueness constraint on %s (have %q)", want, keys)
		}
	}
	// The full-text index answers a prefix query with a stop word kept.
	hits := query(t, d, db, `CALL db.index.fulltext.queryNodes('movieTitleSearch', 'never let me g*') YIELD node, score
RETURN node.movieId AS id LIMIT 1`, nil)
	if len(hits) != 1 {
		t.Fatal("no full-text hit for 'never let me g*'")
	}
	if id, _ := hits[0].Get("id"); id != int64(80969) {
		t.Errorf("top full-text hit %v, want 80969", id)
	}
}

// The expected values in checkReferenceFilm are those of the reference
// page (shared/reference/movie-page.txt).
func checkReferenceFilm(t *testing.T, d neo4j.DriverWithContext, db string) {
	p := map[string]any{"id": 80969}
	m := query(t, d, db, `MATCH (m:Movie {movieId: $id})
RETURN m.title AS title, m.year AS year, m.synopsis AS synopsis, m.coverCaption AS caption,
       m.posterUrl AS poster, m.posterWidth AS w, m.posterHeight AS h, m.imdbId AS imdb`, p)
	if len(m) != 1 {
		t.Fatalf("%d movies with id 80969", len(m))
	}
	r := m[0].AsMap()
	wantMovie := map[string]any{
		"title":    "Never Let Me Go",
		"year":     int64(2010),
		"synopsis": nil,
		"caption":  "DVD Cover (Fox Searchlight)",
		"poster":   "https://upload.wikimedia.org/wikipedia/en/thumb/a/a1/Neverletmegoposterquad.jpg/320px-Neverletmegoposterquad.jpg",
		"w":        int64(320),
		"h":        int64(240),
		"imdb":     "1334260",
	}
	for k, v := range wantMovie {
		if r[k] != v {
			t.Errorf("movie.%s = %#v, want %#v", k, r[k], v)
		}
	}

	strs := func(cypher string) []string {
		var out []string
		for _, rec := range query(t, d, db, cypher, p) {
			v, _ := rec.Get("v")
			out = append(out, v.(string))
		}
		return out
	}
	if got := strs(`MATCH (:Movie {movieId: $id})-[r:IN_GENRE]->(g:Genre) WHERE r.implied IS NULL RETURN g.name AS v ORDER BY v`); !slices.Equal(got,
		[]string{"Escape Film", "Psychological Sci-Fi", "Science Fiction"}) {
		t.Errorf("listed genres %q", got)
	}
	// The film stays in its MovieLens genres (shared movies.csv: Drama|Romance|Sci-Fi),
	// the parent of the page's three among them.
	if got := strs(`MATCH (:Movie {movieId: $id})-[r:IN_GENRE {implied: true}]->(g:Genre) RETURN g.name AS v ORDER BY v`); !slices.Equal(got,
		[]string{"Drama", "Romance", "Sci-Fi"}) {
		t.Errorf("implied genres %q", got)
	}
	if got := strs(`MATCH (:Movie {movieId: $id})-[r:IN_GENRE]->(g:Genre) WHERE r.implied IS NULL
MATCH (g)-[:SUBGENRE_OF]->(p:Genre) RETURN DISTINCT p.name AS v`); !slices.Equal(got, []string{"Sci-Fi"}) {
		t.Errorf("parents of the listed genres %q", got)
	}
	if got := strs(`MATCH (p:Person)-[:DIRECTED]->(:Movie {movieId: $id}) RETURN p.name AS v`); !slices.Equal(got, []string{"Mark Romanek"}) {
		t.Errorf("directors %q", got)
	}
	cast := query(t, d, db, `MATCH (p:Person)-[r:ACTED_IN]->(:Movie {movieId: $id}) RETURN p.name AS name, r.order AS order ORDER BY r.order`, p)
	wantCast := []string{"Carey Mulligan", "Andrew Garfield", "Izzy Meikle-Small", "Charlie Rowe", "Ella Purnell", "Keira Knightley", "Sally Hawkins"}
	var gotCast []string
	for i, rec := range cast {
		name, _ := rec.Get("name")
		order, _ := rec.Get("order")
		gotCast = append(gotCast, name.(string))
		if order != int64(i) {
			t.Errorf("%v has order %v, want %d", name, order, i)
		}
	}
	if !slices.Equal(gotCast, wantCast) {
		t.Errorf("cast %q, want %q", gotCast, wantCast)
	}

	lists := query(t, d, db, `MATCH (u:User)-[:CREATED]->(l:UserList)-[c:CONTAINS]->(:Movie {movieId: $id})
RETURN l.title AS title, l.public AS public, c.position AS position, u.username AS owner, u.userId AS ownerId`, p)
	if len(lists) != 1 {
		t.Fatalf("film is in %d lists, want 1", len(lists))
	}
	l := lists[0].AsMap()
	if l["title"] != "Best Films of 2010" || l["public"] != true || l["position"] != int64(0) || l["ownerId"].(int64) < 1_000_000 {
		t.Errorf("list %v", l)
	}
	others := strs(`MATCH (:UserList {title: 'Best Films of 2010'})-[c:CONTAINS]->(m:Movie) RETURN m.title AS v ORDER BY c.position`)
	if len(others) < 2 || others[0] != "Never Let Me Go" {
		t.Errorf("list films %q", others)
	}

	reviews := query(t, d, db, `MATCH (u:User)-[:WROTE]->(r:Review)-[:ABOUT]->(:Movie {movieId: $id})
RETURN u.username AS by, r.score AS score, r.addedAt AS added, r.text AS text`, p)
	if len(reviews) != 1 {
		t.Fatalf("%d reviews, want 1", len(reviews))
	}
	rv := reviews[0].AsMap()
	added, _ := rv["added"].(time.Time)
	if rv["by"] != "bluemeanie" || rv["score"] != int64(10) || added.UTC().Format(time.DateOnly) != "2010-10-28" {
		t.Errorf("review by %v score %v added %v", rv["by"], rv["score"], rv["added"])
	}
	text := rv["text"].(string)
	paras := strings.Split(text, "\n\n")
	if len(paras) != 5 || !strings.HasPrefix(paras[0], "There are few directors who can evoke the same haunting imagery as Mark Romanek.") ||
		!strings.HasSuffix(text, "I cannot wait to see it again...and again...and again...and again... 10/10.") ||
		!strings.Contains(text, "They are a school of clones created for one sole purpose -- ton donate their organs") {
		t.Errorf("review text is not the page's: %d paragraphs, %q", len(paras), text)
	}
	if page := pageReview(t); page != nil {
		if !slices.Equal(paras, page) {
			t.Errorf("review paragraphs differ from the page's")
		}
	}

	// The MovieLens ratings of the film stay: three ratings of 4 stars.
	scores := query(t, d, db, `MATCH (u:User)-[r:RATED]->(:Movie {movieId: $id}) RETURN u.userId AS u, r.score AS s ORDER BY u`, p)
	var got []any
	for _, rec := range scores {
		u, _ := rec.Get("u")
		s, _ := rec.Get("s")
		got = append(got, u, s)
	}
	if want := []any{int64(246), int64(8), int64(414), int64(8), int64(517), int64(8)}; !slices.Equal(got, want) {
		t.Errorf("ratings %v, want %v", got, want)
	}
}

// pageReview returns the review paragraphs of the reference page when the
// shared folder is beside the repository, else nil (in CI it must be there).
func pageReview(t *testing.T) []string {
	dir, err := testenv.FindShared()
	if err != nil {
		if testenv.InCI() {
			t.Fatalf("reference page: shared data folder: %v (CI=true: it must be there)", err)
		}
		t.Logf("reference page not found, review checked against its known text only: %v", err)
		return nil
	}
	b, err := os.ReadFile(filepath.Join(dir, "reference", "movie-page.txt"))
	if err != nil {
		t.Fatal(err)
	}
	page := string(b)
	start := strings.Index(page, "Added: October 28, 2010\n")
	end := strings.Index(page, "Sign up to add your comment.")
	if start < 0 || end < start {
		t.Fatal("review not found on the reference page")
	}
	var paras []string
	for _, p := range strings.Split(page[start+len("Added: October 28, 2010\n"):end], "\n") {
		if p = strings.TrimSpace(p); p != "" {
			paras = append(paras, p)
		}
	}
	return paras
}

func checkUsers(t *testing.T, d neo4j.DriverWithContext, db string) {
	recs := query(t, d, db, `MATCH (u:User {username: 'bluemeanie'})
RETURN u.userId AS id, u.role AS role, u.passwordHash IS NULL AS noPassword, u.email IS NULL AS noEmail`, nil)
	if len(recs) != 1 {
		t.Fatalf("%d users bluemeanie", len(recs))
	}
	u := recs[0].AsMap()
	if u["id"].(int64) < 1_000_000 || u["role"] != "USER" || u["noPassword"] != true || u["noEmail"] != true {
		t.Errorf("bluemeanie %v", u)
	}
	// MovieLens user 1 joined with their first rating.
	recs = query(t, d, db, `MATCH (u:User {userId: 1})-[r:RATED]->()
WITH u, min(r.ratedAt) AS firstRating
RETURN u.username AS name, u.role AS role, u.joinedAt = firstRating AS joinedAtFirstRating, u.passwordHash IS NULL AS noPassword`, nil)
	if len(recs) != 1 {
		t.Fatal("no user 1")
	}
	u = recs[0].AsMap()
	if u["name"] != "ml-1" || u["role"] != "USER" || u["joinedAtFirstRating"] != true || u["noPassword"] != true {
		t.Errorf("user 1 %v", u)
	}
	// Every member has its case-insensitive key; the seed's names are ASCII, so it is the
	// lower-cased name.
	recs = query(t, d, db, `MATCH (u:User) WHERE u.usernameKey IS NULL OR u.usernameKey <> toLower(u.username) RETURN count(*) AS n`, nil)
	if n, _ := recs[0].Get("n"); n != int64(0) {
		t.Errorf("%v members without their username key", n)
	}
	recs = query(t, d, db, `MATCH (s:Sequence {name: 'user'}) MATCH (u:User) RETURN s.next AS next, max(u.userId) AS maxId`, nil)
	if len(recs) != 1 {
		t.Fatal("no user sequence")
	}
	next, _ := recs[0].Get("next")
	maxID, _ := recs[0].Get("maxId")
	if next.(int64) <= maxID.(int64) || next.(int64) < 1_000_000 {
		t.Errorf("sequence next %v, max userId %v", next, maxID)
	}
}

// checkRatingSummaries recomputes every film's cached rating summary from its RATED
// edges with aggregating functions, independently of the loader's statement.
func checkRatingSummaries(t *testing.T, d neo4j.DriverWithContext, db string) {
	rows := query(t, d, db, `MATCH (m:Movie)
OPTIONAL MATCH (m)<-[r:RATED]-(:User)
WITH m, count(r) AS c, sum(r.score) AS total
WITH m, c, total, CASE c WHEN 0 THEN null ELSE toFloat(total) / c END AS average
RETURN count(m) AS films,
       count(CASE WHEN m.ratingCount <> c OR m.ratingTotal <> total
                    OR coalesce(abs(m.ratingAverage - average), 0.0) > 1e-9
                    OR (m.ratingAverage IS NULL) <> (average IS NULL) THEN m END) AS drifted`, nil)
	films, _ := rows[0].Get("films")
	drifted, _ := rows[0].Get("drifted")
	if films.(int64) == 0 || drifted.(int64) != 0 {
		t.Errorf("%v of %v films have a cached rating summary that differs from their edges", drifted, films)
	}
}
