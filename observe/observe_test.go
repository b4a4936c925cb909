package observe_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	"github.com/99designs/gqlgen/graphql"
	dto "github.com/prometheus/client_model/go"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/propagation"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"

	"filmgraph/internal/apitest"
	"filmgraph/observe"
)

// Tests of what the middleware records about each request (one log line, the metrics, the
// request id) and of the traces, read back the way their consumers read them: the log as
// JSON lines, the metrics with Prometheus' parser, the spans from an SDK recorder.

// serve runs one POST through the middleware to handle, with body, and returns the
// response and the log lines written, decoded.
func serve(t *testing.T, handle http.HandlerFunc, header http.Header, body string) (*httptest.ResponseRecorder, []map[string]any) {
	t.Helper()
	var logs bytes.Buffer
	log := observe.NewLogger(&logs, true, slog.LevelInfo)
	h := observe.Middleware(log, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		log.InfoContext(r.Context(), "inside the handler")
		handle(w, r)
	}))
	req := httptest.NewRequest(http.MethodPost, "/graphql", strings.NewReader(body))
	req.RemoteAddr = "192.0.2.7:40000"
	req.Header.Set("X-Forwarded-For", "203.0.113.9")
	for k, v := range header {
		req.Header[k] = v
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	var lines []map[string]any
	for _, l := range strings.Split(strings.TrimSpace(logs.String()), "\n") {
		var m map[string]any
		if err := json.Unmarshal([]byte(l), &m); err != nil {
			t.Fatalf("log line %q is not JSON: %v", l, err)
		}
		lines = append(lines, m)
	}
	return rec, lines
}

// recording is a handler that records an operation, round trips and error codes as the
// GraphQL layer and the store do, then answers status.
func recording(operation string, status int, codes ...string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		req := observe.FromContext(r.Context())
		req.SetOperation(operation)
		req.AddRoundTrip()
		req.AddRoundTrip()
		for _, c := range codes {
			req.AddErrorCode(c)
		}
		w.WriteHeader(status)
	}
}

var requestID = regexp.MustCompile(`^[0-9a-f]{16}$`)

func TestOneLogLinePerRequestUnderItsID(t *testing.T) {
	const secret = "s3cret-Passw0rd"
	rec, lines := serve(t, recording("Probe", http.StatusOK, "BAD_USER_INPUT"), nil,
		`{"query": "mutation Probe($p: String!) { logIn(password: $p) { token } }", "variables": {"p": "`+secret+`"}}`)
	id := rec.Header().Get("X-Request-Id")
	if !requestID.MatchString(id) {
		t.Fatalf("X-Request-Id %q, want 16 hex digits", id)
	}
	if len(lines) != 2 {
		t.Fatalf("%d log lines, want the handler's and the request's: %v", len(lines), lines)
	}
	inner, line := lines[0], lines[1]
	if inner["requestId"] != id {
		t.Errorf("a line logged with the request's context carries requestId %v, want %s", inner["requestId"], id)
	}
	want := map[string]any{
		"msg": "graphql request", "level": "INFO", "requestId": id, "method": "POST", "operation": "Probe",
		"status": 200.0, "roundTrips": 2.0, "client": "192.0.2.7", // the peer, not X-Forwarded-For
	}
	for k, v := range want {
		if line[k] != v {
			t.Errorf("%s = %v, want %v", k, line[k], v)
		}
	}
	if codes, _ := line["errorCodes"].([]any); len(codes) != 1 || codes[0] != "BAD_USER_INPUT" {
		t.Errorf("errorCodes %v", line["errorCodes"])
	}
	if _, ok := line["durationMs"].(float64); !ok {
		t.Errorf("no durationMs in %v", line)
	}
	for _, l := range lines {
		if b, _ := json.Marshal(l); strings.Contains(string(b), secret) || strings.Contains(string(b), "logIn") {
			t.Errorf("the log holds the request body: %s", b)
		}
	}

	again, _ := serve(t, recording("Probe", http.StatusOK), nil, `{}`)
	if again.Header().Get("X-Request-Id") == id {
		t.Error("two requests got the same id")
	}
}

func TestLogLevelFollowsTheOutcome(t *testing.T) {
	for _, c := range []struct {
		status int
		codes  []string
		level  string
	}{
		{200, nil, "INFO"},
		{200, []string{"NOT_FOUND"}, "INFO"},
		{200, []string{"SERVICE_UNAVAILABLE"}, "WARN"},
		{200, []string{"BAD_USER_INPUT", "INTERNAL_SERVER_ERROR"}, "ERROR"},
		{502, nil, "ERROR"},
	} {
		_, lines := serve(t, recording("Level", c.status, c.codes...), nil, `{}`)
		if got := lines[len(lines)-1]["level"]; got != c.level {
			t.Errorf("status %d, codes %v: level %v, want %s", c.status, c.codes, got, c.level)
		}
	}
}

