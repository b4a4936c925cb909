package server

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/coder/websocket/wsjson"

	"filmgraph/events"
	"filmgraph/internal/neo4jtest"
	"filmgraph/observe"
	"filmgraph/store"
)

// Hostile clients of the WebSocket endpoint, and operations sent over a transport that
// cannot carry them. Each test runs its own loopback server with small limits, so the
// limits are reached with a few sockets; every wait is bounded.

// newWSServer serves the API like newTestServer, with change applied to the configuration,
// and with the given http.Server read and write timeouts (0: none).
func newWSServer(t *testing.T, timeouts time.Duration, change func(*config)) *httptest.Server {
	t.Helper()
	cfg := testConfig
	if change != nil {
		change(&cfg)
	}
	srv := httptest.NewUnstartedServer((&server{log: observe.NewLogger(io.Discard, true, 0), db: testStore, cfg: cfg, issuer: testIssuer}).routes())
	srv.Config.ReadTimeout, srv.Config.WriteTimeout = timeouts, timeouts
	srv.Start()
	t.Cleanup(srv.Close)
	return srv
}

// openWS opens a graphql-transport-ws socket to srv without sending anything.
func openWS(t *testing.T, srv *httptest.Server) *wsClient {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	conn, _, err := websocket.Dial(ctx, "ws"+strings.TrimPrefix(srv.URL, "http")+"/graphql",
		&websocket.DialOptions{Subprotocols: []string{"graphql-transport-ws"}})
	if err != nil {
		t.Fatalf("dial: %v", err)
	}
	t.Cleanup(func() { conn.CloseNow() })
	return &wsClient{t: t, conn: conn}
}

// init sends connection_init and returns the server's answer: connection_ack, or the
// error (a websocket.CloseError when the server closed the socket).
func (c *wsClient) init() (wsMessage, error) {
	if err := wsjson.Write(context.Background(), c.conn, wsMessage{Type: "connection_init", Payload: json.RawMessage(`{}`)}); err != nil {
		return wsMessage{}, err
	}
	return c.read(10 * time.Second)
}

// openAcked opens a socket to srv and has it acknowledged.
func openAcked(t *testing.T, srv *httptest.Server) *wsClient {
	t.Helper()
	c := openWS(t, srv)
	if m, err := c.init(); err != nil || m.Type != "connection_ack" {
		t.Fatalf("connection_init: %+v %v", m, err)
	}
	return c
}

// closeStatus reads until the server closes the socket (within 15 s) and returns the close
// error; any other message is a failure.
func (c *wsClient) closeStatus() websocket.CloseError {
	c.t.Helper()
	m, err := c.read(15 * time.Second)
	var ce websocket.CloseError
	if !errors.As(err, &ce) {
		c.t.Fatalf("want the socket closed, got %+v, %v", m, err)
	}
	return ce
}

// ratingQuery subscribes to a film's ratingSummaryChanged.
const ratingQuery = `subscription($m: ID!) { ratingSummaryChanged(movieId: $m) { id } }`

// refused subscribes id to ratingSummaryChanged of movie and expects it refused: a
// result with one error coded code, then complete. It returns the error's message.
func (c *wsClient) refused(id string, movie int, code string) string {
	c.t.Helper()
	c.subscribe(id, ratingQuery, map[string]any{"m": movieID(movie)})
	m, err := c.read(10 * time.Second)
	var r struct{ Errors []struct{ Message string } }
	json.Unmarshal(m.Payload, &r)
	if codes := errorCodes(m); err != nil || m.ID != id || len(codes) != 1 || codes[0] != code {
		c.t.Fatalf("subscription %s: %+v %v, want one %s", id, m, err, code)
	}
	c.next(id, "complete")
	return r.Errors[0].Message
}

// errorCodes returns the extensions.code of a `next` result or an `error` message.
func errorCodes(m wsMessage) []any {
	var errs []struct{ Extensions map[string]any }
	if m.Type == "next" {
		var r struct {
			Errors []struct{ Extensions map[string]any }
		}
		json.Unmarshal(m.Payload, &r)
		errs = r.Errors
	} else {
		json.Unmarshal(m.Payload, &errs)
	}
	var codes []any
	for _, e := range errs {
		codes = append(codes, e.Extensions["code"])
	}
	return codes
}

