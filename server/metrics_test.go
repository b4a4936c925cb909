package server

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"filmgraph/internal/apitest"
	"filmgraph/internal/neo4jtest"
	"filmgraph/internal/programtest"

	dto "github.com/prometheus/client_model/go"
)

// postJSON posts body as JSON to url (the server's /graphql) and decodes the GraphQL answer.
func postJSON(t *testing.T, url string, body any) (int, gqlResponse) {
	t.Helper()
	status, resp, _ := apitest.Post(t, nil, apitest.Request{URL: strings.TrimSuffix(url, "/graphql"), Body: body})
	return status, gqlResponse{resp}
}

// scrape reads url as Prometheus does, with the Prometheus text parser.
func scrape(t *testing.T, url string) map[string]*dto.MetricFamily { return apitest.Scrape(t, url) }

// counter returns the value of the family's counter whose labels include want (0 if none).
func counter(families map[string]*dto.MetricFamily, family string, want map[string]string) float64 {
	return apitest.Counter(families, family, want)
}

// TestMetricsOnTheirOwnAddress runs the real server with FILMGRAPH_METRICS_ADDR: /metrics
// is served there and not on the public port, and a client's automatic-persisted-query
// handshake (a hash the server does not know, answered PERSISTED_QUERY_NOT_FOUND, then hash
// and query) counts no error, while a real error still does.
func TestMetricsOnTheirOwnAddress(t *testing.T) {
	metricsAddr := fmt.Sprintf("127.0.0.1:%d", freePort(t))
	srv := startServer(t, "FILMGRAPH_METRICS_ADDR="+metricsAddr)

	resp, err := http.Get(srv.base + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNotFound {
		t.Errorf("/metrics on the public port: %d, want 404", resp.StatusCode)
	}
	metricsURL := "http://" + metricsAddr + "/metrics"
	before := scrape(t, metricsURL)

	// Apollo's and urql's handshake: the hash alone, then the hash with the query.
	query := fmt.Sprintf(`query ApqProbe { movie(id: "TW92aWU6ODA5Njk") { title } } # %d`, time.Now().UnixNano())
	sum := sha256.Sum256([]byte(query))
	apq := map[string]any{"persistedQuery": map[string]any{"version": 1, "sha256Hash": hex.EncodeToString(sum[:])}}
	_, miss := postJSON(t, srv.base+"/graphql", map[string]any{"extensions": apq})
	if codes := miss.codes(); len(codes) != 1 || codes[0] != "PERSISTED_QUERY_NOT_FOUND" {
		t.Fatalf("an unknown hash: codes %v, want PERSISTED_QUERY_NOT_FOUND", codes)
	}
	status, hit := postJSON(t, srv.base+"/graphql", map[string]any{"query": query, "extensions": apq})
	if status != 200 || len(hit.Errors) > 0 || !strings.Contains(string(hit.Data), "Never Let Me Go") {
		t.Fatalf("hash with query: %d %v %s", status, hit.codes(), hit.Data)
	}
	// A real error, counted as one.
	if _, bad := postJSON(t, srv.base+"/graphql", map[string]any{"query": `query BadProbe { movie(id: "nonsense") { title } }`}); len(bad.codes()) == 0 {
		t.Fatalf("a malformed id gave no error: %s", bad.Data)
	}

	after := scrape(t, metricsURL)
	delta := func(family string, labels map[string]string) float64 {
		return counter(after, family, labels) - counter(before, family, labels)
	}
	if n := delta("filmgraph_graphql_errors_total", map[string]string{"code": "PERSISTED_QUERY_NOT_FOUND"}); n != 0 {
		t.Errorf("PERSISTED_QUERY_NOT_FOUND counted %v times as an error", n)
	}
	if n := delta("filmgraph_graphql_errors_total", nil); n != 1 {
		t.Errorf("errors counted: %v, want 1 (the malformed id)", n)
	}
	if n := delta("filmgraph_graphql_requests_total", map[string]string{"outcome": "persisted_query_not_found"}); n != 1 {
		t.Errorf("requests with outcome persisted_query_not_found: %v, want 1", n)
	}
	if n := delta("filmgraph_graphql_requests_total", map[string]string{"operation": "ApqProbe", "outcome": "ok"}); n != 1 {
		t.Errorf("ApqProbe requests ok: %v, want 1", n)
	}
	if n := delta("filmgraph_graphql_requests_total", map[string]string{"outcome": "error"}); n != 1 {
		t.Errorf("requests with outcome error: %v, want 1 (BadProbe)", n)
	}
}

// TestMetricsAddressInUse: a metrics address that cannot be bound stops the start with a
// message naming the setting (exit 1), instead of serving without metrics.
func TestMetricsAddressInUse(t *testing.T) {
	taken, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer taken.Close()
	_, stderr, status := programtest.Run(t, []string{
		"FILMGRAPH_ADDR=" + fmt.Sprintf("127.0.0.1:%d", freePort(t)), "FILMGRAPH_METRICS_ADDR=" + taken.Addr().String(),
		"NEO4J_URI=" + neo4jtest.URI(), "NEO4J_USERNAME=" + neo4jtest.Username(),
		"NEO4J_PASSWORD=" + neo4jtest.Password(), "NEO4J_DATABASE=" + neo4jtest.Database(),
		"JWT_SECRET=" + string(testSecret), "FILMGRAPH_PRESTOP_DELAY=0",
	})
	if status != 1 || !strings.Contains(stderr, "filmgraph: FILMGRAPH_METRICS_ADDR: listen tcp "+taken.Addr().String()) {
		t.Errorf("exit %d, stderr:\n%s", status, stderr)
	}
}
