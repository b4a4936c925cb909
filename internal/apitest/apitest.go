// Package apitest talks to a running filmgraph server the way its clients do, for tests:
// GraphQL over HTTP (Post), the errors' codes, paths into the decoded data (At), and
// Prometheus' view of /metrics (Scrape, Counter). One home for what every end-to-end
// test needs, so that each test file does not write its own.
package apitest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
)

// Response is a GraphQL response with its data left raw for each test to decode.
type Response struct {
	Data   json.RawMessage `json:"data"`
	Errors []Error         `json:"errors"`
}

// Error is one entry of a response's errors.
type Error struct {
	Message    string         `json:"message"`
	Path       []any          `json:"path"`
	Extensions map[string]any `json:"extensions"`
}

// Codes returns the extensions.code of each error, in order ("" for an error without).
func (r Response) Codes() []string {
	var codes []string
	for _, e := range r.Errors {
		code, _ := e.Extensions["code"].(string)
		codes = append(codes, code)
	}
	return codes
}

// Request is one GraphQL request over HTTP POST.
type Request struct {
	URL   string // the server's base URL; the request goes to URL + "/graphql"
	Token string // sent as a Bearer token; none when ""
	// Header holds further request headers (Accept, bookmarks, ...); an empty value sends
	// none.
	Header map[string]string
	// Body is what is posted: a value encoded as JSON, or []byte sent as it is.
	Body any
}

// Operation is the body of a request for query with variables.
func Operation(query string, variables map[string]any) map[string]any {
	return map[string]any{"query": query, "variables": variables}
}

// defaultClient bounds every request, so that a server that hangs fails the test instead.
var defaultClient = &http.Client{Timeout: 30 * time.Second}

// Do posts r through client (nil: a client with a 30 s timeout) and returns the status, the
// decoded response and the response headers. A body that is not a GraphQL response is an
// error that quotes it.
func Do(client *http.Client, r Request) (int, Response, http.Header, error) {
	if client == nil {
		client = defaultClient
	}
	body, ok := r.Body.([]byte)
	if !ok {
		var err error
		if body, err = json.Marshal(r.Body); err != nil {
			return 0, Response{}, nil, err
		}
	}
	req, err := http.NewRequest(http.MethodPost, r.URL+"/graphql", bytes.NewReader(body))
	if err != nil {
		return 0, Response{}, nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	if r.Token != "" {
		req.Header.Set("Authorization", "Bearer "+r.Token)
	}
	for k, v := range r.Header {
		if v != "" {
			req.Header.Set(k, v)
		}
	}
	resp, err := client.Do(req)
	if err != nil {
		return 0, Response{}, nil, err
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		return resp.StatusCode, Response{}, resp.Header, err
	}
	var out Response
	if err := json.Unmarshal(raw, &out); err != nil {
		return resp.StatusCode, Response{}, resp.Header, fmt.Errorf("status %d, the response is not JSON: %v: %.300s", resp.StatusCode, err, raw)
	}
	return resp.StatusCode, out, resp.Header, nil
}

// Post is Do that fails t on a transport error or a body that is not a GraphQL response.
func Post(t testing.TB, client *http.Client, r Request) (int, Response, http.Header) {
	t.Helper()
	status, resp, header, err := Do(client, r)
	if err != nil {
		t.Fatalf("POST %s/graphql: %v", r.URL, err)
	}
	return status, resp, header
}

// At walks a decoded JSON value along a dotted path; numbers index arrays. A path that
// leads nowhere gives nil.
func At(v any, path string) any {
	for _, key := range strings.Split(path, ".") {
		switch x := v.(type) {
		case map[string]any:
			v = x[key]
		case []any:
			var i int
			fmt.Sscan(key, &i)
			if i >= len(x) {
				return nil
			}
			v = x[i]
		default:
			return nil
		}
	}
	return v
}

// Scrape reads the metrics at url as Prometheus does, with the Prometheus text parser.
func Scrape(t testing.TB, url string) map[string]*dto.MetricFamily {
	t.Helper()
	resp, err := defaultClient.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		b, _ := io.ReadAll(resp.Body)
		t.Fatalf("GET %s: %d %s", url, resp.StatusCode, b)
	}
	return ParseMetrics(t, resp.Body)
}

// ParseMetrics parses metrics in the Prometheus text format.
func ParseMetrics(t testing.TB, r io.Reader) map[string]*dto.MetricFamily {
	t.Helper()
	parser := expfmt.NewTextParser(model.UTF8Validation)
	families, err := parser.TextToMetricFamilies(r)
	if err != nil {
		t.Fatalf("not the Prometheus text format: %v", err)
	}
	return families
}

// Counter sums the values of the family's counters and gauges whose labels include want
// (0 when none).
func Counter(families map[string]*dto.MetricFamily, family string, want map[string]string) float64 {
	f := families[family]
	if f == nil {
		return 0
	}
	total := 0.0
next:
	for _, m := range f.GetMetric() {
		labels := map[string]string{}
		for _, l := range m.GetLabel() {
			labels[l.GetName()] = l.GetValue()
		}
		for k, v := range want {
			if labels[k] != v {
				continue next
			}
		}
		total += m.GetCounter().GetValue() + m.GetGauge().GetValue()
	}
	return total
}