func TestRequestMetrics(t *testing.T) {
	metrics := func() func(family string, labels map[string]string) float64 {
		rec := httptest.NewRecorder()
		observe.MetricsHandler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/metrics", nil))
		families := apitest.ParseMetrics(t, rec.Body)
		return func(family string, labels map[string]string) float64 {
			return apitest.Counter(families, family, labels)
		}
	}
	before := metrics()
	var inFlight float64
	serve(t, func(w http.ResponseWriter, r *http.Request) {
		inFlight = metrics()("filmgraph_http_requests_in_flight", nil)
		recording("MetricsUnit", http.StatusOK, "BAD_USER_INPUT", "BAD_USER_INPUT")(w, r)
	}, nil, `{}`)
	serve(t, recording("MetricsUnit", http.StatusOK), nil, `{}`)
	serve(t, recording("MetricsHandshake", http.StatusOK, "PERSISTED_QUERY_NOT_FOUND"), nil, `{}`)
	after := metrics()
	delta := func(family string, labels map[string]string) float64 {
		return after(family, labels) - before(family, labels)
	}

	if inFlight < 1 || after("filmgraph_http_requests_in_flight", nil) != before("filmgraph_http_requests_in_flight", nil) {
		t.Errorf("in flight: %v during the request, %v -> %v around it", inFlight,
			before("filmgraph_http_requests_in_flight", nil), after("filmgraph_http_requests_in_flight", nil))
	}
	for _, c := range []struct {
		family string
		labels map[string]string
		want   float64
	}{
		{"filmgraph_graphql_requests_total", map[string]string{"operation": "MetricsUnit", "outcome": "error"}, 1},
		{"filmgraph_graphql_requests_total", map[string]string{"operation": "MetricsUnit", "outcome": "ok"}, 1},
		{"filmgraph_graphql_errors_total", map[string]string{"code": "BAD_USER_INPUT"}, 2},
		// The persisted-query handshake is a protocol step, not an error.
		{"filmgraph_graphql_requests_total", map[string]string{"operation": "MetricsHandshake", "outcome": "persisted_query_not_found"}, 1},
		{"filmgraph_graphql_errors_total", map[string]string{"code": "PERSISTED_QUERY_NOT_FOUND"}, 0},
	} {
		if got := delta(c.family, c.labels); got != c.want {
			t.Errorf("%s%v grew by %v, want %v", c.family, c.labels, got, c.want)
		}
	}
	if f := metricsFamily(t, "filmgraph_graphql_request_duration_seconds"); f.GetMetric()[0].GetHistogram().GetSampleCount() == 0 {
		t.Error("the request duration histogram has no sample")
	}
}

// metricsFamily scrapes the metrics and returns one family.
func metricsFamily(t *testing.T, family string) *dto.MetricFamily {
	t.Helper()
	rec := httptest.NewRecorder()
	observe.MetricsHandler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/metrics", nil))
	f := apitest.ParseMetrics(t, rec.Body)[family]
	if f == nil {
		t.Fatalf("no family %s", family)
	}
	return f
}

// TestOperationLabelsAreBounded: operation names come from clients, so only the first 200
// become metric labels; later new names are counted as "other".
func TestOperationLabelsAreBounded(t *testing.T) {
	observe.ForgetOperationLabels()
	t.Cleanup(observe.ForgetOperationLabels) // the tests after it (any order: -shuffle) name their own
	for i := range 210 {
		serve(t, recording(fmt.Sprintf("Many%d", i), http.StatusOK), nil, `{}`)
	}
	f := metricsFamily(t, "filmgraph_graphql_requests_total")
	labels, other := map[string]bool{}, 0.0
	for _, m := range f.GetMetric() {
		for _, l := range m.GetLabel() {
			if l.GetName() == "operation" {
				if strings.HasPrefix(l.GetValue(), "Many") { // not the other tests' names
					labels[l.GetValue()] = true
				}
				if l.GetValue() == "other" {
					other += m.GetCounter().GetValue()
				}
			}
		}
	}
	if len(labels) > 200 || other < 10 {
		t.Errorf("%d operation labels, %v requests as other; want at most 200 names and the rest as other", len(labels), other)
	}
}

