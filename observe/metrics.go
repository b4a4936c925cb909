package observe

import (
	"net/http"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"filmgraph/apperr"
)

// registry holds filmgraph's metrics plus the Go runtime and process collectors. It is
// private rather than Prometheus' global one so nothing else registers into /metrics.
var registry = prometheus.NewRegistry()

// Latency buckets from 5 ms to 10 s: a read is a few ms, the request timeout is seconds.
var latencyBuckets = []float64{.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10}

var (
	requestsTotal = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "filmgraph_graphql_requests_total",
		Help: "GraphQL requests by operation name and outcome (ok; error when the response carries errors; persisted_query_not_found for the persisted-query handshake).",
	}, []string{"operation", "outcome"})
	requestDuration = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name:    "filmgraph_graphql_request_duration_seconds",
		Help:    "Time to answer a GraphQL request, by operation name and outcome.",
		Buckets: latencyBuckets,
	}, []string{"operation", "outcome"})
	errorsTotal = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "filmgraph_graphql_errors_total",
		Help: "Errors shown to clients, by extensions.code.",
	}, []string{"code"})
	inFlight = prometheus.NewGauge(prometheus.GaugeOpts{
		Name: "filmgraph_http_requests_in_flight",
		Help: "HTTP requests being served.",
	})
	databaseUp = prometheus.NewGauge(prometheus.GaugeOpts{
		Name: "filmgraph_neo4j_up",
		Help: "1 while Neo4j answers, 0 while it is suspected down (statements then fail fast).",
	})
	recommendationsPending = prometheus.NewGauge(prometheus.GaugeOpts{
		Name: "filmgraph_recommendations_oldest_pending_change_seconds",
		Help: "Age of the oldest rating not yet reflected in the recommendations' similarity edges (0: none).",
	})
	recommendationsBackfill = prometheus.NewGauge(prometheus.GaugeOpts{
		Name: "filmgraph_recommendations_backfill_films",
		Help: "Films nobody rated still waiting for their content neighbours after a first start (0: none).",
	})
	roundTripsTotal = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "filmgraph_neo4j_round_trips_total",
		Help: "Statements sent to Neo4j, by access mode (read, write) and outcome (ok, error).",
	}, []string{"mode", "outcome"})
	roundTripDuration = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name:    "filmgraph_neo4j_round_trip_duration_seconds",
		Help:    "Time from sending a statement to Neo4j to having its whole result, by access mode.",
		Buckets: latencyBuckets,
	}, []string{"mode"})
)

func init() {
	registry.MustRegister(requestsTotal, requestDuration, errorsTotal, inFlight, databaseUp, roundTripsTotal, roundTripDuration,
		recommendationsPending, recommendationsBackfill,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
}

// MetricsHandler serves the metrics in the Prometheus text format.
func MetricsHandler() http.Handler {
	return promhttp.HandlerFor(registry, promhttp.HandlerOpts{})
}

// SetDatabaseUp records whether Neo4j answers.
func SetDatabaseUp(up bool) {
	if up {
		databaseUp.Set(1)
	} else {
		databaseUp.Set(0)
	}
}

// SetRecommendationsPending records the age of the oldest rating not yet reflected in
// the similarity edges (see recommend.Refresher).
func SetRecommendationsPending(age time.Duration) { recommendationsPending.Set(age.Seconds()) }

// SetRecommendationsBackfill records how many films nobody rated still wait for their
// content neighbours (see recommend.RefreshRated).
func SetRecommendationsBackfill(films int64) { recommendationsBackfill.Set(float64(films)) }

// ObserveRoundTrip records one statement sent to Neo4j; mode is "read" or "write".
func ObserveRoundTrip(mode string, d time.Duration, err error) {
	outcome := "ok"
	if err != nil {
		outcome = "error"
	}
	roundTripsTotal.WithLabelValues(mode, outcome).Inc()
	roundTripDuration.WithLabelValues(mode).Observe(d.Seconds())
}

// maxOperationLabels bounds the operation label: operation names come from clients, and
// each distinct label value is a time series kept in memory for as long as the process runs.
const maxOperationLabels = 200

var operationLabels = struct {
	sync.Mutex
	seen map[string]bool
}{seen: map[string]bool{}}

// operationLabel returns name while fewer than maxOperationLabels names have been seen,
// then "other" for names not seen before.
func operationLabel(name string) string {
	if name == "" {
		return "none" // the request failed before an operation was chosen
	}
	operationLabels.Lock()
	defer operationLabels.Unlock()
	if operationLabels.seen[name] {
		return name
	}
	if len(operationLabels.seen) >= maxOperationLabels {
		return "other"
	}
	operationLabels.seen[name] = true
	return name
}

// isHandshake reports whether code answers a normal step of a protocol rather than a
// failure: PERSISTED_QUERY_NOT_FOUND is how automatic persisted queries ask a client for
// the query text the first time it sends a hash (and after each restart of the server), so
// counting it as an error would make every deploy look like an error spike.
func isHandshake(code string) bool {
	return code == string(apperr.PersistedQueryNotFound)
}

// requestOutcome is the outcome label of a request that recorded codes: "ok" without any,
// "persisted_query_not_found" when the handshake's is the only one, "error" otherwise.
func requestOutcome(codes []string) string {
	outcome := "ok"
	for _, code := range codes {
		if !isHandshake(code) {
			return "error"
		}
		outcome = "persisted_query_not_found"
	}
	return outcome
}

func observeGraphQLRequest(r *Request, d time.Duration) {
	outcome := requestOutcome(r.ErrorCodes())
	op := operationLabel(r.Operation())
	requestsTotal.WithLabelValues(op, outcome).Inc()
	requestDuration.WithLabelValues(op, outcome).Observe(d.Seconds())
}
