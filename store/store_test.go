package store_test

import (
	"bytes"
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"filmgraph/apperr"
	"filmgraph/cypher"
	"filmgraph/internal/apitest"
	"filmgraph/internal/neo4jtest"
	"filmgraph/observe"
	"filmgraph/store"
)

// Tests of the store against the real Neo4j of the test binary (empty: no seed). Expected
// values come from independent queries through neo4jtest's own driver.

func TestMain(m *testing.M) {
	os.Exit(neo4jtest.Run(m, func(ctx context.Context, d neo4j.DriverWithContext) error {
		_, err := neo4j.ExecuteQuery(ctx, d, `CREATE CONSTRAINT storetest_nameKey IF NOT EXISTS FOR (n:StoreTest) REQUIRE n.nameKey IS UNIQUE`,
			nil, neo4j.EagerResultTransformer, neo4j.ExecuteQueryWithDatabase(neo4jtest.Database()))
		return err
	}))
}

// run keeps this binary's nodes apart from an earlier run's on a reused database (NEO4J_URI).
var run = strconv.FormatInt(time.Now().UnixNano(), 36)

// open opens a store on uri (the test Neo4j when ""), closed with the test.
func open(t *testing.T, uri string) *store.Store {
	t.Helper()
	if uri == "" {
		uri = neo4jtest.URI()
	}
	s, err := store.Open(context.Background(), store.Config{
		URI: uri, Username: neo4jtest.Username(), Password: neo4jtest.Password(), Database: neo4jtest.Database(),
		RequestTimeout: 20 * time.Second,
	}, 30*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close(context.Background()) })
	return s
}

// count counts the StoreTest nodes of this run with key k, independently of the store.
func count(t *testing.T, k string) int64 {
	t.Helper()
	res, err := neo4j.ExecuteQuery(context.Background(), neo4jtest.Driver(t), `MATCH (n:StoreTest {run: $run, k: $k}) RETURN count(n) AS n`,
		map[string]any{"run": run, "k": k}, neo4j.EagerResultTransformer, neo4j.ExecuteQueryWithDatabase(neo4jtest.Database()))
	if err != nil {
		t.Fatal(err)
	}
	n, _ := res.Records[0].Get("n")
	return n.(int64)
}

func statement(text string, params map[string]any) cypher.Statement {
	if params == nil {
		params = map[string]any{}
	}
	params["run"] = run
	return cypher.Statement{Text: text, Params: params}
}

// wantCode checks err's code and that the message shown to clients says nothing of Cypher.
func wantCode(t *testing.T, what string, err error, code apperr.Code) {
	t.Helper()
	if got := apperr.CodeOf(err); got != code {
		t.Fatalf("%s: %v (code %s), want %s", what, err, got, code)
	}
	var coded *apperr.Error
	if errors.As(err, &coded) && (strings.Contains(coded.Message, "Neo.") || strings.Contains(coded.Message, "MATCH") || strings.Contains(coded.Message, "RETURN")) {
		t.Errorf("%s: the client sees %q", what, coded.Message)
	}
}

func TestReadsReturnTheThisColumn(t *testing.T) {
	s := open(t, "")
	ctx := context.Background()
	before := s.RoundTrips()
	rows, err := s.ReadAll(ctx, statement(`UNWIND [1, 2, 3] AS x RETURN x * 10 AS this, 'ignored' AS other`, nil))
	if err != nil || len(rows) != 3 || rows[0] != int64(10) || rows[2] != int64(30) {
		t.Fatalf("ReadAll: %v, %v", rows, err)
	}
	row, err := s.ReadOne(ctx, statement(`RETURN {title: $t} AS this`, map[string]any{"t": "Heat"}))
	if err != nil || row["title"] != "Heat" {
		t.Errorf("ReadOne: %v, %v", row, err)
	}
	row, err = s.ReadOne(ctx, statement(`MATCH (n:StoreTest {run: $run, k: 'nothing'}) RETURN n AS this`, nil))
	if err != nil || row != nil {
		t.Errorf("ReadOne of no row: %v, %v; want nil, nil", row, err)
	}
	if n := s.RoundTrips() - before; n != 3 {
		t.Errorf("%d round trips counted for 3 statements", n)
	}
	// A read runs in a read transaction: it cannot write.
	_, err = s.ReadOne(ctx, statement(`CREATE (n:StoreTest {run: $run, k: 'read'}) RETURN 1 AS this`, nil))
	wantCode(t, "a write in a read", err, apperr.Internal)
	if n := count(t, "read"); n != 0 {
		t.Errorf("a read transaction wrote %d nodes", n)
	}
}

