package server

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/coder/websocket/wsjson"

	"filmgraph/observe"
)

// These tests read @defer's incremental delivery (multipart/mixed) from the real server as
// a client does, part by part.

// deferredPage asks for the film page with its recommendations deferred.
const deferredPage = `query($id: ID!) {
  movie(id: $id) {
    id title year
    ... @defer(label: "picks") {
      recommended(first: 6) { edges { node { score movie { id title } } } }
    }
  }
}`

// multipartPart is one part of an incremental delivery in the 2022-08-24 format.
type multipartPart struct {
	Data        json.RawMessage `json:"data"`
	HasNext     bool            `json:"hasNext"`
	Incremental []struct {
		Data  json.RawMessage `json:"data"`
		Label string          `json:"label"`
		Path  []any           `json:"path"`
	} `json:"incremental"`
	Errors []struct {
		Message    string         `json:"message"`
		Extensions map[string]any `json:"extensions"`
	} `json:"errors"`
}

// postMultipart posts query with `Accept: multipart/mixed` and returns the response's
// status, content type and parts, in the order they arrived, and the statements run.
func postMultipart(t *testing.T, query string, variables map[string]any) (int, string, []multipartPart, int64) {
	t.Helper()
	body, _ := json.Marshal(map[string]any{"query": query, "variables": variables})
	req, _ := http.NewRequest(http.MethodPost, testServer.URL+"/graphql", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "multipart/mixed;deferSpec=20220824, application/json")
	before := testStore.RoundTrips()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	contentType := resp.Header.Get("Content-Type")
	mediaType, params, _ := mime.ParseMediaType(contentType)
	if mediaType != "multipart/mixed" {
		raw, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, contentType, []multipartPart{decodePart(t, raw)}, testStore.RoundTrips() - before
	}
	var parts []multipartPart
	reader := multipart.NewReader(resp.Body, params["boundary"])
	for {
		p, err := reader.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("reading part %d: %v", len(parts)+1, err)
		}
		raw, _ := io.ReadAll(p)
		parts = append(parts, decodePart(t, raw))
	}
	return resp.StatusCode, contentType, parts, testStore.RoundTrips() - before
}

func decodePart(t *testing.T, raw []byte) multipartPart {
	t.Helper()
	var part multipartPart
	if err := json.Unmarshal(raw, &part); err != nil {
		t.Fatalf("part is not JSON: %v: %s", err, raw)
	}
	return part
}

// TestDeferOverMultipart: the film page arrives in the first part, its recommendations in
// a later one, equal to what the same selection answers without @defer, for the one
// statement the undeferred query costs.
func TestDeferOverMultipart(t *testing.T) {
	id := movieID(referenceMovieLensID)
	var plain struct {
		Movie struct {
			Title       string
			Recommended json.RawMessage
		}
	}
	mustQuery(t, strings.Replace(deferredPage, `... @defer(label: "picks")`, "...", 1), map[string]any{"id": id}, &plain)
	title := cypherRows(t, "MATCH (m:Movie {movieId: $id}) RETURN m.title AS title", map[string]any{"id": referenceMovieLensID})[0]["title"]

	status, contentType, parts, trips := postMultipart(t, deferredPage, map[string]any{"id": id})
	if status != http.StatusOK || !strings.HasPrefix(contentType, "multipart/mixed") {
		t.Fatalf("status %d, Content-Type %q, parts %+v", status, contentType, parts)
	}
	if len(parts) < 2 {
		t.Fatalf("%d parts, want the page then the deferred recommendations: %+v", len(parts), parts)
	}
	var first struct{ Movie map[string]any }
	if err := json.Unmarshal(parts[0].Data, &first); err != nil {
		t.Fatal(err)
	}
	if first.Movie["title"] != title || !parts[0].HasNext {
		t.Errorf("first part: title %v (want %v), hasNext %v", first.Movie["title"], title, parts[0].HasNext)
	}
	// gqlgen marks a deferred field's place in the initial part with null (README, @defer).
	if early := first.Movie["recommended"]; early != nil {
		t.Errorf("the first part already holds the deferred recommendations: %v", early)
	}
	last := parts[len(parts)-1]
	if last.HasNext || len(last.Incremental) != 1 {
		t.Fatalf("last part: hasNext %v, %d incremental results, want false and 1: %+v", last.HasNext, len(last.Incremental), last)
	}
	inc := last.Incremental[0]
	var deferred struct{ Recommended json.RawMessage }
	if err := json.Unmarshal(inc.Data, &deferred); err != nil {
		t.Fatal(err)
	}
	if inc.Label != "picks" || !reflect.DeepEqual(inc.Path, []any{"movie"}) {
		t.Errorf("deferred part: label %q, path %v", inc.Label, inc.Path)
	}
	if !jsonEqual(t, deferred.Recommended, plain.Movie.Recommended) || !bytes.Contains(deferred.Recommended, []byte(`"score"`)) {
		t.Errorf("deferred recommendations %s\ndiffer from the undeferred %s", deferred.Recommended, plain.Movie.Recommended)
	}
	if trips != 1 {
		t.Errorf("the deferred page cost %d statements, want 1 (the deferred fields are read with the page)", trips)
	}
}

