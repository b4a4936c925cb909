package server

import (
	"bufio"
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"filmgraph/events"
	"filmgraph/internal/apitest"
	"filmgraph/internal/natstest"
	"filmgraph/internal/neo4jtest"
	"filmgraph/lease"
	"filmgraph/observe"
	"filmgraph/recommend"
	"filmgraph/store"
)

// These tests run several replicas of the API in one test binary, as a load balancer would
// see them: two HTTP servers, each with its own driver (so its own bookmarks) and its own
// broker connected to one NATS server, over the test binary's Neo4j.

// replica is one filmgraph replica of a test.
type replica struct {
	url    string
	db     *store.Store
	events *events.NATS
}

// startReplica starts a replica whose broker connects to the NATS server at natsURL; it
// stops when the test ends.
func startReplica(t *testing.T, natsURL string) *replica {
	t.Helper()
	db, err := store.Open(context.Background(), store.Config{
		URI: neo4jtest.URI(), Username: neo4jtest.Username(), Password: neo4jtest.Password(), Database: neo4jtest.Database(),
	}, 10*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	log := observe.NewLogger(os.Stderr, false, slog.LevelError)
	bus, err := events.ConnectNATS(natsURL, log)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer((&server{log: log, db: db, cfg: testConfig, issuer: testIssuer, events: bus}).routes())
	t.Cleanup(func() {
		srv.CloseClientConnections()
		srv.Close()
		bus.Close()
		db.Close(context.Background())
	})
	return &replica{url: srv.URL, db: db, events: bus}
}

// waitBus waits until the replicas' brokers are connected to NATS.
func waitBus(t *testing.T, replicas ...*replica) time.Duration {
	t.Helper()
	start := time.Now()
	for _, r := range replicas {
		for !r.events.Connected() {
			if time.Since(start) > 30*time.Second {
				t.Fatal("a replica's broker did not connect to NATS within 30 s")
			}
			time.Sleep(10 * time.Millisecond)
		}
	}
	return time.Since(start)
}

// subscribeAt opens a WebSocket to r and subscribes to the reviews of movie, waiting until
// r's broker has the subscription.
func subscribeAt(t *testing.T, r *replica, id string, movie int) *wsClient {
	t.Helper()
	before := r.events.Subscribers(events.ReviewAdded, int64(movie))
	c, m, err := dialWSAt(t, r.url, map[string]any{})
	if err != nil || m.Type != "connection_ack" {
		t.Fatalf("connection_init: %v %+v", err, m)
	}
	c.subscribe(id, `subscription($m: ID!) { reviewAdded(movieId: $m) { id text } }`, map[string]any{"m": movieID(movie)})
	deadline := time.Now().Add(10 * time.Second)
	for r.events.Subscribers(events.ReviewAdded, int64(movie)) <= before {
		if time.Now().After(deadline) {
			t.Fatal("the subscription did not register within 10 s")
		}
		time.Sleep(10 * time.Millisecond)
	}
	return c
}

// writeReviewAt writes a review of movie through r and returns its id and the response's
// Filmgraph-Bookmark header.
func writeReviewAt(t *testing.T, r *replica, token string, movie int, text string) (string, http.Header) {
	t.Helper()
	status, resp, header, err := postWithHeaders(r.url, token, nil, `mutation($m: ID!, $t: String!) { writeReview(movieId: $m, text: $t, score: 7) { id } }`,
		map[string]any{"m": movieID(movie), "t": text})
	if err != nil || status != http.StatusOK || len(resp.Errors) > 0 {
		t.Fatalf("writeReview through %s: %d %v %+v", r.url, status, err, resp.Errors)
	}
	var data struct{ WriteReview struct{ ID string } }
	json.Unmarshal(resp.Data, &data)
	return data.WriteReview.ID, header
}

// nextReview reads the next message of subscription id, which must be the review with
// reviewID.
func nextReview(t *testing.T, c *wsClient, id, reviewID string) {
	t.Helper()
	var got struct {
		Data struct{ ReviewAdded struct{ ID string } }
	}
	if err := json.Unmarshal(c.next(id, "next"), &got); err != nil || got.Data.ReviewAdded.ID != reviewID {
		t.Fatalf("got review %q (%v), want %s", got.Data.ReviewAdded.ID, err, reviewID)
	}
}

func TestReplicasShareLiveUpdatesOverNATS(t *testing.T) {
	bus := natstest.Start(t)
	a, b := startReplica(t, bus.URL()), startReplica(t, bus.URL())
	waitBus(t, a, b)
	// One review per member and film: a writer for each write.
	writers := []account{signUp(t, "replica-writer"), signUp(t, "replica-writer"), signUp(t, "replica-writer")}
	const movie = 4993 // The Lord of the Rings: The Fellowship of the Ring

	series := []string{`filmgraph_events_published_total{bus="nats",outcome="ok"}`, `filmgraph_events_published_total{bus="nats",outcome="dropped"}`,
		"filmgraph_events_delivered_total", `filmgraph_events_dropped_total{reason="bus_down"}`}
	before := map[string]float64{}
	for _, s := range series {
		before[s] = metric(t, a.url, s)
	}

	// A subscriber on A hears of a review written through B.
	c := subscribeAt(t, a, "r1", movie)
	start := time.Now()
	reviewID, _ := writeReviewAt(t, b, writers[0].Token, movie, "Through B")
	answered := time.Now()
	nextReview(t, c, "r1", reviewID)
	t.Logf("a review written through replica B reached A's subscriber %s after the mutation was sent, %s after B answered it",
		time.Since(start).Round(time.Millisecond), time.Since(answered).Round(time.Millisecond))

	// NATS stops: A's subscriber gets SERVICE_UNAVAILABLE; writes through B still succeed.
	stopped := time.Now()
	bus.Stop()
	m, err := c.read(30 * time.Second)
	if err != nil || m.Type != "error" || m.ID != "r1" {
		t.Fatalf("after NATS stopped: %v %+v, want an error message", err, m)
	}
	var errs []struct {
		Message    string
		Extensions map[string]any
	}
	json.Unmarshal(m.Payload, &errs)
	if len(errs) != 1 || errs[0].Extensions["code"] != "SERVICE_UNAVAILABLE" {
		t.Fatalf("after NATS stopped: %s", m.Payload)
	}
	t.Logf("A's subscriber was told %s after NATS stopped: %q", time.Since(stopped).Round(time.Millisecond), errs[0].Message)
	lostID, _ := writeReviewAt(t, b, writers[1].Token, movie, "While NATS is down")
	if rows := cypherRows(t, `MATCH (r:Review {reviewId: $k}) RETURN count(r) AS n`, map[string]any{"k": mustKey(lostID)}); rows[0]["n"] != int64(1) {
		t.Fatalf("the review written during the outage is not in the graph: %v", rows)
	}
	// A subscription started during the outage is told at once.
	d, _, err := dialWSAt(t, a.url, map[string]any{})
	if err != nil {
		t.Fatal(err)
	}
	d.subscribe("r2", `subscription($m: ID!) { reviewAdded(movieId: $m) { id } }`, map[string]any{"m": movieID(movie)})
	if m, err := d.read(10 * time.Second); err != nil || m.Type != "error" {
		t.Fatalf("subscribing during the outage: %v %+v, want an error message", err, m)
	}

	// NATS is back: the brokers reconnect by themselves and delivery resumes.
	bus.Restart()
	t.Logf("both replicas reconnected %s after NATS restarted", waitBus(t, a, b).Round(time.Millisecond))
	c = subscribeAt(t, a, "r3", movie)
	reviewID, _ = writeReviewAt(t, b, writers[2].Token, movie, "NATS is back")
	nextReview(t, c, "r3", reviewID)

	// The metrics (one registry per process: both replicas count into it) saw the events of
	// two reviews published and of one dropped while NATS was down (a review publishes two:
	// reviewAdded, and ratingSummaryChanged since its score is the author's rating), two
	// delivered (nobody follows the summary) and two subscriptions ended by the outage.
	for s, want := range map[string]float64{series[0]: 4, series[1]: 2, series[2]: 2, series[3]: 2} {
		if got := metric(t, a.url, s) - before[s]; got != want {
			t.Errorf("%s grew by %v, want %v", s, got, want)
		}
	}
}

// postWithHeaders posts an operation to the server at url with token (none when "") and
// the request headers given, and returns the status, the decoded response and its headers.
func postWithHeaders(url, token string, headers map[string]string, query string, variables map[string]any) (int, gqlResponse, http.Header, error) {
	status, resp, header, err := apitest.Do(http.DefaultClient, apitest.Request{URL: url, Token: token, Header: headers, Body: apitest.Operation(query, variables)})
	return status, gqlResponse{resp}, header, err
}

// TestBookmarksCarryWritesAcrossReplicas: a write through B returns a bookmark (header
// and extension, the same); a read through A that sends it back runs after it and sees the
// review; a malformed bookmark is BAD_USER_INPUT, and so is a well-formed one that the
// database never issued.
func TestBookmarksCarryWritesAcrossReplicas(t *testing.T) {
	bus := natstest.Start(t)
	a, b := startReplica(t, bus.URL()), startReplica(t, bus.URL())
	writer := signUp(t, "bookmark-writer")
	const movie = 5952 // The Lord of the Rings: The Two Towers

	status, resp, header, err := postWithHeaders(b.url, writer.Token, nil, `mutation($m: ID!) { writeReview(movieId: $m, text: "Bookmarked", score: 8) { id } }`,
		map[string]any{"m": movieID(movie)})
	if err != nil || status != 200 || len(resp.Errors) > 0 {
		t.Fatalf("write through B: %d %v %+v", status, err, resp.Errors)
	}
	bookmark := header.Get("Filmgraph-Bookmark")
	if bookmark == "" {
		t.Fatal("the write's response has no Filmgraph-Bookmark header")
	}
	var data struct{ WriteReview struct{ ID string } }
	json.Unmarshal(resp.Data, &data)
	reviewID := data.WriteReview.ID
	if ext := extensionsOf(t, b.url, writer.Token); ext == "" {
		t.Fatal("a write's response has no extensions.bookmark")
	}

	// The read through A after the bookmark sees the review.
	query := `query($id: ID!) { node(id: $id) { id ... on Review { text } } }`
	status, resp, header, err = postWithHeaders(a.url, "", map[string]string{"Filmgraph-Bookmark": bookmark}, query, map[string]any{"id": reviewID})
	if err != nil || status != 200 || len(resp.Errors) > 0 {
		t.Fatalf("read through A with B's bookmark: %d %v %+v", status, err, resp.Errors)
	}
	if !strings.Contains(string(resp.Data), `"text":"Bookmarked"`) {
		t.Fatalf("read through A after B's write: %s", resp.Data)
	}
	if header.Get("Filmgraph-Bookmark") != "" {
		t.Errorf("a read answered with a bookmark: %q", header.Get("Filmgraph-Bookmark"))
	}

	// Malformed, oversized, and well-formed but never issued: BAD_USER_INPUT, nothing run.
	forged := base64.RawURLEncoding.EncodeToString([]byte(`["FB:not-a-bookmark"]`))
	for name, value := range map[string]string{
		"not base64":     "%%%",
		"not a list":     base64.RawURLEncoding.EncodeToString([]byte(`{"a":1}`)),
		"empty list":     base64.RawURLEncoding.EncodeToString([]byte(`[]`)),
		"oversized":      strings.Repeat("A", 5000),
		"never issued":   forged,
		"too many items": base64.RawURLEncoding.EncodeToString([]byte(`["a","a","a","a","a","a","a","a","a","a","a","a","a","a","a","a","a"]`)),
	} {
		status, resp, _, err := postWithHeaders(a.url, "", map[string]string{"Filmgraph-Bookmark": value}, query, map[string]any{"id": reviewID})
		if err != nil || status >= 500 || len(resp.Errors) != 1 || resp.codes()[0] != "BAD_USER_INPUT" {
			t.Errorf("%s bookmark: %d %v %+v, want BAD_USER_INPUT", name, status, err, resp.Errors)
		}
	}
}

// extensionsOf rates a film through url and returns the response's extensions.bookmark.
func extensionsOf(t *testing.T, url, token string) string {
	t.Helper()
	body, _ := json.Marshal(map[string]any{"query": `mutation { rateMovie(movieId: "` + movieID(5952) + `", score: 6) { id } }`})
	req, _ := http.NewRequest(http.MethodPost, url+"/graphql", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out struct {
		Extensions map[string]any
	}
	json.NewDecoder(resp.Body).Decode(&out)
	ext, _ := out.Extensions["bookmark"].(string)
	if ext != "" && ext != resp.Header.Get("Filmgraph-Bookmark") {
		t.Errorf("extensions.bookmark %q differs from the header %q", ext, resp.Header.Get("Filmgraph-Bookmark"))
	}
	return ext
}

// TestOneRefresherPerCluster: two replicas' refreshers share one lease; only its holder
// runs cycles, and once the holder stops renewing (its process died) the other takes over
// within the lease's time. The fencing token grows at the takeover, and a write guarded by
// the old token is refused.
func TestOneRefresherPerCluster(t *testing.T) {
	name := fmt.Sprintf("test.refresher.%d", time.Now().UnixNano()) // fresh whatever ran before
	const interval, ttl = 200 * time.Millisecond, 4 * time.Second   // a cycle takes about a second on a loaded machine
	type runner struct {
		lease  *lease.Lease
		cycles atomic.Int64
		stop   context.CancelFunc
	}
	start := func(holder string) *runner {
		r := &runner{lease: &lease.Lease{Driver: testStore.Driver(), Database: testStore.Database(), Name: name, Holder: holder, TTL: ttl}}
		// MaxFilms 0: a cycle reads what is pending and refreshes nothing, so the other
		// tests' similarity edges stay as they are; Report counts the cycles that ran.
		refresher := &recommend.Refresher{Driver: testStore.Driver(), Database: testStore.Database(), Interval: interval,
			Report: func(time.Duration) { r.cycles.Add(1) }, Lease: r.lease}
		ctx, cancel := context.WithCancel(context.Background())
		r.stop = cancel
		go refresher.Run(ctx)
		t.Cleanup(cancel)
		return r
	}
	a := start("replica-a")
	deadline := time.Now().Add(30 * time.Second)
	for a.cycles.Load() == 0 {
		if time.Now().After(deadline) {
			t.Fatal("the first refresher ran no cycle within 30 s")
		}
		time.Sleep(20 * time.Millisecond)
	}
	b := start("replica-b")
	// A few more of A's cycles (however slow the machine), and none of B's.
	deadline = time.Now().Add(60 * time.Second)
	for since := a.cycles.Load(); a.cycles.Load() < since+3; {
		if time.Now().After(deadline) {
			t.Fatalf("A ran %d cycles within 30 s", a.cycles.Load())
		}
		time.Sleep(20 * time.Millisecond)
	}
	if n := b.cycles.Load(); n != 0 {
		t.Fatalf("B ran %d cycles while A held the lease", n)
	}
	tokenA, _, err := a.lease.Acquire(context.Background())
	if err != nil {
		t.Fatal(err)
	}

	// A dies: it stops renewing; B takes over once the lease lapsed.
	a.stop()
	stopped := time.Now()
	for b.cycles.Load() == 0 {
		if time.Since(stopped) > ttl+30*time.Second {
			t.Fatalf("B did not take over within %s of A's stop (lease %s)", time.Since(stopped), ttl)
		}
		time.Sleep(10 * time.Millisecond)
	}
	takeover := time.Since(stopped)
	t.Logf("B took over %s after A stopped renewing (lease %s, interval %s)", takeover.Round(time.Millisecond), ttl, interval)
	aCycles := a.cycles.Load()
	time.Sleep(5 * interval)
	if a.cycles.Load() != aCycles {
		t.Error("A still runs cycles after it stopped")
	}

	// Fencing: B's token is newer; a write guarded by A's old token writes nothing.
	tokenB, held, err := b.lease.Acquire(context.Background())
	if err != nil || !held || tokenB <= tokenA {
		t.Fatalf("B's token %d (held %v, %v), A's %d: want B's larger", tokenB, held, err, tokenA)
	}
	mark := `MERGE (x:LeaseTestMark {lease: $leaseName}) SET x.by = $by`
	if err := a.lease.Write(context.Background(), tokenA, mark, map[string]any{"by": "A"}); !errors.Is(err, lease.ErrLost) {
		t.Fatalf("a write with A's stale token: %v, want ErrLost", err)
	}
	if err := b.lease.Write(context.Background(), tokenB, mark, map[string]any{"by": "B"}); err != nil {
		t.Fatalf("a write with B's token: %v", err)
	}
	rows := cypherRows(t, `MATCH (x:LeaseTestMark {lease: $n}) RETURN collect(x.by) AS by`, map[string]any{"n": name})
	if fmt.Sprint(rows[0]["by"]) != "[B]" {
		t.Fatalf("guarded writes that landed: %v, want B's only", rows[0]["by"])
	}

	// B stops cleanly and releases the lease: a new replica C takes it at its first cycle,
	// without waiting for it to lapse.
	b.stop()
	if err := b.lease.Release(context.Background()); err != nil {
		t.Fatal(err)
	}
	released := time.Now()
	c := start("replica-c")
	for c.cycles.Load() == 0 {
		if time.Since(released) > 30*time.Second {
			t.Fatal("C did not take the released lease within 30 s")
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Logf("C took the released lease %s after B released it", time.Since(released).Round(time.Millisecond))
	if tokenC, _, _ := c.lease.Acquire(context.Background()); tokenC <= tokenB {
		t.Errorf("C's token %d, B's %d: want C's larger", tokenC, tokenB)
	}
	c.stop()
	cypherRows(t, `MATCH (x:LeaseTestMark {lease: $n}) DELETE x`, map[string]any{"n": name})
	cypherRows(t, `MATCH (l:Lease {name: $n}) DELETE l`, map[string]any{"n": name})
}

// TestBookmarkLinksOfApolloAndUrql runs the README's Apollo link and urql exchange
// (testdata/clients/bookmarks.mjs): each keeps the bookmark of a write through B, a read
// through A with it sees the write, and a forged one is refused, so the header is sent.
func TestBookmarkLinksOfApolloAndUrql(t *testing.T) {
	bus := natstest.Start(t)
	a, b := startReplica(t, bus.URL()), startReplica(t, bus.URL())
	member := signUp(t, "bookmark-client")
	var out map[string]struct {
		Bookmark, Wrote, Read, Error, Forged string
	}
	runNode(t, "bookmarks.mjs", &out, "REPLICA_A="+a.url, "REPLICA_B="+b.url, "MEMBER_TOKEN="+member.Token, "MOVIE_IDS="+movieID(7153)+","+movieID(2959))
	for _, client := range []string{"apollo", "urql"} {
		r, ok := out[client]
		switch {
		case !ok:
			t.Errorf("%s: no result in %v", client, out)
		case r.Bookmark == "":
			t.Errorf("%s kept no bookmark after its write: %+v", client, r)
		case r.Read != r.Wrote:
			t.Errorf("%s read %q through A after writing %q through B (%s)", client, r.Read, r.Wrote, r.Error)
		case r.Forged == "":
			t.Errorf("%s: a forged bookmark was not refused: the header is not sent", client)
		default:
			t.Logf("%s: forged bookmark refused with %q", client, r.Forged)
		}
	}
}

// metric reads the value of one series (name with its labels, as /metrics writes it) from
// the server at base; 0 when it has none yet.
func metric(t *testing.T, base, series string) float64 {
	t.Helper()
	resp, err := http.Get(base + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	lines := bufio.NewScanner(resp.Body)
	for lines.Scan() {
		if v, ok := strings.CutPrefix(lines.Text(), series+" "); ok {
			var n float64
			fmt.Sscan(v, &n)
			return n
		}
	}
	return 0
}
