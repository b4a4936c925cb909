package graph

import (
	"bytes"
	"context"
	"encoding/json"
	"mime"
	"net/http"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/errcode"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"filmgraph/apperr"
	"filmgraph/limits"
)

// The statuses of requests that fail before execution follow the GraphQL-over-HTTP spec
// (the audit of npm graphql-http checks them, see clients_test.go):
//
//   - a request that is not a GraphQL request (no `query`, JSON that is not a request) is
//     400 for every media type;
//   - a document that does not parse or validate, variables that do not coerce, and an
//     operation over a limit are 200 with `application/json` (the client reads the
//     errors) and gqlgen's 4xx with `application/graphql-response+json`;
//   - neither carries a `data` entry, since nothing was executed.
//
// gqlgen chooses the status before the errors are presented, so specStatus holds a 4xx
// status back until the body (the presented errors, with their codes) is written.

func init() {
	// A request without a query is the client's protocol mistake, like a parse error:
	// gqlgen then answers 4xx, which specStatus turns into 400.
	errcode.RegisterErrorType(string(apperr.BadRequest), errcode.KindProtocol)
}

// requireQuery rejects a request that names no operation: no `query` parameter, and no
// persisted query that the APQ extension (which runs before it) resolved into one.
type requireQuery struct{}

var _ interface {
	graphql.HandlerExtension
	graphql.OperationParameterMutator
} = requireQuery{}

func (requireQuery) ExtensionName() string                   { return "filmgraph/requireQuery" }
func (requireQuery) Validate(graphql.ExecutableSchema) error { return nil }
func (requireQuery) MutateOperationParameters(_ context.Context, p *graphql.RawParams) *gqlerror.Error {
	if p.Query != "" {
		return nil
	}
	err := gqlerror.Errorf("the request has no `query` parameter: send the operation's text as `query`")
	errcode.Set(err, string(apperr.BadRequest))
	return err
}

// documentCodes are the codes of operations rejected before execution although the
// request itself was well formed.
var documentCodes = func() map[string]bool {
	codes := map[string]bool{errcode.ParseFailed: true, errcode.ValidationFailed: true}
	for _, code := range limits.RejectionCodes {
		codes[string(code)] = true
	}
	codes[string(apperr.OperationNotTrusted)] = true // trusted.go
	return codes
}()

// maxHeldBody bounds what specStatus buffers; an error response is far smaller.
const maxHeldBody = 1 << 20

// specStatus sets the status of responses to requests that failed before execution (see
// above). Other responses, and WebSocket upgrades, pass through untouched and unbuffered.
func specStatus(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Upgrade") != "" {
			next.ServeHTTP(w, r)
			return
		}
		hw := &heldStatusWriter{ResponseWriter: w}
		next.ServeHTTP(hw, r)
		hw.release()
	})
}

// heldStatusWriter holds back a 4xx status and its body until release.
type heldStatusWriter struct {
	http.ResponseWriter
	held int // the 4xx status held back; 0 when nothing is held
	body bytes.Buffer
	sent bool // a status went to the client
}

func (w *heldStatusWriter) WriteHeader(status int) {
	if w.sent || w.held != 0 {
		return
	}
	if status >= 400 && status < 500 {
		w.held = status
		return
	}
	w.sent = true
	w.ResponseWriter.WriteHeader(status)
}

func (w *heldStatusWriter) Write(p []byte) (int, error) {
	if w.held == 0 {
		w.sent = true
		return w.ResponseWriter.Write(p)
	}
	if w.body.Len()+len(p) > maxHeldBody {
		w.flushHeld(w.held, w.body.Bytes())
		return w.ResponseWriter.Write(p)
	}
	return w.body.Write(p)
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (w *heldStatusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// Flush passes a streaming transport's flushes on, except while a 4xx status is held back
// (a flush would send the status 200 before it).
func (w *heldStatusWriter) Flush() {
	if w.held == 0 {
		_ = http.NewResponseController(w.ResponseWriter).Flush()
	}
}

func (w *heldStatusWriter) release() {
	if w.held == 0 {
		return
	}
	mediaType, _, _ := mime.ParseMediaType(w.Header().Get("Content-Type"))
	status, body := rejectedResponse(w.held, mediaType, w.body.Bytes())
	w.flushHeld(status, body)
}

func (w *heldStatusWriter) flushHeld(status int, body []byte) {
	w.held, w.sent = 0, true
	w.Header().Del("Content-Length")
	w.ResponseWriter.WriteHeader(status)
	w.ResponseWriter.Write(body)
	w.body.Reset()
}

// rejectedResponse is the status and body of a response that gqlgen answered with the
// 4xx status held; mediaType is the response's. Bodies it does not recognise as a GraphQL
// response keep their status.
func rejectedResponse(held int, mediaType string, body []byte) (int, []byte) {
	var response map[string]json.RawMessage
	var parsed struct {
		Errors []struct {
			Extensions struct{ Code string } `json:"extensions"`
		} `json:"errors"`
	}
	if json.Unmarshal(body, &response) != nil || json.Unmarshal(body, &parsed) != nil || len(parsed.Errors) == 0 {
		return held, body
	}
	status, documentOnly := held, true
	for _, e := range parsed.Errors {
		if e.Extensions.Code == string(apperr.BadRequest) && held == http.StatusUnprocessableEntity {
			// gqlgen's 422 for a request it could not read; statuses chosen by this
			// server (415, 405) stay.
			status = http.StatusBadRequest
		}
		documentOnly = documentOnly && documentCodes[e.Extensions.Code]
	}
	if documentOnly && mediaType == "application/json" {
		status = http.StatusOK
	}
	if data, ok := response["data"]; ok && string(data) == "null" {
		delete(response, "data")
		if b, err := json.Marshal(response); err == nil {
			body = b
		}
	}
	return status, body
}
