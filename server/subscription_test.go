package server

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/coder/websocket/wsjson"

	"filmgraph/events"
	"filmgraph/relay"
)

// These tests speak graphql-transport-ws (the protocol of the `graphql-ws` client) to the
// real server over a real WebSocket, trigger mutations over HTTP and check the events.

// wsMessage is one graphql-transport-ws message.
type wsMessage struct {
	ID      string          `json:"id,omitempty"`
	Type    string          `json:"type"`
	Payload json.RawMessage `json:"payload,omitempty"`
}

type wsClient struct {
	t    *testing.T
	conn *websocket.Conn
}

// dialWS connects and sends connection_init with payload; it returns the client and the
// server's first answer (connection_ack, or the error that closed the connection).
func dialWS(t *testing.T, payload map[string]any) (*wsClient, wsMessage, error) {
	t.Helper()
	return dialWSAt(t, testServer.URL, payload)
}

// dialWSAt is dialWS to the server at baseURL (http://host:port).
func dialWSAt(t *testing.T, baseURL string, payload map[string]any) (*wsClient, wsMessage, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	url := "ws" + strings.TrimPrefix(baseURL, "http") + "/graphql"
	conn, _, err := websocket.Dial(ctx, url, &websocket.DialOptions{Subprotocols: []string{"graphql-transport-ws"}})
	if err != nil {
		t.Fatalf("dial %s: %v", url, err)
	}
	if conn.Subprotocol() != "graphql-transport-ws" {
		t.Fatalf("server chose subprotocol %q", conn.Subprotocol())
	}
	t.Cleanup(func() { conn.CloseNow() })
	c := &wsClient{t: t, conn: conn}
	p, _ := json.Marshal(payload)
	if err := wsjson.Write(ctx, conn, wsMessage{Type: "connection_init", Payload: p}); err != nil {
		t.Fatal(err)
	}
	m, err := c.read(5 * time.Second)
	return c, m, err
}

func (c *wsClient) read(within time.Duration) (wsMessage, error) {
	ctx, cancel := context.WithTimeout(context.Background(), within)
	defer cancel()
	for {
		var m wsMessage
		if err := wsjson.Read(ctx, c.conn, &m); err != nil {
			return m, err
		}
		if m.Type == "ping" {
			wsjson.Write(ctx, c.conn, wsMessage{Type: "pong"})
			continue
		}
		return m, nil
	}
}

func (c *wsClient) subscribe(id, query string, variables map[string]any) {
	c.t.Helper()
	p, _ := json.Marshal(map[string]any{"query": query, "variables": variables})
	if err := wsjson.Write(context.Background(), c.conn, wsMessage{ID: id, Type: "subscribe", Payload: p}); err != nil {
		c.t.Fatal(err)
	}
}

// next reads the next message of subscription id, which must be of type want.
func (c *wsClient) next(id, want string) json.RawMessage {
	c.t.Helper()
	m, err := c.read(10 * time.Second)
	if err != nil {
		c.t.Fatalf("waiting for %s of %s: %v", want, id, err)
	}
	if m.ID != id || m.Type != want {
		c.t.Fatalf("got %s %s %s, want %s of %s", m.Type, m.ID, m.Payload, want, id)
	}
	return m.Payload
}

// connect opens an acknowledged connection, as the member with token when not "".
func connect(t *testing.T, token string) *wsClient {
	t.Helper()
	payload := map[string]any{}
	if token != "" {
		payload["Authorization"] = "Bearer " + token
	}
	c, m, err := dialWS(t, payload)
	if err != nil || m.Type != "connection_ack" {
		t.Fatalf("connection_init: %v %+v", err, m)
	}
	return c
}