func TestFailuresAreCoded(t *testing.T) {
	s := open(t, "")
	ctx := context.Background()

	_, err := s.ReadOne(ctx, statement(`RETURN (`, nil))
	wantCode(t, "a syntax error", err, apperr.Internal)
	if !strings.Contains(errors.Unwrap(err).Error(), "Neo.ClientError.Statement.SyntaxError") {
		t.Errorf("the cause kept for the log: %v", errors.Unwrap(err))
	}

	// A statement that outlives the request's deadline is stopped: TIMEOUT, soon after.
	slow := statement(`UNWIND range(1, 2000000000) AS x WITH x WHERE x = -1 RETURN x AS this`, nil)
	short, cancel := context.WithTimeout(ctx, 500*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err = s.ReadOne(short, slow)
	wantCode(t, "past the deadline", err, apperr.Timeout)
	if took := time.Since(start); took > 30*time.Second {
		t.Errorf("a 500 ms deadline answered after %v", took)
	}
	t.Logf("a 500 ms deadline answered TIMEOUT after %v", time.Since(start).Round(time.Millisecond))

	// A request the client gave up on.
	gone, cancelNow := context.WithCancel(ctx)
	cancelNow()
	_, err = s.ReadOne(gone, statement(`RETURN 1 AS this`, nil))
	wantCode(t, "a cancelled request", err, apperr.ServiceUnavailable)

	// A uniqueness violation names the field (nameKey holds the folded form of name).
	create := statement(`CREATE (n:StoreTest {run: $run, k: 'unique', nameKey: $key}) RETURN 1 AS this`, map[string]any{"key": "ann-" + run})
	if _, err := s.WriteOne(ctx, create); err != nil {
		t.Fatal(err)
	}
	_, err = s.WriteOne(ctx, create)
	wantCode(t, "a duplicate", err, apperr.Conflict)
	if !strings.Contains(err.Error(), "`name` is already taken") {
		t.Errorf("conflict message %q", err)
	}

	// A well-formed bookmark that this database never issued.
	forged := store.AfterBookmarks(ctx, []string{"FB:not-a-bookmark"})
	_, err = s.ReadOne(forged, statement(`RETURN 1 AS this`, nil))
	wantCode(t, "a forged bookmark", err, apperr.BadUserInput)
}

// TestWriteIsAllOrNothing: a statement that fails after creating nodes leaves none of them,
// and a failure of the statement itself is not retried.
func TestWriteIsAllOrNothing(t *testing.T) {
	s := open(t, "")
	ctx := context.Background()
	before := s.RoundTrips()
	failing := cypher.Write{Statement: statement(`UNWIND range(1, 5) AS i CREATE (n:StoreTest {run: $run, k: 'half', i: i})
		WITH i ORDER BY i DESC LIMIT 1 RETURN {status: 'OK', result: {i: 10 / (i - 5)}} AS this`, nil)}
	_, err := s.Write(ctx, failing)
	wantCode(t, "a division by zero after five creates", err, apperr.Internal)
	if n := count(t, "half"); n != 0 {
		t.Errorf("a failed write left %d of its 5 nodes", n)
	}
	if n := s.RoundTrips() - before; n != 1 {
		t.Errorf("a failing statement ran %d times, want once", n)
	}
}

func TestWriteAnswersByItsOutcomes(t *testing.T) {
	s := open(t, "")
	ctx := context.Background()
	outcomes := cypher.Outcomes{
		NoRow:    apperr.New(apperr.NotFound, "no such thing"),
		Statuses: map[string]*apperr.Error{"TAKEN": apperr.New(apperr.Conflict, "taken")},
	}
	write := func(status string) (map[string]any, error) {
		return s.Write(ctx, cypher.Write{Outcomes: outcomes, Statement: statement(`CREATE (n:StoreTest {run: $run, k: $status})
			RETURN {status: $status, result: {k: n.k}} AS this`, map[string]any{"status": status})})
	}
	if result, err := write("OK"); err != nil || result["k"] != "OK" {
		t.Errorf("OK: %v, %v", result, err)
	}
	if _, err := write("TAKEN"); apperr.CodeOf(err) != apperr.Conflict || err.Error() != "taken" {
		t.Errorf("a known status: %v", err)
	}
	_, err := write("SURPRISE")
	wantCode(t, "an unknown status", err, apperr.Internal)
	_, err = s.Write(ctx, cypher.Write{Outcomes: outcomes, Statement: statement(`MATCH (n:StoreTest {run: $run, k: 'none'}) RETURN n AS this`, nil)})
	if apperr.CodeOf(err) != apperr.NotFound {
		t.Errorf("no row: %v, want NOT_FOUND", err)
	}
	// Acting for a member who no longer exists, a failed write is UNAUTHENTICATED whatever
	// its status.
	_, err = s.Write(ctx, cypher.Write{Outcomes: outcomes, ViewerID: -42, Statement: statement(`MATCH (n:StoreTest {run: $run, k: 'none'}) RETURN n AS this`, nil)})
	if apperr.CodeOf(err) != apperr.Unauthenticated {
		t.Errorf("a write for a member who is gone: %v, want UNAUTHENTICATED", err)
	}
}

// TestBookmarksFollowWrites: a context made with AfterBookmarks collects the bookmark of
// its latest write, a later write supersedes it, and another store (as another replica
// would) reads after it.
func TestBookmarksFollowWrites(t *testing.T) {
	writer, reader := open(t, ""), open(t, "")
	ctx := store.AfterBookmarks(context.Background(), nil)
	if store.WrittenBookmarks(ctx) != nil {
		t.Fatal("bookmarks before any write")
	}
	if _, err := writer.ReadOne(ctx, statement(`RETURN 1 AS this`, nil)); err != nil || store.WrittenBookmarks(ctx) != nil {
		t.Fatalf("a read left bookmarks %v, %v", store.WrittenBookmarks(ctx), err)
	}
	if _, err := writer.WriteOne(ctx, statement(`CREATE (:StoreTest {run: $run, k: 'bookmarked'}) RETURN 1 AS this`, nil)); err != nil {
		t.Fatal(err)
	}
	first := store.WrittenBookmarks(ctx)
	if len(first) == 0 {
		t.Fatal("a write left no bookmark")
	}
	if _, err := writer.WriteOne(ctx, statement(`CREATE (:StoreTest {run: $run, k: 'bookmarked'}) RETURN 1 AS this`, nil)); err != nil {
		t.Fatal(err)
	}
	second := store.WrittenBookmarks(ctx)
	if len(second) == 0 || strings.Join(second, ",") == strings.Join(first, ",") {
		t.Errorf("the second write's bookmarks %v do not supersede %v", second, first)
	}
	rows, err := reader.ReadAll(store.AfterBookmarks(context.Background(), second),
		statement(`MATCH (n:StoreTest {run: $run, k: 'bookmarked'}) RETURN count(n) AS this`, nil))
	if err != nil || len(rows) != 1 || rows[0] != int64(2) {
		t.Errorf("a read after the bookmarks: %v, %v; want both writes", rows, err)
	}
}

// proxy forwards loopback TCP connections to the test Neo4j, so that a test can cut them
// (as a restarted Neo4j does) or refuse new ones (as a stopped one does), and counts each
// connection's round trips.
type proxy struct {
	t         *testing.T
	target    string
	mu        sync.Mutex
	ln        net.Listener
	conns     []net.Conn
	exchanges []*exchange
	swallow   string // see swallowAnswerTo
}

// exchange counts the round trips of one connection: the times the client sent something
// after the server had answered (messages sent together, as RUN and PULL, are one).
type exchange struct {
	mu       sync.Mutex
	answered bool
	trips    int
	sent     []byte // what the client sent, to tell whose connection it is
}

func (e *exchange) clientSent(b []byte) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.answered || e.trips == 0 {
		e.trips++
	}
	e.answered = false
	e.sent = append(e.sent, b...)
}