func TestWSSocketsWithoutConnectionInitAreClosed(t *testing.T) {
	const sockets = 100
	const timeout = time.Second
	srv := newWSServer(t, 0, func(c *config) {
		c.graphql.WebsocketInitTimeout = timeout
		c.graphql.MaxSocketsPerAddress = 2 * sockets
	})
	start := time.Now()
	var wg sync.WaitGroup
	codes := make([]websocket.StatusCode, sockets)
	var last time.Duration
	var mu sync.Mutex
	for i := range sockets {
		c := openWS(t, srv) // sends nothing
		wg.Add(1)
		go func() {
			defer wg.Done()
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			_, _, err := c.conn.Read(ctx)
			codes[i] = websocket.CloseStatus(err)
			mu.Lock()
			last = max(last, time.Since(start))
			mu.Unlock()
		}()
	}
	wg.Wait()
	closed := 0
	for i, code := range codes {
		if code == 4408 {
			closed++
		} else {
			t.Errorf("socket %d: close code %d, want 4408", i, code)
		}
	}
	t.Logf("%d of %d sockets closed with 4408, the last %v after the first was opened (init timeout %v)", closed, sockets, last.Round(time.Millisecond), timeout)

	// connection_init in time is acknowledged, and stays so past the timeout.
	c := openAcked(t, srv)
	time.Sleep(2 * timeout)
	c.subscribe("bad", `subscription { reviewAdded(`, nil)
	if m, err := c.read(10 * time.Second); err != nil || m.Type != "error" {
		t.Fatalf("an initialised socket after the init timeout: %+v %v", m, err)
	}
}

func TestWSSocketCaps(t *testing.T) {
	rater := signUp(t, "ws-cap-rater")
	const movie = 3 // Grumpier Old Men
	srv := newWSServer(t, 0, func(c *config) { c.graphql.MaxSocketsPerAddress = 3 })
	open := []*wsClient{openAcked(t, srv), openAcked(t, srv), openAcked(t, srv)}

	// The fourth socket of this address is closed at once with 1013 RATE_LIMITED.
	over := openWS(t, srv)
	ce := over.closeStatus()
	if ce.Code != 1013 || !strings.HasPrefix(ce.Reason, "RATE_LIMITED") {
		t.Fatalf("fourth socket: %v, want 1013 RATE_LIMITED", ce)
	}

	// The sockets under the cap still work: one gets its event.
	open[0].subscribe("s", `subscription($m: ID!) { ratingSummaryChanged(movieId: $m) { id } }`, map[string]any{"m": movieID(movie)})
	waitSubscribed(t, events.RatingSummaryChanged, int64(movie), 1)
	mustDo(t, rater.Token, `mutation($m: ID!) { rateMovie(movieId: $m, score: 4) { id } }`, map[string]any{"m": movieID(movie)}, 0)
	var got struct {
		Data struct{ RatingSummaryChanged struct{ ID string } }
	}
	json.Unmarshal(open[0].next("s", "next"), &got)
	if got.Data.RatingSummaryChanged.ID != movieID(movie) {
		t.Fatalf("event %+v", got)
	}

	// A closed socket gives its place back.
	open[1].conn.Close(websocket.StatusNormalClosure, "")
	deadline := time.Now().Add(10 * time.Second)
	for {
		c := openWS(t, srv)
		m, err := c.init()
		if err == nil && m.Type == "connection_ack" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no place after a socket closed: %+v %v", m, err)
		}
		time.Sleep(50 * time.Millisecond)
	}

	// The cap in all, whatever the address.
	all := newWSServer(t, 0, func(c *config) { c.graphql.MaxSockets, c.graphql.MaxSocketsPerAddress = 2, 10 })
	openAcked(t, all)
	openAcked(t, all)
	if ce := openWS(t, all).closeStatus(); ce.Code != 1013 || !strings.HasPrefix(ce.Reason, "RATE_LIMITED") || !strings.Contains(ce.Reason, "server") {
		t.Fatalf("third socket of a server capped at 2: %v", ce)
	}
}