// TestDeferRefusals: @defer over a transport that answers one JSON body, a subscription
// over multipart/mixed and a body that is no GraphQL request are coded 400s, run nothing,
// and log no body.
func TestDeferRefusals(t *testing.T) {
	id := movieID(referenceMovieLensID)
	status, resp, trips := post(t, deferredPage, map[string]any{"id": id})
	if status != http.StatusBadRequest || !slices.Equal(resp.codes(), []string{"UNSUPPORTED_TRANSPORT"}) || trips != 0 {
		t.Errorf("@defer over plain POST: status %d, codes %v, %d statements; want 400 UNSUPPORTED_TRANSPORT, none", status, resp.codes(), trips)
	}
	// @defer(if: false) defers nothing: any transport serves it.
	status, resp, _ = post(t, strings.Replace(deferredPage, `label: "picks"`, `label: "picks", if: false`, 1), map[string]any{"id": id})
	if status != http.StatusOK || len(resp.Errors) != 0 {
		t.Errorf("@defer(if: false) over plain POST: status %d, errors %+v", status, resp.Errors)
	}

	status, _, parts, trips := postMultipart(t, `subscription { ratingSummaryChanged(movieId: "TW92aWU6ODA5Njk") { id } }`, nil)
	if status != http.StatusBadRequest || len(parts) != 1 || len(parts[0].Errors) != 1 || parts[0].Errors[0].Extensions["code"] != "UNSUPPORTED_TRANSPORT" || trips != 0 {
		t.Errorf("subscription over multipart/mixed: status %d, parts %+v, %d statements", status, parts, trips)
	}

	for _, body := range []string{`{"query": `, `["not", "a", "request"]`} {
		req, _ := http.NewRequest(http.MethodPost, testServer.URL+"/graphql", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Accept", "multipart/mixed")
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		raw, _ := io.ReadAll(res.Body)
		res.Body.Close()
		part := decodePart(t, raw)
		if res.StatusCode != http.StatusBadRequest || len(part.Errors) != 1 || part.Errors[0].Extensions["code"] != "BAD_REQUEST" {
			t.Errorf("body %s over multipart/mixed: status %d, %s", body, res.StatusCode, raw)
		}
	}
}

func jsonEqual(t *testing.T, a, b json.RawMessage) bool {
	t.Helper()
	var x, y any
	if json.Unmarshal(a, &x) != nil || json.Unmarshal(b, &y) != nil {
		return false
	}
	return reflect.DeepEqual(x, y)
}

// TestDeferWithRealClients: Apollo Client (Defer20220824Handler) and urql, set up as the
// README shows, first show the film page without its recommendations, then with them, equal
// to the server's undeferred answer (defer.mjs).
func TestDeferWithRealClients(t *testing.T) {
	var plain struct {
		Movie struct {
			Title       string
			Recommended struct {
				Edges []struct {
					Node struct{ Movie struct{ ID string } }
				}
			}
		}
	}
	mustQuery(t, strings.Replace(deferredPage, `... @defer(label: "picks")`, "...", 1), map[string]any{"id": movieID(referenceMovieLensID)}, &plain)
	var want []string
	for _, e := range plain.Movie.Recommended.Edges {
		want = append(want, e.Node.Movie.ID)
	}
	type shown struct {
		Title       *string
		Recommended []string
		State       string
	}
	var result struct {
		Apollo, Urql []shown
		Problems     []string
	}
	runNode(t, "defer.mjs", &result)
	for _, p := range result.Problems {
		t.Error(p)
	}
	for client, seen := range map[string][]shown{"apollo": result.Apollo, "urql": result.Urql} {
		t.Logf("%s showed %+v", client, seen)
		if len(seen) < 2 {
			t.Errorf("%s showed %d states, want the page, then the page with its recommendations", client, len(seen))
			continue
		}
		first, last := seen[0], seen[len(seen)-1]
		if first.Title == nil || *first.Title != plain.Movie.Title || first.Recommended != nil {
			t.Errorf("%s first showed %+v, want the title %q without recommendations", client, first, plain.Movie.Title)
		}
		if !slices.Equal(last.Recommended, want) || last.State != "complete" || len(want) == 0 {
			t.Errorf("%s last showed %+v, want the recommendations %v, complete", client, last, want)
		}
	}
}

// TestSubscriptionsOverSSE runs the real graphql-sse client (sse.mjs) against the server: a
// subscription hears a rating, as the server then reports it; a bad id, an invalid operation
// and a query get the same results and codes as over WebSocket.
func TestSubscriptionsOverSSE(t *testing.T) {
	member := signUp(t, "sse")
	var result struct {
		Event, Server struct {
			ID            string
			RatingSummary struct{ Count int }
		}
		BadID, Invalid struct {
			Codes     []string
			Completed bool
		}
		Query struct {
			Title     string
			Results   int
			Completed bool
		}
		Problems []string
	}
	runNode(t, "sse.mjs", &result, "MEMBER_TOKEN="+member.Token)
	for _, p := range result.Problems {
		t.Error(p)
	}
	if result.Event.ID == "" || result.Event != result.Server {
		t.Errorf("event %+v, server %+v: want the film's summary as the server answers it", result.Event, result.Server)
	}
	if !slices.Equal(result.BadID.Codes, []string{"BAD_USER_INPUT"}) || !result.BadID.Completed {
		t.Errorf("bad id: %+v, want one BAD_USER_INPUT result, then complete", result.BadID)
	}
	if !slices.Equal(result.Invalid.Codes, []string{"GRAPHQL_VALIDATION_FAILED"}) || !result.Invalid.Completed {
		t.Errorf("invalid operation: %+v, want one GRAPHQL_VALIDATION_FAILED result, then complete", result.Invalid)
	}
	title := cypherRows(t, "MATCH (m:Movie {movieId: 2572}) RETURN m.title AS title", nil)[0]["title"]
	if result.Query.Title != title || result.Query.Results != 1 || !result.Query.Completed {
		t.Errorf("query over SSE: %+v, want one result with the title %v, then complete", result.Query, title)
	}
}

// TestSSECaps: streams hold the WebSockets' places per address and in all, and their
// subscriptions the subscriptions' places, as the graphql-sse client sees it (sse.mjs) and
// together with WebSockets.
func TestSSECaps(t *testing.T) {
	oneStream, _ := newTestServer(t, func(c *config) { c.graphql.MaxSocketsPerAddress = 1 })
	var streams struct {
		Refused struct {
			Error   struct{ Status int }
			Results int
		}
		RefusedBody struct {
			Status     int
			RetryAfter string
			Codes      []string
		}
		Problems []string
	}
	runNode(t, "sse.mjs", &streams, "FILMGRAPH_URL="+oneStream.URL, "MODE=streams")
	for _, p := range streams.Problems {
		t.Error(p)
	}
	if streams.Refused.Error.Status != http.StatusTooManyRequests || streams.Refused.Results != 0 {
		t.Errorf("a second stream from one address: %+v, want the client's error with status 429", streams.Refused)
	}
	if b := streams.RefusedBody; b.Status != http.StatusTooManyRequests || b.RetryAfter == "" || !slices.Equal(b.Codes, []string{"RATE_LIMITED"}) {
		t.Errorf("refused stream's response: %+v, want 429 with Retry-After and RATE_LIMITED", b)
	}

	oneSubscription, _ := newTestServer(t, func(c *config) { c.graphql.MaxSubscriptionsPerAddress = 1 })
	var subs struct {
		Second struct {
			Codes     []string
			Completed bool
		}
		Problems []string
	}
	runNode(t, "sse.mjs", &subs, "FILMGRAPH_URL="+oneSubscription.URL, "MODE=subscriptions")
	for _, p := range subs.Problems {
		t.Error(p)
	}
	if !slices.Equal(subs.Second.Codes, []string{"RATE_LIMITED"}) || !subs.Second.Completed {
		t.Errorf("a second subscription from one address: %+v, want one RATE_LIMITED result, then complete", subs.Second)
	}

	// A WebSocket and a stream share the places: with one allowed in all, a WebSocket
	// open, a stream is refused.
	oneInAll, _ := newTestServer(t, func(c *config) { c.graphql.MaxSockets = 1 })
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	conn, _, err := websocket.Dial(ctx, "ws"+strings.TrimPrefix(oneInAll.URL, "http")+"/graphql", &websocket.DialOptions{Subprotocols: []string{"graphql-transport-ws"}})
	if err != nil {
		t.Fatal(err)
	}
	defer conn.CloseNow()
	if err := wsjson.Write(ctx, conn, wsMessage{Type: "connection_init"}); err != nil {
		t.Fatal(err)
	}
	var ack wsMessage
	if err := wsjson.Read(ctx, conn, &ack); err != nil || ack.Type != "connection_ack" {
		t.Fatalf("connection_init: %+v, %v", ack, err)
	}
	status, resp, header := request(t, oneInAll.URL, "text/event-stream", map[string]any{"query": `subscription { ratingSummaryChanged(movieId: "TW92aWU6MjU3Mg") { id } }`})
	if status != http.StatusTooManyRequests || !slices.Equal(resp.codes(), []string{"RATE_LIMITED"}) || header.Get("Retry-After") == "" {
		t.Errorf("a stream while the WebSocket holds the only place: status %d, codes %v", status, resp.codes())
	}
}

// TestSSEOutlivesTheRequestTimeout: a subscription stream is not cut at the request
// timeout nor at the server's write timeout; it still delivers an event after both.
func TestSSEOutlivesTheRequestTimeout(t *testing.T) {
	cfg := testConfig
	cfg.requestTimeout = time.Second
	srv := httptest.NewUnstartedServer((&server{log: observe.NewLogger(io.Discard, true, 0), db: testStore, cfg: cfg, issuer: testIssuer}).routes())
	srv.Config.WriteTimeout = 2 * time.Second
	srv.Start()
	defer srv.Close()
	member := signUp(t, "ssetimeout")
	film := movieID(2571)

	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	body, _ := json.Marshal(map[string]any{"query": `subscription($id: ID!) { ratingSummaryChanged(movieId: $id) { id } }`, "variables": map[string]any{"id": film}})
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, srv.URL+"/graphql", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "text/event-stream")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/event-stream") {
		t.Fatalf("status %d, Content-Type %q", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	events := make(chan string, 10)
	go func() {
		defer close(events)
		scanner := bufio.NewScanner(resp.Body)
		for scanner.Scan() {
			if line := scanner.Text(); strings.HasPrefix(line, "data: ") {
				events <- strings.TrimPrefix(line, "data: ")
			}
		}
	}()
	time.Sleep(3 * time.Second) // past both timeouts
	for i := 0; ; i++ {
		mustDoOn(t, srv.URL, member.Token, `mutation($id: ID!, $s: Int!) { rateMovie(movieId: $id, score: $s) { id } }`, map[string]any{"id": film, "s": 1 + i%10})
		select {
		case e, open := <-events:
			if !open {
				t.Fatal("the stream ended before any event")
			}
			if !strings.Contains(e, film) {
				t.Errorf("event %s, want the film %s", e, film)
			}
			return
		case <-time.After(time.Second):
			if i == 20 {
				t.Fatal("no event within 20 ratings")
			}
		}
	}
}

// mustDoOn posts an operation that must succeed to the server at url.
func mustDoOn(t *testing.T, url, token, query string, variables map[string]any) {
	t.Helper()
	status, resp, err := postAsTo(http.DefaultClient, url, token, query, variables)
	if err != nil || status != http.StatusOK || len(resp.Errors) > 0 {
		t.Fatalf("status %d, errors %+v, %v", status, resp.Errors, err)
	}
}
