package server

import (
	"context"
	"encoding/base64"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"filmgraph/internal/testenv"
)

// The browser test drives Debian's chromium (no browser download) through chromedp against
// the real server and the real Neo4j. Screenshots go to testdata/artifacts/browser.

const referenceMovieID = "TW92aWU6ODA5Njk" // MovieLens 80969, "Never Let Me Go"

// referencePageTexts is every field of /work/shared/reference/movie-page.txt that the
// anonymous page must show (the review's text is checked by its first and last sentences).
// The overall rating ("7.1 / 10 - Overall Rating" there) is checked against the graph's
// own RATED edges instead, as the API's tests do: the seed's ratings are MovieLens's.
var referencePageTexts = []string{
	"Never Let Me Go", "(2010)",
	"DVD Cover (Fox Searchlight)",
	"Genres: Escape Film, Psychological Sci-Fi, Science Fiction",
	"We don't have a synopsis for this movie yet. Check back soon or send us your own!",
	"Mark Romanek", "Carey Mulligan", "Andrew Garfield", "Izzy Meikle-Small", "Charlie Rowe", "Ella Purnell",
	"User Lists:", "Best Films of 2010",
	"Sign up to rate this movie.",
	"Add to Collection", "Sign up to add this to your collection",
	"Add to Favorites", "Sign up to add this to your favorites",
	"Review by bluemeanie", "Added: October 28, 2010",
	"There are few directors who can evoke the same haunting imagery as Mark Romanek.",
	"I cannot wait to see it again...and again...and again...and again... 10/10.",
	"Sign up to add your comment.",
	"Recommended Movies",
}