func (e *exchange) serverSent() {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.answered = true
}

// roundTrips sums the round trips of the connections whose client sent marker.
func (p *proxy) roundTrips(marker string) int {
	p.mu.Lock()
	defer p.mu.Unlock()
	n := 0
	for _, e := range p.exchanges {
		e.mu.Lock()
		if strings.Contains(string(e.sent), marker) {
			n += e.trips
		}
		e.mu.Unlock()
	}
	return n
}

// swallowAnswerTo makes the proxy drop Neo4j's answer that carries a commit's bookmark on
// the connections whose client sent marker, and cut them: the transaction committed, the
// client never hears of it.
func (p *proxy) swallowAnswerTo(marker string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.swallow = marker
}

// swallows reports whether the server's piece of an answer on e's connection is to be dropped.
func (p *proxy) swallows(e *exchange, piece []byte) bool {
	p.mu.Lock()
	marker := p.swallow
	p.mu.Unlock()
	e.mu.Lock()
	defer e.mu.Unlock()
	return marker != "" && strings.Contains(string(e.sent), marker) && bytes.Contains(piece, []byte("bookmark"))
}

// pump copies src to dst, calling note with each piece before it is passed on; a piece
// note refuses is dropped and both connections are cut.
func pump(dst, src net.Conn, note func([]byte) bool) {
	buf := make([]byte, 32<<10)
	for {
		n, err := src.Read(buf)
		if n > 0 {
			if !note(buf[:n]) {
				src.Close()
				break
			}
			if _, werr := dst.Write(buf[:n]); werr != nil {
				break
			}
		}
		if err != nil {
			break
		}
	}
	dst.Close()
}