func TestWSSubscriptionCaps(t *testing.T) {
	rater := signUp(t, "ws-sub-rater")
	const movie = 4 // Waiting to Exhale
	srv := newWSServer(t, 0, func(c *config) { c.graphql.MaxSubscriptionsPerAddress = 2 })
	a, b := openAcked(t, srv), openAcked(t, srv)
	a.subscribe("a1", ratingQuery, map[string]any{"m": movieID(movie)})
	b.subscribe("b1", ratingQuery, map[string]any{"m": movieID(movie)})
	waitSubscribed(t, events.RatingSummaryChanged, int64(movie), 2)

	// The address's third subscription, on either socket, is refused with RATE_LIMITED.
	a.refused("a2", movie, "RATE_LIMITED")
	b.refused("b2", movie, "RATE_LIMITED")

	// The two under the cap get their events.
	mustDo(t, rater.Token, `mutation($m: ID!) { rateMovie(movieId: $m, score: 2) { id } }`, map[string]any{"m": movieID(movie)}, 0)
	a.next("a1", "next")
	b.next("b1", "next")

	// A completed subscription gives its place back (once the server has ended it).
	wsjson.Write(context.Background(), b.conn, wsMessage{ID: "b1", Type: "complete"})
	deadline := time.Now().Add(10 * time.Second)
	for i := 3; ; i++ {
		id := fmt.Sprint("b", i)
		b.subscribe(id, ratingQuery, map[string]any{"m": movieID(movie)})
		registered := time.Now().Add(time.Second)
		for liveEvents.Subscribers(events.RatingSummaryChanged, int64(movie)) < 2 && time.Now().Before(registered) {
			time.Sleep(10 * time.Millisecond)
		}
		if liveEvents.Subscribers(events.RatingSummaryChanged, int64(movie)) == 2 {
			break
		}
		if m, err := b.read(10 * time.Second); err != nil || fmt.Sprint(errorCodes(m)) != "[RATE_LIMITED]" || time.Now().After(deadline) {
			t.Fatalf("no place after a subscription completed: %+v %v", m, err)
		}
		b.next(id, "complete")
	}

	// The cap in all.
	all := newWSServer(t, 0, func(c *config) { c.graphql.MaxSubscriptions = 1 })
	c := openAcked(t, all)
	const other = 5 // Father of the Bride Part II
	c.subscribe("one", ratingQuery, map[string]any{"m": movieID(other)})
	waitSubscribed(t, events.RatingSummaryChanged, int64(other), 1)
	if msg := c.refused("two", other, "RATE_LIMITED"); !strings.Contains(msg, "server") {
		t.Fatalf("second subscription of a server capped at 1: %q", msg)
	}
}