func TestRequestRecordsAreBoundedAndNilSafe(t *testing.T) {
	var none *observe.Request // outside any request: every method is a no-op
	none.SetOperation("x")
	none.AddRoundTrip()
	none.AddErrorCode("BAD_USER_INPUT")
	if none.Operation() != "" || none.RoundTrips() != 0 || none.ErrorCodes() != nil || observe.RequestID(context.Background()) != "" {
		t.Error("a nil request recorded something")
	}

	r := observe.NewRequest("192.0.2.1")
	for name, want := range map[string]string{
		"":                        "anonymous",
		"MoviePage":               "MoviePage",
		"movie page":              "invalid",
		strings.Repeat("x", 65):   "invalid",
		"'; DROP TABLE movies --": "invalid",
	} {
		r.SetOperation(name)
		if got := r.Operation(); got != want {
			t.Errorf("SetOperation(%q) records %q, want %q", name, got, want)
		}
	}
	for range 1000 {
		r.AddErrorCode("BAD_USER_INPUT")
	}
	if n := len(r.ErrorCodes()); n != 20 {
		t.Errorf("%d codes kept of 1000, want 20", n)
	}
	ctx := observe.WithRequest(context.Background(), r)
	if observe.RequestID(ctx) != r.ID || observe.ClientAddr(ctx) != "192.0.2.1" || observe.FromContext(ctx) != r {
		t.Error("the context does not carry the request")
	}
}

// recordSpans installs an SDK tracer provider that records spans and the W3C propagator,
// restoring the previous ones after the test.
func recordSpans(t *testing.T) *tracetest.SpanRecorder {
	spans := tracetest.NewSpanRecorder()
	provider, propagator := otel.GetTracerProvider(), otel.GetTextMapPropagator()
	tp := sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(spans))
	otel.SetTracerProvider(tp)
	otel.SetTextMapPropagator(propagation.TraceContext{})
	t.Cleanup(func() {
		tp.Shutdown(context.Background())
		otel.SetTracerProvider(provider)
		otel.SetTextMapPropagator(propagator)
	})
	return spans
}

// TestOperationSpansContinueTheCallersTrace: a request that carries a W3C traceparent gets
// its operation's span in that trace, named after the operation's kind, with its name as
// an attribute, and marked as an error when the response carries errors.
func TestOperationSpansContinueTheCallersTrace(t *testing.T) {
	spans := recordSpans(t)
	const traceID = "4bf92f3577b34da6a3ce929d0e0e4736"
	header := http.Header{"Traceparent": {"00-" + traceID + "-00f067aa0ba902b7-01"}}
	var recorded *observe.Request
	for _, failing := range []bool{false, true} {
		serve(t, func(w http.ResponseWriter, r *http.Request) {
			recorded = observe.FromContext(r.Context())
			op := &graphql.OperationContext{Operation: &ast.OperationDefinition{Name: "TracedProbe", Operation: ast.Query}}
			ctx := graphql.WithOperationContext(r.Context(), op)
			respond := observe.GraphQL{}.InterceptOperation(ctx, func(ctx context.Context) graphql.ResponseHandler {
				return func(ctx context.Context) *graphql.Response {
					if failing {
						return &graphql.Response{Errors: gqlerror.List{{Message: "no"}}}
					}
					return &graphql.Response{}
				}
			})
			respond(ctx)
		}, header, `{}`)
	}
	if recorded.Operation() != "TracedProbe" {
		t.Errorf("the operation recorded is %q", recorded.Operation())
	}
	ended := spans.Ended()
	if len(ended) != 2 {
		t.Fatalf("%d spans, want one per operation", len(ended))
	}
	for i, s := range ended {
		if s.Name() != "graphql.query" || s.SpanContext().TraceID().String() != traceID || s.Parent().SpanID().String() != "00f067aa0ba902b7" {
			t.Errorf("span %q in trace %s under %s, want graphql.query in the caller's trace", s.Name(), s.SpanContext().TraceID(), s.Parent().SpanID())
		}
		attrs := map[string]string{}
		for _, a := range s.Attributes() {
			attrs[string(a.Key)] = a.Value.Emit()
		}
		if attrs["graphql.operation.name"] != "TracedProbe" || attrs["graphql.operation.type"] != "query" {
			t.Errorf("attributes %v", attrs)
		}
		if wantError := i == 1; (s.Status().Code == codes.Error) != wantError {
			t.Errorf("span %d: status %v, want an error: %v", i, s.Status(), wantError)
		}
	}
}
