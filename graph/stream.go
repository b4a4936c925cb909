package graph

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/vektah/gqlparser/v2/ast"

	"filmgraph/apperr"
	"filmgraph/limits"
)

// Streaming over plain HTTP: @defer answered as multipart/mixed (incremental delivery).
//
// A deferred fragment costs no statement of its own: the top-level field's one Cypher
// statement reads the deferred fields with the others (package cypher collects them like
// any field), so the initial part is sent once that statement has answered and the
// deferred parts follow from the same result. @defer thus orders the delivery (the page
// first, `recommended` after it) within the limits and the deadline of one request; it
// does not split the database work.

// deferTransport answers POSTs whose Accept header lists multipart/mixed (Apollo Client
// and other incremental-delivery clients send it for operations with @defer): the
// initial result, then the deferred fragments, as parts of one multipart/mixed response
// (gqlgen's transport; the 2022-08-24 format of the incremental delivery RFC).
func deferTransport() graphql.Transport {
	// Deferred results ready within 5 ms of each other go out in one part; gqlgen's default
	// (1 ms) wakes the response's goroutine a thousand times a second while it waits.
	return multipartTransport{checkedBody{transport.MultipartMixed{Boundary: "graphql", DeliveryTimeout: 5 * time.Millisecond}}}
}

// checkedBody answers a request whose body is not a GraphQL request object with
// BAD_REQUEST before the transport reads it: gqlgen's streaming transports would log
// such a body whole (it may hold a password) and answer without a code.
type checkedBody struct{ graphql.Transport }

func (t checkedBody) Do(w http.ResponseWriter, r *http.Request, exec graphql.GraphExecutor) {
	body, err := io.ReadAll(r.Body) // bounded by limits.Body
	if err != nil {
		limits.WriteError(w, r, http.StatusBadRequest, apperr.BadRequest, "the request body could not be read")
		return
	}
	var params graphql.RawParams
	if err := json.Unmarshal(body, &params); err != nil {
		limits.WriteError(w, r, http.StatusBadRequest, apperr.BadRequest, "the request body is not a JSON GraphQL request")
		return
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	t.Transport.Do(w, r, exec)
}

// incremental marks the transport that delivers @defer's parts; checkTransport refuses
// @defer over the HTTP transports that answer with one JSON body.
type incremental interface {
	graphql.Transport
	deliversIncrementally()
}

type multipartTransport struct{ checkedBody }

func (multipartTransport) deliversIncrementally() {}

// Do answers with multipart/mixed only an operation that may defer something, or a client
// that takes nothing else; Apollo Client, urql and GraphiQL list multipart/mixed among the
// types they accept for every operation, and the others get one JSON body as before.
func (t multipartTransport) Do(w http.ResponseWriter, r *http.Request, exec graphql.GraphExecutor) {
	body, err := io.ReadAll(r.Body) // bounded by limits.Body
	r.Body = io.NopCloser(bytes.NewReader(body))
	var params struct{ Query string }
	if err == nil && json.Unmarshal(body, &params) == nil && !strings.Contains(params.Query, "@defer") && acceptsJSON(r) {
		transport.POST{}.Do(w, r, exec)
		return
	}
	t.checkedBody.Do(w, r, exec)
}

// acceptsJSON reports whether r's Accept header lists a JSON response type.
func acceptsJSON(r *http.Request) bool {
	accept := r.Header.Get("Accept")
	return strings.Contains(accept, "application/json") || strings.Contains(accept, "application/graphql-response+json")
}

// defers reports whether the operation of oc has a fragment that @defer (without `if:
// false`) would defer. The document is validated and within the document limits, so the
// walk is short; each fragment is visited once.
func defers(oc *graphql.OperationContext) bool {
	visited := map[string]bool{}
	var walk func(ast.SelectionSet) bool
	deferred := func(directives ast.DirectiveList) bool {
		d := directives.ForName("defer")
		if d == nil {
			return false
		}
		on, ok := d.ArgumentMap(oc.Variables)["if"].(bool)
		return !ok || on
	}
	walk = func(set ast.SelectionSet) bool {
		for _, sel := range set {
			switch sel := sel.(type) {
			case *ast.Field:
				if walk(sel.SelectionSet) {
					return true
				}
			case *ast.InlineFragment:
				if deferred(sel.Directives) || walk(sel.SelectionSet) {
					return true
				}
			case *ast.FragmentSpread:
				if deferred(sel.Directives) {
					return true
				}
				if !visited[sel.Name] && sel.Definition != nil {
					visited[sel.Name] = true
					if walk(sel.Definition.SelectionSet) {
						return true
					}
				}
			}
		}
		return false
	}
	return oc.Operation != nil && walk(oc.Operation.SelectionSet)
}