func TestWSServerPingsAndDropsSilentPeers(t *testing.T) {
	const interval = 300 * time.Millisecond
	// The http.Server's request timeouts are shorter than the test: a socket outlives them.
	srv := newWSServer(t, time.Second, func(c *config) {
		c.graphql.WebsocketPingInterval = interval
		c.graphql.MaxSocketsPerAddress = 1
	})

	// A peer that answers is pinged and kept, well past the request timeouts.
	c := openAcked(t, srv)
	start := time.Now()
	for pings := 0; pings < 8; {
		var m wsMessage
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		err := wsjson.Read(ctx, c.conn, &m)
		cancel()
		if err != nil {
			t.Fatalf("the answering peer was disconnected after %d pings: %v", pings, err)
		}
		if m.Type == "ping" {
			pings++
			wsjson.Write(context.Background(), c.conn, wsMessage{Type: "pong"})
		}
	}
	t.Logf("8 pings in %v at an interval of %v", time.Since(start).Round(time.Millisecond), interval)
	c.subscribe("bad", `subscription { reviewAdded(`, nil)
	if m, err := c.read(10 * time.Second); err != nil || m.Type != "error" {
		t.Fatalf("the kept socket does not answer: %+v %v", m, err)
	}
	c.conn.Close(websocket.StatusNormalClosure, "")

	// A peer that never answers a ping is disconnected, and its place given back.
	silent := openWS(t, srv)
	deadline := time.Now().Add(10 * time.Second)
	for {
		if m, err := silent.init(); err == nil && m.Type == "connection_ack" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the closed socket's place was not given back")
		}
		silent = openWS(t, srv)
	}
	start = time.Now()
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	for {
		if _, _, err := silent.conn.Read(ctx); err != nil {
			if ctx.Err() != nil {
				t.Fatal("a silent peer is still connected after 15 s")
			}
			break
		}
	}
	t.Logf("a silent peer was disconnected %v after its ack (interval %v)", time.Since(start).Round(time.Millisecond), interval)
	deadline = time.Now().Add(10 * time.Second)
	for {
		m, err := openWS(t, srv).init()
		if err == nil && m.Type == "connection_ack" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the silent peer's place was not given back: %+v %v", m, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// httpDo sends a request to testServer's /graphql and decodes the answer, which must be
// a JSON GraphQL response, within 30 s.
func httpDo(t *testing.T, method, rawQuery, contentType, body string) (int, gqlResponse, http.Header, time.Duration) {
	t.Helper()
	req, _ := http.NewRequest(method, testServer.URL+"/graphql?"+rawQuery, strings.NewReader(body))
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	start := time.Now()
	resp, err := (&http.Client{Timeout: 30 * time.Second}).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	var out gqlResponse
	if err := json.Unmarshal(data, &out); err != nil {
		t.Fatalf("%s: status %d, not JSON: %s", method, resp.StatusCode, data)
	}
	return resp.StatusCode, out, resp.Header, time.Since(start)
}

func TestOperationsOverTheWrongTransportAreCoded(t *testing.T) {
	subscription := `subscription { ratingSummaryChanged(movieId: "` + movieID(1) + `") { id } }`
	postBody, _ := json.Marshal(map[string]any{"query": subscription})
	get := func(query, variables string) string {
		v := url.Values{"query": {query}}
		if variables != "" {
			v.Set("variables", variables)
		}
		return v.Encode()
	}
	cases := []struct {
		name, method, rawQuery, contentType, body string
		status                                    int
		code, allow                               string
	}{
		{"subscription over POST", "POST", "", "application/json", string(postBody), 400, "UNSUPPORTED_TRANSPORT", ""},
		{"subscription over GET", "GET", get(subscription, ""), "", "", 400, "UNSUPPORTED_TRANSPORT", ""},
		{"mutation over GET", "GET", get(`mutation { clearRating(movieId: "`+movieID(1)+`") { id } }`, ""), "", "", 405, "UNSUPPORTED_TRANSPORT", "POST"},
		{"GET with variables that are not JSON", "GET", get(`{ __typename }`, "{nope"), "", "", 400, "BAD_REQUEST", ""},
		{"POST of text/plain", "POST", "", "text/plain", `{"query":"{ __typename }"}`, 415, "BAD_REQUEST", ""},
		{"POST without a content type", "POST", "", "", `{"query":"{ __typename }"}`, 415, "BAD_REQUEST", ""},
		{"POST of a form", "POST", "", "application/x-www-form-urlencoded", "query=%7B__typename%7D", 415, "BAD_REQUEST", ""},
		{"PUT", "PUT", "", "application/json", `{"query":"{ __typename }"}`, 405, "BAD_REQUEST", "GET, POST, OPTIONS"},
		{"DELETE", "DELETE", "", "", "", 405, "BAD_REQUEST", "GET, POST, OPTIONS"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			before := testStore.RoundTrips()
			status, resp, header, took := httpDo(t, tc.method, tc.rawQuery, tc.contentType, tc.body)
			if status != tc.status || len(resp.Errors) != 1 || resp.codes()[0] != tc.code || len(resp.Data) != 0 && string(resp.Data) != "null" {
				t.Errorf("status %d, data %s, errors %+v; want %d and one %s", status, resp.Data, resp.Errors, tc.status, tc.code)
			}
			if header.Get("Allow") != tc.allow {
				t.Errorf("Allow %q, want %q", header.Get("Allow"), tc.allow)
			}
			if took > 5*time.Second {
				t.Errorf("answered after %v", took)
			}
			if trips := testStore.RoundTrips() - before; trips != 0 {
				t.Errorf("the refused request ran %d statements", trips)
			}
			t.Logf("%d %s in %v: %s", status, resp.codes()[0], took.Round(time.Microsecond), resp.Errors[0].Message)
		})
	}

	// An upgrade to anything but a WebSocket (curl --http2 sends h2c) is answered over HTTP.
	req, _ := http.NewRequest("POST", testServer.URL+"/graphql", strings.NewReader(`{"query":"{ __typename }"}`))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Connection", "Upgrade, HTTP2-Settings")
	req.Header.Set("Upgrade", "h2c")
	req.Header.Set("HTTP2-Settings", "AAMAAABkAARAAAAAAAIAAAAA")
	resp, err := (&http.Client{Timeout: 30 * time.Second}).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || string(body) != `{"data":{"__typename":"Query"}}` {
		t.Errorf("POST with Upgrade: h2c: %d %s", resp.StatusCode, body)
	}

	// The same subscription over WebSocket is served.
	c := connect(t, "")
	c.subscribe("s", subscription, nil)
	waitSubscribed(t, events.RatingSummaryChanged, int64(1), 1)
}

