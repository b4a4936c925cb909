package observe

import (
	"bufio"
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"slices"

	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/propagation"
)

// NewLogger returns the process logger: JSON lines when production is set (for log
// shippers), text otherwise. Every record logged with a request's context carries its
// requestId.
func NewLogger(w io.Writer, production bool, level slog.Level) *slog.Logger {
	opts := &slog.HandlerOptions{Level: level}
	var h slog.Handler = slog.NewTextHandler(w, opts)
	if production {
		h = slog.NewJSONHandler(w, opts)
	}
	return slog.New(contextHandler{h})
}

// contextHandler adds the request id found in a record's context.
type contextHandler struct{ slog.Handler }

func (h contextHandler) Handle(ctx context.Context, r slog.Record) error {
	if id := RequestID(ctx); id != "" {
		r.AddAttrs(slog.String("requestId", id))
	}
	return h.Handler.Handle(ctx, r)
}

func (h contextHandler) WithAttrs(attrs []slog.Attr) slog.Handler {
	return contextHandler{h.Handler.WithAttrs(attrs)}
}

func (h contextHandler) WithGroup(name string) slog.Handler {
	return contextHandler{h.Handler.WithGroup(name)}
}

// Middleware records each request to next: it gives the request an id (returned in the
// X-Request-Id header), continues a W3C trace context the client sent, counts it in flight,
// and when next returns writes one log line and the request metrics. The line holds the
// id, operation name, status, duration, database round trips and error codes: nothing
// from the request body.
func Middleware(log *slog.Logger, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		req := NewRequest(ClientIP(r))
		ctx := WithRequest(r.Context(), req)
		ctx = otel.GetTextMapPropagator().Extract(ctx, propagation.HeaderCarrier(r.Header))
		w.Header().Set("X-Request-Id", req.ID)
		inFlight.Inc()
		defer inFlight.Dec()

		sw := &statusWriter{ResponseWriter: w, status: http.StatusOK}
		next.ServeHTTP(sw, r.WithContext(ctx))

		elapsed := req.Elapsed()
		observeGraphQLRequest(req, elapsed)
		codes := req.ErrorCodes()
		level := slog.LevelInfo
		if sw.status >= 500 || slices.Contains(codes, "INTERNAL_SERVER_ERROR") {
			level = slog.LevelError
		} else if slices.Contains(codes, "SERVICE_UNAVAILABLE") {
			level = slog.LevelWarn
		}
		log.LogAttrs(ctx, level, "graphql request",
			slog.String("method", r.Method),
			slog.String("operation", req.Operation()),
			slog.Int("status", sw.status),
			slog.Float64("durationMs", float64(elapsed.Microseconds())/1000),
			slog.Int64("roundTrips", req.RoundTrips()),
			slog.Any("errorCodes", codes),
			slog.String("client", req.ClientAddr),
		)
	})
}

// Hijack hands the connection over for a WebSocket upgrade.
func (w *statusWriter) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	return http.NewResponseController(w.ResponseWriter).Hijack()
}

// statusWriter remembers the status code written through it.
type statusWriter struct {
	http.ResponseWriter
	status      int
	wroteHeader bool
}

func (w *statusWriter) WriteHeader(status int) {
	if !w.wroteHeader {
		w.status, w.wroteHeader = status, true
	}
	w.ResponseWriter.WriteHeader(status)
}

func (w *statusWriter) Write(p []byte) (int, error) {
	w.wroteHeader = true
	return w.ResponseWriter.Write(p)
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }
