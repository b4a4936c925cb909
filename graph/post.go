package graph

import (
	"bytes"
	"encoding/json"
	"io"
	"mime"
	"net/http"
	"strings"
	"sync"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/errcode"
	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

// postTransport is gqlgen's transport.POST (the same requests taken, statuses, headers and
// bodies) writing each response once. gqlgen's marshals the response with encoding/json,
// which scans again, compacts and HTML-escapes the data that the executor had already
// written as JSON (about 3% of the Go CPU of a film page); here the data is copied with the
// HTML escaping alone (json.HTMLEscape), the one thing that pass changed in it: the
// executor writes no space outside strings. post_test.go compares the two byte for byte.
type postTransport struct{}

var _ graphql.Transport = postTransport{}

// Supports takes what transport.POST takes: a POST with a JSON body, not an upgrade.
func (postTransport) Supports(r *http.Request) bool { return transport.POST{}.Supports(r) }

// Do reads the request, runs the operation and writes its response.
func (postTransport) Do(w http.ResponseWriter, r *http.Request, exec graphql.GraphExecutor) {
	ctx := r.Context()
	contentType := responseContentType(r.Header.Get("Accept"))
	w.Header().Add("Content-Type", contentType)
	start := graphql.Now()
	body, err := io.ReadAll(r.Body) // bounded by limits.Body
	if err != nil {
		writeResponse(w, exec.DispatchError(ctx, gqlerror.List{gqlerror.Errorf("could not read request body: %+v", err)}))
		return
	}
	var params graphql.RawParams
	decoder := json.NewDecoder(bytes.NewReader(body))
	decoder.UseNumber()
	if err := decoder.Decode(&params); err != nil {
		w.WriteHeader(http.StatusBadRequest)
		// presentError cuts the body off the message.
		gqlErr := gqlerror.Errorf("json request body could not be decoded: %+v body:%s", err, body)
		writeResponse(w, exec.DispatchError(ctx, gqlerror.List{gqlErr}))
		return
	}
	params.Headers = r.Header
	params.ReadTime = graphql.TraceTiming{Start: start, End: graphql.Now()}
	op, errs := exec.CreateOperationContext(ctx, &params)
	if errs != nil {
		w.WriteHeader(rejectionStatus(contentType, errs))
		writeResponse(w, exec.DispatchError(graphql.WithOperationContext(ctx, op), errs))
		return
	}
	responses, ctx := exec.DispatchOperation(ctx, op)
	writeResponse(w, responses(ctx))
}

// The response media types of the GraphQL-over-HTTP spec.
const (
	mediaJSON            = "application/json"
	mediaGraphQLResponse = "application/graphql-response+json"
)

// responseContentType is the media type of the response to a request that accepts accept,
// as transport.POST chooses it: the first of the request's types that is JSON or
// application/graphql-response+json (*/* and application/* are JSON), JSON without an
// Accept header, application/graphql-response+json when none is.
func responseContentType(accept string) string {
	if accept == "" {
		return mediaJSON
	}
	for part := range strings.SplitSeq(accept, ",") {
		mediaType, _, err := mime.ParseMediaType(strings.TrimSpace(part))
		if err != nil {
			continue
		}
		switch mediaType {
		case "*/*", "application/*", mediaJSON:
			return mediaJSON
		case mediaGraphQLResponse:
			return mediaGraphQLResponse
		}
	}
	return mediaGraphQLResponse
}

// rejectionStatus is transport.POST's status of an operation rejected before it ran: a
// protocol error (the request is not a GraphQL request, the document does not parse) is 422
// with JSON and 400 with application/graphql-response+json; others are 200. specStatus
// (httpstatus.go) settles the final status once the errors are presented.
func rejectionStatus(contentType string, errs gqlerror.List) int {
	if errcode.GetErrorKind(errs) != errcode.KindProtocol {
		return http.StatusOK
	}
	if contentType == mediaGraphQLResponse {
		return http.StatusBadRequest
	}
	return http.StatusUnprocessableEntity
}

// responseBuffers are the buffers responses are written into; one larger than
// maxPooledResponse is not kept.
var responseBuffers = sync.Pool{New: func() any { return new(bytes.Buffer) }}

const maxPooledResponse = 1 << 20

// responseTail is what follows `data` in a graphql.Response, with its JSON names.
type responseTail struct {
	Label      string         `json:"label,omitempty"`
	Path       ast.Path       `json:"path,omitempty"`
	HasNext    *bool          `json:"hasNext,omitempty"`
	Extensions map[string]any `json:"extensions,omitempty"`
}

// writeResponse writes resp to w in one Write, with the bytes json.Marshal gives it
// (graphql.Response's order: errors, data, label, path, hasNext, extensions).
func writeResponse(w io.Writer, resp *graphql.Response) {
	buf := responseBuffers.Get().(*bytes.Buffer)
	defer func() {
		if buf.Cap() <= maxPooledResponse {
			buf.Reset()
			responseBuffers.Put(buf)
		}
	}()
	buf.Reset()
	if err := encodeResponse(buf, resp); err != nil {
		// What encoding/json cannot encode (say an extension's NaN) is a bug of the
		// server's: the client gets a coded error, not a panic of the transport.
		buf.Reset()
		buf.WriteString(`{"errors":[{"message":"internal error","extensions":{"code":"INTERNAL_SERVER_ERROR"}}],"data":null}`)
	}
	w.Write(buf.Bytes())
}

func encodeResponse(buf *bytes.Buffer, resp *graphql.Response) error {
	if resp == nil {
		buf.WriteString("null") // as json.Marshal writes a nil *graphql.Response
		return nil
	}
	buf.WriteByte('{')
	if len(resp.Errors) > 0 {
		errs, err := json.Marshal(resp.Errors)
		if err != nil {
			return err
		}
		buf.WriteString(`"errors":`)
		buf.Write(errs)
		buf.WriteByte(',')
	}
	buf.WriteString(`"data":`)
	if len(resp.Data) == 0 {
		buf.WriteString("null")
	} else {
		json.HTMLEscape(buf, resp.Data)
	}
	if resp.Label != "" || len(resp.Path) > 0 || resp.HasNext != nil || len(resp.Extensions) > 0 {
		tail, err := json.Marshal(responseTail{Label: resp.Label, Path: resp.Path, HasNext: resp.HasNext, Extensions: resp.Extensions})
		if err != nil {
			return err
		}
		buf.WriteByte(',')
		buf.Write(tail[1 : len(tail)-1])
	}
	buf.WriteByte('}')
	return nil
}