func TestWebSocketSettingsAreRead(t *testing.T) {
	for name, value := range map[string]string{
		"FILMGRAPH_WS_INIT_TIMEOUT": "3s", "FILMGRAPH_WS_PING_INTERVAL": "7s",
		"FILMGRAPH_WS_MAX_SOCKETS": "11", "FILMGRAPH_WS_MAX_SOCKETS_PER_ADDRESS": "12",
		"FILMGRAPH_WS_MAX_SUBSCRIPTIONS": "13", "FILMGRAPH_WS_MAX_SUBSCRIPTIONS_PER_ADDRESS": "14",
	} {
		t.Setenv(name, value)
	}
	cfg, err := loadConfig()
	if err != nil {
		t.Fatal(err)
	}
	g := cfg.graphql
	if g.WebsocketInitTimeout != 3*time.Second || g.WebsocketPingInterval != 7*time.Second || g.MaxSockets != 11 ||
		g.MaxSocketsPerAddress != 12 || g.MaxSubscriptions != 13 || g.MaxSubscriptionsPerAddress != 14 {
		t.Fatalf("read %+v", g)
	}
	for name, bad := range map[string]string{"FILMGRAPH_WS_MAX_SOCKETS_PER_ADDRESS": "0", "FILMGRAPH_WS_INIT_TIMEOUT": "-1s"} {
		t.Setenv(name, bad)
		if _, err := loadConfig(); err == nil || !strings.Contains(err.Error(), name) {
			t.Errorf("%s=%s: %v, want an error naming it", name, bad, err)
		}
		t.Setenv(name, "1")
		if name == "FILMGRAPH_WS_INIT_TIMEOUT" {
			t.Setenv(name, "1s")
		}
	}
}

func TestWSSubscriberWhoseEventReadFailsIsTold(t *testing.T) {
	rater := signUp(t, "ws-fail-rater")
	const movie = 6 // Heat
	// A server over its own store, closed once the subscription runs: its event reads fail.
	db, err := store.Open(context.Background(), store.Config{
		URI: neo4jtest.URI(), Username: neo4jtest.Username(), Password: neo4jtest.Password(), Database: neo4jtest.Database(),
	}, 10*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	logs := &syncBuffer{}
	srv := httptest.NewServer((&server{log: observe.NewLogger(logs, true, 0), db: db, cfg: testConfig, issuer: testIssuer}).routes())
	t.Cleanup(srv.Close)
	c := openAcked(t, srv)
	c.subscribe("s", ratingQuery, map[string]any{"m": movieID(movie)})
	waitSubscribed(t, events.RatingSummaryChanged, int64(movie), 1)
	db.Close(context.Background())

	mustDo(t, rater.Token, `mutation($m: ID!) { rateMovie(movieId: $m, score: 5) { id } }`, map[string]any{"m": movieID(movie)}, 0)
	m, err := c.read(10 * time.Second)
	codes := errorCodes(m)
	if err != nil || m.ID != "s" || m.Type != "error" || len(codes) != 1 || codes[0] == nil || codes[0] == "" {
		t.Fatalf("after a failed event read: %+v %v, codes %v; want an error message with a code", m, err, codes)
	}
	t.Logf("the subscriber got %s %v", m.Type, codes)
	if !strings.Contains(logs.String(), `"path":"ratingSummaryChanged"`) {
		t.Errorf("the failed read was not logged: %s", logs)
	}
	deadline := time.Now().Add(5 * time.Second)
	for liveEvents.Subscribers(events.RatingSummaryChanged, int64(movie)) != 0 {
		if time.Now().After(deadline) {
			t.Fatal("the failed subscription is still registered")
		}
		time.Sleep(10 * time.Millisecond)
	}
}