// browserPath finds Debian's chromium ($CHROMIUM overrides).
func browserPath() string {
	if p := os.Getenv("CHROMIUM"); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// newBrowser checks that chromium is there and returns a function that opens a visitor's
// session: a separate headless chromium process with its own profile (cookies,
// localStorage), so two sessions are two independent visitors.
func newBrowser(t *testing.T) (newSession func() context.Context) {
	t.Helper()
	exe := browserPath()
	if exe == "" {
		testenv.Missing(t, "chromium is not installed (apt-get install -y chromium, as .ci/run does)")
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(exe),
		chromedp.Flag("headless", true),
		chromedp.Flag("no-sandbox", true),
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("no-first-run", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.WindowSize(1280, 1600),
	}
	return func() context.Context {
		allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
		ctx, cancel := chromedp.NewContext(allocCtx)
		if err := chromedp.Run(ctx); err != nil {
			cancel()
			cancelAlloc()
			t.Fatalf("starting %s: %v", exe, err)
		}
		ctx, cancelTimeout := context.WithTimeout(ctx, 90*time.Second)
		t.Cleanup(func() { cancelTimeout(); cancel(); cancelAlloc() })
		return ctx
	}
}

func artifactDir(t *testing.T) string {
	dir := filepath.Join("testdata", "artifacts", "browser")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

func screenshot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	var png []byte
	if err := chromedp.Run(ctx, chromedp.FullScreenshot(&png, 100)); err != nil {
		t.Fatalf("screenshot %s: %v", name, err)
	}
	path := filepath.Join(artifactDir(t), name)
	if err := os.WriteFile(path, png, 0o644); err != nil {
		t.Fatal(err)
	}
	abs, _ := filepath.Abs(path)
	t.Logf("screenshot: %s", abs)
}

// visibleText is the page's rendered text (innerText leaves out what is not displayed).
func visibleText(t *testing.T, ctx context.Context) string {
	t.Helper()
	var text string
	if err := chromedp.Run(ctx, chromedp.Evaluate(`document.body ? document.body.innerText : ''`, &text)); err != nil {
		t.Fatal(err)
	}
	return text
}

// pageWait bounds how long a page may take to show what a step waits for: generous, since
// under -race on a loaded 2-core machine GraphiQL's first answer took over 10 s.
const pageWait = 30 * time.Second

// waitText waits until the rendered page shows want.
func waitText(t *testing.T, ctx context.Context, want string, within time.Duration) {
	t.Helper()
	deadline := time.Now().Add(within)
	for {
		text := visibleText(t, ctx)
		if strings.Contains(text, want) {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("the page did not show %q within %s; it shows:\n%s", want, within, text)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// clickUntilShown clicks sel until the page shows want. A live update (the rating just
// given reaches the page's subscription) can render the button again as it is clicked: the
// click then fails ("could not find node") or lands on the old node and is lost. A click is
// repeated only after 10 s without want, long after its mutation would have answered.
func clickUntilShown(t *testing.T, ctx context.Context, sel, want string, within time.Duration) {
	t.Helper()
	deadline := time.Now().Add(within)
	for {
		err := chromedp.Run(ctx, chromedp.Click(sel, chromedp.ByQuery))
		for wait := time.Now().Add(10 * time.Second); err == nil && time.Now().Before(wait); time.Sleep(100 * time.Millisecond) {
			if strings.Contains(visibleText(t, ctx), want) {
				return
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("the page did not show %q within %s (last click: %v); it shows:\n%s", want, within, err, visibleText(t, ctx))
		}
		time.Sleep(200 * time.Millisecond)
	}
}

func logInThroughThePage(t *testing.T, ctx context.Context, username, password string) {
	t.Helper()
	err := chromedp.Run(ctx,
		chromedp.Click(`[data-testid=auth] details summary`, chromedp.ByQuery),
		chromedp.SendKeys(`[data-testid=login-form] input[name=u]`, username, chromedp.ByQuery),
		chromedp.SendKeys(`[data-testid=login-form] input[name=p]`, password, chromedp.ByQuery),
		chromedp.Click(`[data-testid=login-form] button[type=submit]`, chromedp.ByQuery),
	)
	if err != nil {
		t.Fatalf("logging in as %s: %v", username, err)
	}
	waitText(t, ctx, "Logged in as "+username, pageWait)
}

func TestBrowserMoviePage(t *testing.T) {
	newSession := newBrowser(t)
	pageURL := testServer.URL + "/movies/" + referenceMovieID

	// 1. Anonymous first load: every field of the reference page is visible.
	tab := newSession()
	start := time.Now()
	if err := chromedp.Run(tab,
		chromedp.Navigate(pageURL),
		chromedp.WaitVisible(`#app[data-ready=true]`, chromedp.ByQuery),
	); err != nil {
		t.Fatalf("loading %s: %v (page text: %s)", pageURL, err, visibleText(t, tab))
	}
	firstLoad := time.Since(start)
	var navMs float64
	chromedp.Run(tab, chromedp.Evaluate(`performance.now()`, &navMs))
	t.Logf("first load of the movie page: %s until rendered (browser clock: %.0f ms since navigation start)", firstLoad.Round(time.Millisecond), navMs)
	os.WriteFile(filepath.Join(artifactDir(t), "first-load.txt"), []byte(fmt.Sprintf("%s\n", firstLoad.Round(time.Millisecond))), 0o644)

	avg := cypherRows(t, `MATCH (:User)-[r:RATED]->(:Movie {movieId: 80969}) RETURN round(avg(toFloat(r.score)), 1) AS a`, nil)[0]["a"].(float64)
	text := visibleText(t, tab)
	for _, want := range append(referencePageTexts, fmt.Sprintf("%.1f / 10 - Overall Rating", avg)) {
		if !strings.Contains(text, want) {
			t.Errorf("the page does not show %q", want)
		}
	}
	var shown bool
	for _, sel := range []string{`[data-testid=stars]`, `[data-testid=histogram]`, `[data-testid=cover]`, `[data-testid=recommended] [data-testid=pick]`} {
		if err := chromedp.Run(tab, chromedp.Evaluate(fmt.Sprintf(`(() => { const e = document.querySelector(%q); return !!e && e.getClientRects().length > 0 })()`, sel), &shown)); err != nil || !shown {
			t.Errorf("%s is not visible (%v)", sel, err)
		}
	}
	var reasons int
	chromedp.Run(tab, chromedp.Evaluate(`[...document.querySelectorAll('[data-testid=reason]')].filter(e => e.innerText.trim()).length`, &reasons))
	if reasons == 0 {
		t.Errorf("no recommendation shows its reason")
	}
	screenshot(t, tab, "1-movie-anonymous.png")

	// 2. Log in, rate with the stars, add to favorites.
	alice, bob := signUp(t, "alice").Username, signUp(t, "bob").Username
	logInThroughThePage(t, tab, alice, "correct horse")
	if err := chromedp.Run(tab, chromedp.Click(`.your-rating button[data-star="4"]`, chromedp.ByQuery)); err != nil {
		t.Fatal(err)
	}
	waitText(t, tab, "Your rating: 8/10", pageWait)
	clickUntilShown(t, tab, `[data-testid=favorites]`, "In your favorites ✓", pageWait)
	screenshot(t, tab, "2-movie-logged-in-rated-favorite.png")

	// 3. Another visitor, in another browser session, writes a review: it appears live in
	// the first tab, with no reload.
	other := newSession()
	if err := chromedp.Run(other,
		chromedp.Navigate(pageURL),
		chromedp.WaitVisible(`#app[data-ready=true]`, chromedp.ByQuery),
	); err != nil {
		t.Fatal(err)
	}
	logInThroughThePage(t, other, bob, "correct horse")
	review := "A quiet, devastating film. Written by " + bob + " in the browser test."
	if err := chromedp.Run(other,
		chromedp.SendKeys(`[data-testid=review-form] textarea[name=text]`, review, chromedp.ByQuery),
		chromedp.SendKeys(`[data-testid=review-form] input[name=score]`, "9", chromedp.ByQuery),
		chromedp.Click(`[data-testid=review-form] button[type=submit]`, chromedp.ByQuery),
	); err != nil {
		t.Fatal(err)
	}
	waitText(t, other, "Review by "+bob, pageWait)
	screenshot(t, other, "3-other-session-wrote-review.png")
	waitText(t, tab, "Review by "+bob, pageWait)
	waitText(t, tab, review, time.Second)
	screenshot(t, tab, "4-review-appeared-live.png")
}

func TestBrowserGraphiQLAndWidget(t *testing.T) {
	newSession := newBrowser(t)

	// GraphiQL loads from the embedded assets only, with the example operations as tabs.
	tab := newSession()
	var mu sync.Mutex
	var foreign []string
	chromedp.ListenTarget(tab, func(ev any) {
		if e, ok := ev.(*network.EventRequestWillBeSent); ok {
			u := e.Request.URL
			if !strings.HasPrefix(u, testServer.URL) && !strings.HasPrefix(u, "data:") && !strings.HasPrefix(u, "ws://"+strings.TrimPrefix(testServer.URL, "http://")) {
				mu.Lock()
				foreign = append(foreign, u)
				mu.Unlock()
			}
		}
	})
	if err := chromedp.Run(tab,
		network.Enable(),
		chromedp.Navigate(testServer.URL+"/"),
		chromedp.WaitVisible(`.graphiql-container`, chromedp.ByQuery),
	); err != nil {
		t.Fatal(err)
	}
	waitText(t, tab, "moviePage", pageWait)
	// Run the open tab's query.
	if err := chromedp.Run(tab, chromedp.Click(`.graphiql-execute-button`, chromedp.ByQuery)); err != nil {
		t.Fatal(err)
	}
	waitText(t, tab, `"data"`, pageWait)
	screenshot(t, tab, "5-graphiql.png")
	mu.Lock()
	if len(foreign) > 0 {
		t.Errorf("GraphiQL requested other origins: %v", foreign)
	}
	mu.Unlock()

	// The widget, embedded by a third-party page (another origin) with the script tag.
	thirdParty := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		fmt.Fprintf(w, `<!doctype html><html><body><h1>A film blog</h1><p>If you liked it, try:</p>
<script src="%s/static/widget.js" data-movie="%s"></script></body></html>`, testServer.URL, referenceMovieID)
	}))
	defer thirdParty.Close()
	if err := chromedp.Run(tab,
		chromedp.Navigate(thirdParty.URL),
		chromedp.WaitVisible(`iframe.filmgraph-widget`, chromedp.ByQuery),
	); err != nil {
		t.Fatal(err)
	}
	// The frame's own page, read directly: the strip with each pick's reason.
	widget := newSession()
	if err := chromedp.Run(widget,
		chromedp.Navigate(testServer.URL+"/widget/"+referenceMovieID),
		chromedp.WaitVisible(`#widget[data-ready=true]`, chromedp.ByQuery),
	); err != nil {
		t.Fatal(err)
	}
	waitText(t, widget, "Recommended Movies", time.Second)
	var picks int
	chromedp.Run(widget, chromedp.Evaluate(`[...document.querySelectorAll('[data-testid=pick] [data-testid=reason]')].filter(e => e.innerText.trim()).length`, &picks))
	if picks == 0 {
		t.Errorf("the widget shows no pick with a reason")
	}
	time.Sleep(500 * time.Millisecond) // let the embedded frame render for the screenshot
	screenshot(t, tab, "6-widget-on-third-party-page.png")
}

// readmePageURLs returns the paths of every page URL written literally in README.md
// (/movies/..., /people/..., /widget/...; placeholders like {id} are not literal), and the
// widget frame of every `data-movie` in a script-tag example, so that new examples are
// covered as they are written.
func readmePageURLs(t *testing.T) []string {
	t.Helper()
	readme := readmeText(t)
	seen := map[string]bool{}
	var paths []string
	add := func(p string) {
		if !seen[p] {
			seen[p] = true
			paths = append(paths, p)
		}
	}
	for _, m := range regexp.MustCompile(`/(?:movies|people|widget)/[A-Za-z0-9_=+%-]+`).FindAllString(readme, -1) {
		add(m)
	}
	for _, m := range regexp.MustCompile(`data-movie="([^"]+)"`).FindAllStringSubmatch(readme, -1) {
		add("/widget/" + m[1])
	}
	return paths
}

// expectedHeading is what the page at path must show, read from the graph: a film's title
// or a person's name. The route's id is a MovieLens number or a global id in any base64 form.
func expectedHeading(t *testing.T, path string) string {
	t.Helper()
	parts := strings.Split(path, "/")
	kind, raw := parts[1], parts[2]
	if unescaped, err := url.PathUnescape(raw); err == nil {
		raw = unescaped
	}
	typeName, key := "Movie", raw
	if _, err := strconv.Atoi(raw); err != nil {
		decoded, err := base64.StdEncoding.DecodeString(base64Padded(strings.NewReplacer("-", "+", "_", "/").Replace(raw)))
		if err != nil {
			t.Fatalf("%s: the README's id %q is not base64: %v", path, raw, err)
		}
		typeName, key, _ = strings.Cut(string(decoded), ":")
	}
	n, err := strconv.Atoi(key)
	if err != nil {
		t.Fatalf("%s: unexpected key %q", path, key)
	}
	query := `MATCH (m:Movie {movieId: $n}) RETURN m.title AS heading`
	if kind == "people" {
		query = `MATCH (p:Person {personId: $n}) RETURN p.name AS heading`
	}
	rows := cypherRows(t, query, map[string]any{"n": n})
	if len(rows) != 1 || typeName != map[string]string{"movies": "Movie", "widget": "Movie", "people": "Person"}[kind] {
		t.Fatalf("%s: no %s with key %s in the graph", path, typeName, key)
	}
	return rows[0]["heading"].(string)
}

func base64Padded(s string) string {
	return s + strings.Repeat("=", (4-len(s)%4)%4)
}

// TestBrowserREADMEURLs opens every page URL the README shows, and the pages of films whose
// ids clients build in every base64 form (btoa pads: "Never Let Me Go" needs one "=",
// "Toy Story" and "The Matrix" two, "Forrest Gump" none), and checks that each page shows
// its film or person as its heading (the widget: "Recommended Movies if you liked ..."),
// not an error.
func TestBrowserREADMEURLs(t *testing.T) {
	newSession := newBrowser(t)
	paths := readmePageURLs(t)
	if len(paths) < 3 {
		t.Fatalf("found only %v in README.md: the extraction is broken", paths)
	}
	for _, movieLensID := range []int{80969, 1, 2571, 356} {
		padded := base64.StdEncoding.EncodeToString([]byte(fmt.Sprintf("Movie:%d", movieLensID)))
		for _, page := range []string{"movies", "widget"} {
			for _, p := range []string{fmt.Sprintf("/%s/%d", page, movieLensID), "/" + page + "/" + padded} {
				if !slices.Contains(paths, p) {
					paths = append(paths, p)
				}
			}
		}
	}
	t.Logf("URLs opened: %s", strings.Join(paths, " "))
	tab := newSession()
	for _, path := range paths {
		want := expectedHeading(t, path)
		if err := chromedp.Run(tab, chromedp.Navigate(testServer.URL+path)); err != nil {
			t.Fatalf("opening %s: %v", path, err)
		}
		deadline := time.Now().Add(20 * time.Second)
		for {
			var page struct{ Text, Error string }
			if err := chromedp.Run(tab, chromedp.Evaluate(`({text: document.querySelector('h1, #widget h2')?.innerText ?? '', error: document.querySelector('.error')?.innerText ?? ''})`, &page)); err != nil {
				t.Fatal(err)
			}
			text := page.Text
			if page.Error != "" {
				t.Errorf("%s shows an error instead of %q: %s", path, want, page.Error)
				break
			}
			if strings.Contains(text, want) {
				break
			}
			if time.Now().After(deadline) {
				t.Errorf("%s did not show %q as its heading within 20 s; it shows:\n%s", path, want, visibleText(t, tab))
				break
			}
			time.Sleep(100 * time.Millisecond)
		}
	}
	screenshot(t, tab, "7-last-readme-url.png")
}