func startProxy(t *testing.T) *proxy {
	u, err := url.Parse(neo4jtest.URI())
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &proxy{t: t, target: u.Host}
	p.serve(ln)
	t.Cleanup(p.stop)
	return p
}

// uri is the Bolt URI through the proxy.
func (p *proxy) uri() string { return "bolt://" + p.addr() }

func (p *proxy) addr() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.ln.Addr().String()
}

func (p *proxy) serve(ln net.Listener) {
	p.mu.Lock()
	p.ln = ln
	p.mu.Unlock()
	go func() {
		for {
			client, err := ln.Accept()
			if err != nil {
				return
			}
			server, err := net.DialTimeout("tcp", p.target, 5*time.Second)
			if err != nil {
				client.Close()
				continue
			}
			e := &exchange{}
			p.mu.Lock()
			p.conns = append(p.conns, client, server)
			p.exchanges = append(p.exchanges, e)
			p.mu.Unlock()
			go pump(server, client, func(b []byte) bool { e.clientSent(b); return true })
			go pump(client, server, func(b []byte) bool { e.serverSent(); return !p.swallows(e, b) })
		}
	}()
}

// cut closes every connection made so far; new ones are still accepted.
func (p *proxy) cut() {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, c := range p.conns {
		c.Close()
	}
	p.conns = nil
}

// stop refuses new connections and cuts the others.
func (p *proxy) stop() {
	p.mu.Lock()
	p.ln.Close()
	p.mu.Unlock()
	p.cut()
}

// restart accepts connections again on the same address.
func (p *proxy) restart() {
	ln, err := net.Listen("tcp", p.addr())
	if err != nil {
		p.t.Fatalf("listen again on %s: %v", p.addr(), err)
	}
	p.serve(ln)
}

// databaseUp reads filmgraph_neo4j_up from the metrics, as Prometheus would.
func databaseUp(t *testing.T) float64 {
	rec := httptest.NewRecorder()
	observe.MetricsHandler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/metrics", nil))
	return apitest.Counter(apitest.ParseMetrics(t, rec.Body), "filmgraph_neo4j_up", nil)
}

// TestReadIsOneRoundTrip: a read is one auto-commit statement, its RUN and PULL sent
// together, not a managed transaction's BEGIN, RUN and PULL, then COMMIT, each waiting for
// Neo4j's answer: on a busy machine every round trip is a wait for a thread on both sides.
func TestReadIsOneRoundTrip(t *testing.T) {
	p := startProxy(t)
	s := open(t, p.uri())
	ctx := context.Background()
	read := statement(`RETURN 'one-round-trip' AS this`, nil)
	if _, err := s.ReadOne(ctx, read); err != nil { // opens the pooled connection
		t.Fatal(err)
	}
	before := p.roundTrips("one-round-trip")
	for range 5 {
		if row, err := s.ReadAll(ctx, read); err != nil || len(row) != 1 || row[0] != "one-round-trip" {
			t.Fatalf("read: %v, %v", row, err)
		}
	}
	if n := p.roundTrips("one-round-trip") - before; n != 5 {
		t.Errorf("5 reads took %d round trips, want 5", n)
	}
}