// waitSubscribed waits until the server registered n subscribers to (topic, scope), so
// the mutation that follows cannot race the subscription.
func waitSubscribed(t *testing.T, topic string, scope any, n int) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for liveEvents.Subscribers(topic, scope) < n {
		if time.Now().After(deadline) {
			t.Fatalf("no subscriber to %s %v", topic, scope)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func TestSubscriptionReviewAndCommentAdded(t *testing.T) {
	reader, writer := signUp(t, "live-reader"), signUp(t, "live-writer")
	const movie = 2571 // The Matrix
	c := connect(t, reader.Token)
	c.subscribe("r", `subscription($m: ID!) { reviewAdded(movieId: $m) { id text score author { username } movie { title } } }`,
		map[string]any{"m": movieID(movie)})
	waitSubscribed(t, events.ReviewAdded, int64(movie), 1)

	data := mustDo(t, writer.Token, `mutation($m: ID!) { writeReview(movieId: $m, text: "Live!", score: 9) { id } }`,
		map[string]any{"m": movieID(movie)}, 0)
	reviewID := at(data, "writeReview.id").(string)

	var got struct {
		Data struct {
			ReviewAdded struct {
				ID, Text string
				Score    int
				Author   struct{ Username string }
				Movie    struct{ Title string }
			}
		}
	}
	json.Unmarshal(c.next("r", "next"), &got)
	r := got.Data.ReviewAdded
	// Expected values from the graph itself.
	rows := cypherRows(t, `MATCH (u:User)-[:WROTE]->(r:Review {reviewId: $k})-[:ABOUT]->(m:Movie) RETURN u.username AS u, r.text AS text, r.score AS score, m.title AS title`,
		map[string]any{"k": mustKey(reviewID)})
	if len(rows) != 1 || r.ID != reviewID || r.Text != rows[0]["text"] || int64(r.Score) != rows[0]["score"] || r.Author.Username != rows[0]["u"] || r.Movie.Title != rows[0]["title"] || r.Author.Username != writer.Username {
		t.Fatalf("event %+v, graph %v", r, rows)
	}

	// commentAdded on that review, on a second subscription of an anonymous connection.
	anon := connect(t, "")
	anon.subscribe("c", `subscription($r: ID!) { commentAdded(reviewId: $r) { text author { username } review { id } } }`, map[string]any{"r": reviewID})
	waitSubscribed(t, events.CommentAdded, mustKey(reviewID), 1)
	mustDo(t, reader.Token, `mutation($r: ID!) { addComment(reviewId: $r, text: "Agreed.") { id } }`, map[string]any{"r": reviewID}, 0)
	payload := string(anon.next("c", "next"))
	want := fmt.Sprintf(`{"data":{"commentAdded":{"text":"Agreed.","author":{"username":%q},"review":{"id":%q}}}}`, reader.Username, reviewID)
	if payload != want {
		t.Fatalf("commentAdded: %s, want %s", payload, want)
	}

	// complete ends the subscription on the server.
	wsjson.Write(context.Background(), c.conn, wsMessage{ID: "r", Type: "complete"})
	deadline := time.Now().Add(5 * time.Second)
	for liveEvents.Subscribers(events.ReviewAdded, int64(movie)) != 0 {
		if time.Now().After(deadline) {
			t.Fatal("the completed subscription is still registered")
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func TestSubscriptionRatingSummaryChanged(t *testing.T) {
	rater := signUp(t, "live-rater")
	const movie = 1 // Toy Story
	c := connect(t, "")
	c.subscribe("s", `subscription($m: ID!) { ratingSummaryChanged(movieId: $m) { id ratingSummary { count average } } }`, map[string]any{"m": movieID(movie)})
	waitSubscribed(t, events.RatingSummaryChanged, int64(movie), 1)

	for _, step := range []string{
		`mutation($m: ID!) { rateMovie(movieId: $m, score: 3) { id } }`,
		`mutation($m: ID!) { clearRating(movieId: $m) { id } }`,
	} {
		mustDo(t, rater.Token, step, map[string]any{"m": movieID(movie)}, 0)
		var got struct {
			Data struct {
				RatingSummaryChanged struct {
					ID            string
					RatingSummary struct {
						Count   int64
						Average float64
					}
				}
			}
		}
		json.Unmarshal(c.next("s", "next"), &got)
		rows := cypherRows(t, `MATCH (:User)-[r:RATED]->(:Movie {movieId: $m}) RETURN count(r) AS n`, map[string]any{"m": movie})
		if s := got.Data.RatingSummaryChanged; s.ID != movieID(movie) || s.RatingSummary.Count != rows[0]["n"].(int64) {
			t.Fatalf("after %q: event %+v, graph has %v ratings", step, s, rows[0]["n"])
		}
	}
}

func TestSubscriptionErrorsAreCoded(t *testing.T) {
	// A bad token in connection_init closes the connection: 4403, reason UNAUTHENTICATED.
	for _, payload := range []map[string]any{
		{"Authorization": "Bearer not-a-token"},
		{"Authorization": "Basic dXNlcjpwYXNz"},
	} {
		_, m, err := dialWS(t, payload)
		if err == nil {
			// gqlgen may send a connection_error first; the close must follow.
			t.Logf("first message: %+v", m)
			_, _, err = dialWS(t, payload)
		}
		var ce websocket.CloseError
		if !errors.As(err, &ce) || ce.Code != 4403 || !strings.HasPrefix(ce.Reason, "UNAUTHENTICATED") {
			t.Errorf("payload %v: got %v, want close 4403 UNAUTHENTICATED", payload, err)
		}
	}

	c := connect(t, "")
	for i, tc := range []struct{ query, code string }{
		{`subscription { reviewAdded(movieId: "not-an-id") { id } }`, "BAD_USER_INPUT"},
		{`subscription { commentAdded(reviewId: "` + relay.ID("Movie", "1") + `") { id } }`, "BAD_USER_INPUT"},
		{`subscription { reviewAdded(movieId: "x") { nope } }`, "GRAPHQL_VALIDATION_FAILED"},
		{`subscription { reviewAdded(`, "GRAPHQL_PARSE_FAILED"},
	} {
		// Errors of the resolver come in a `next` result followed by `complete`; parse and
		// validation errors as an `error` message. All carry extensions.code.
		id := fmt.Sprint("bad", i)
		c.subscribe(id, tc.query, nil)
		var codes []any
		for done := false; !done; {
			m, err := c.read(5 * time.Second)
			if err != nil {
				t.Fatalf("%s: %v", tc.query, err)
			}
			if m.ID != id {
				continue // the `complete` gqlgen sends after an earlier case's `error`
			}
			var errs []struct{ Extensions map[string]any }
			switch m.Type {
			case "next":
				var r struct {
					Errors []struct{ Extensions map[string]any }
				}
				json.Unmarshal(m.Payload, &r)
				errs = r.Errors
			case "error":
				json.Unmarshal(m.Payload, &errs)
				done = true
			case "complete":
				done = true
			}
			for _, e := range errs {
				codes = append(codes, e.Extensions["code"])
			}
		}
		if len(codes) != 1 || codes[0] != tc.code {
			t.Errorf("%s: got codes %v, want %s", tc.query, codes, tc.code)
		}
	}
}
