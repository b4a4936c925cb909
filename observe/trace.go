package observe

import (
	"context"
	"os"

	"github.com/99designs/gqlgen/graphql"
	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracehttp"
	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/sdk/resource"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/trace"
)

// Tracer is filmgraph's tracer. Until SetupTracing installs an exporter it is OpenTelemetry's
// no-op tracer, whose spans cost next to nothing.
func Tracer() trace.Tracer { return otel.Tracer("filmgraph") }

// SetupTracing exports spans over OTLP/HTTP when the standard OTEL_EXPORTER_OTLP_ENDPOINT
// (or OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) is set; the exporter reads the other standard
// OTEL_* variables (headers, timeout, compression) itself. Otherwise tracing stays off and
// enabled is false. shutdown flushes the spans still buffered.
func SetupTracing(ctx context.Context) (shutdown func(context.Context) error, enabled bool, err error) {
	noop := func(context.Context) error { return nil }
	if os.Getenv("OTEL_EXPORTER_OTLP_ENDPOINT") == "" && os.Getenv("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT") == "" {
		return noop, false, nil
	}
	exporter, err := otlptracehttp.New(ctx)
	if err != nil {
		return noop, false, err
	}
	service := os.Getenv("OTEL_SERVICE_NAME")
	if service == "" {
		service = "filmgraph"
	}
	tp := sdktrace.NewTracerProvider(
		sdktrace.WithBatcher(exporter),
		sdktrace.WithResource(resource.NewSchemaless(attribute.String("service.name", service))),
	)
	otel.SetTracerProvider(tp)
	otel.SetTextMapPropagator(propagation.TraceContext{})
	return tp.Shutdown, true, nil
}

// GraphQL is a gqlgen handler extension that records each operation's name on the request
// and wraps its execution in a span.
type GraphQL struct{}

var _ interface {
	graphql.HandlerExtension
	graphql.OperationInterceptor
} = GraphQL{}

// ExtensionName names the extension for gqlgen.
func (GraphQL) ExtensionName() string { return "filmgraph/observe" }

// Validate accepts any schema.
func (GraphQL) Validate(graphql.ExecutableSchema) error { return nil }

// InterceptOperation records the operation and traces its execution.
func (GraphQL) InterceptOperation(ctx context.Context, next graphql.OperationHandler) graphql.ResponseHandler {
	oc := graphql.GetOperationContext(ctx)
	name, kind := oc.OperationName, "query"
	if oc.Operation != nil {
		name, kind = oc.Operation.Name, string(oc.Operation.Operation)
	}
	req := FromContext(ctx)
	req.SetOperation(name)
	ctx, span := Tracer().Start(ctx, "graphql."+kind, trace.WithAttributes(
		attribute.String("graphql.operation.type", kind),
		attribute.String("graphql.operation.name", req.Operation()),
	))
	respond := next(ctx)
	return func(ctx context.Context) *graphql.Response {
		resp := respond(ctx)
		if resp != nil && len(resp.Errors) > 0 {
			span.SetStatus(codes.Error, "the response carries errors")
		}
		span.End()
		return resp
	}
}