// TestWriteIsOneRoundTrip: a write is one auto-commit statement too, not a managed
// transaction whose COMMIT waits a client round trip more while the statement's locks are
// held (a hot film's ratings queue on them).
func TestWriteIsOneRoundTrip(t *testing.T) {
	p := startProxy(t)
	s := open(t, p.uri())
	ctx := context.Background()
	write := statement(`MERGE (n:StoreTest {run: $run, k: 'write-one-round-trip'}) SET n.at = timestamp() RETURN 1 AS this`, nil)
	if _, err := s.WriteOne(ctx, write); err != nil { // opens the pooled connection
		t.Fatal(err)
	}
	before := p.roundTrips("write-one-round-trip")
	for range 5 {
		if _, err := s.WriteOne(ctx, write); err != nil {
			t.Fatal(err)
		}
	}
	if n := p.roundTrips("write-one-round-trip") - before; n != 5 {
		t.Errorf("5 writes took %d round trips, want 5", n)
	}
}

// TestWriteWhoseAnswerIsLostIsNotRerun: a write that reached Neo4j but whose answer was
// lost with its connection may have committed, so it is not run again (it commits once) and
// fails SERVICE_UNAVAILABLE.
func TestWriteWhoseAnswerIsLostIsNotRerun(t *testing.T) {
	p := startProxy(t)
	s := open(t, p.uri())
	ctx := context.Background()
	if _, err := s.ReadOne(ctx, statement(`RETURN 1 AS this`, nil)); err != nil {
		t.Fatal(err)
	}
	p.swallowAnswerTo("answer-lost")
	_, err := s.WriteOne(ctx, statement(`CREATE (:StoreTest {run: $run, k: 'answer-lost'}) RETURN 1 AS this`, nil))
	wantCode(t, "a write whose answer was lost", err, apperr.ServiceUnavailable)
	if n := count(t, "answer-lost"); n != 1 {
		t.Errorf("the write committed %d times, want once (it ran, and ran only once)", n)
	}
}

// TestLostConnectionsAndOutages: a write on a pooled connection that died while idle (a
// restarted Neo4j) runs on a new one, and commits once, and so does a read; a database that
// refuses connections is SERVICE_UNAVAILABLE at once, counted down, and served again when
// it is back.
func TestLostConnectionsAndOutages(t *testing.T) {
	p := startProxy(t)
	s := open(t, p.uri())
	ctx := context.Background()
	if _, err := s.ReadOne(ctx, statement(`RETURN 1 AS this`, nil)); err != nil {
		t.Fatal(err)
	}
	p.cut()
	// A restart takes longer than IdleCheck, after which a pooled connection is tested
	// before a statement is sent on it.
	time.Sleep(store.IdleCheck + 100*time.Millisecond)
	if _, err := s.WriteOne(ctx, statement(`CREATE (:StoreTest {run: $run, k: 'after-cut'}) RETURN 1 AS this`, nil)); err != nil {
		t.Fatalf("a write on a cut connection: %v, want it run on a new one", err)
	}
	if n := count(t, "after-cut"); n != 1 {
		t.Errorf("the write after the cut committed %d times, want once", n)
	}
	p.cut()
	if row, err := s.ReadOne(ctx, statement(`RETURN {n: 1} AS this`, nil)); err != nil || row["n"] != int64(1) {
		t.Fatalf("a read on a cut connection: %v, %v; want it run again on a new one", row, err)
	}

	p.stop()
	start := time.Now()
	_, err := s.ReadOne(ctx, statement(`RETURN 1 AS this`, nil))
	wantCode(t, "a database that refuses connections", err, apperr.ServiceUnavailable)
	if took := time.Since(start); took > 10*time.Second {
		t.Errorf("SERVICE_UNAVAILABLE after %v, want at once", took)
	}
	t.Logf("refused: SERVICE_UNAVAILABLE after %v", time.Since(start).Round(time.Millisecond))
	if up := databaseUp(t); up != 0 {
		t.Errorf("filmgraph_neo4j_up = %v during the outage", up)
	}

	p.restart()
	deadline := time.Now().Add(30 * time.Second)
	for {
		_, err := s.ReadOne(ctx, statement(`RETURN 1 AS this`, nil))
		if err == nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("still failing 30 s after the database came back: %v", err)
		}
		time.Sleep(200 * time.Millisecond)
	}
	if up := databaseUp(t); up != 1 {
		t.Errorf("filmgraph_neo4j_up = %v after recovery", up)
	}
}
