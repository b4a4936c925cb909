package graph

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler"
	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

// cannedResponses are what the schema of postHandler answers, by the name of the operation:
// data as the executor writes it (HTML characters and U+2028 unescaped, numbers, nesting),
// field errors with paths and extensions, the tail fields of deferred parts.
var cannedResponses = map[string]func() *graphql.Response{
	"html": func() *graphql.Response {
		// The line and paragraph separators as themselves: JSON allows them in strings.
		return &graphql.Response{Data: []byte(`{"title":"<b>Tom & Jerry</b> ` + "\u2028 \u2029" + ` é \"q\" \\ \n","n":[1,2.5,-3e+21,null,true],"o":{"a":{}}}`)}
	},
	"fieldError": func() *graphql.Response {
		return &graphql.Response{
			Errors: gqlerror.List{{Message: "film <1> & more", Path: ast.Path{ast.PathName("movie"), ast.PathIndex(0)},
				Extensions: map[string]any{"code": "BAD_USER_INPUT", "requestId": "r<1>"}}},
			Data:       []byte(`{"movie":null}`),
			Extensions: map[string]any{"bookmark": "b&1", "nested": map[string]any{"z": 1, "a": []any{"<"}}},
		}
	},
	"nullData": func() *graphql.Response {
		return &graphql.Response{Errors: gqlerror.List{{Message: "internal error"}}}
	},
	"tail": func() *graphql.Response {
		hasNext := true
		return &graphql.Response{Data: []byte(`{"x":"y"}`), Label: "l<1>", Path: ast.Path{ast.PathName("a"), ast.PathIndex(2)}, HasNext: &hasNext}
	},
	"nothing": func() *graphql.Response { return nil },
}

// postHandler is gqlgen's handler over a small schema whose operations answer
// cannedResponses, with post as its only transport.
func postHandler(post graphql.Transport) http.Handler {
	schema := gqlparser.MustLoadSchema(&ast.Source{Input: `type Query { title: String n: [Float] }`})
	srv := handler.New(&graphql.ExecutableSchemaMock{
		SchemaFunc:     func() *ast.Schema { return schema },
		ComplexityFunc: func(context.Context, string, string, int, map[string]any) (int, bool) { return 1, true },
		ExecFunc: func(ctx context.Context) graphql.ResponseHandler {
			name := graphql.GetOperationContext(ctx).OperationName
			ran := false
			return func(context.Context) *graphql.Response {
				if ran {
					return nil
				}
				ran = true
				return cannedResponses[name]()
			}
		},
	})
	srv.AddTransport(post)
	return srv
}

// Our POST transport answers every request as gqlgen's transport.POST does: the same
// status, headers and body bytes, for responses that HTML-escaping changes, errors,
// requests that are not GraphQL requests, documents that do not parse or validate, and
// every Accept header the GraphQL-over-HTTP spec names.
func TestPostTransportAnswersAsGqlgens(t *testing.T) {
	ours, theirs := postHandler(postTransport{}), postHandler(transport.POST{})
	bodies := []string{
		`{"query":"query html { title }","operationName":"html"}`,
		`{"query":"query fieldError { title }","operationName":"fieldError"}`,
		`{"query":"query nullData { title }","operationName":"nullData"}`,
		`{"query":"query tail { title }","operationName":"tail"}`,
		`{"query":"query nothing { title }","operationName":"nothing"}`,
		`{"query":"query html { title }","operationName":"html","variables":{"a":1e400}}`, // decodes as a number
		`{"query":"query html { title }","operationName":"html"} trailing`,
		`{"query":"{ title"}`,                             // does not parse
		`{"query":"{ unknown }"}`,                         // does not validate
		`{"query":"query a { title } query b { title }"}`, // no operation chosen
		`{"query":"query html($v: Int!) { title }","operationName":"html","variables":{"v":"x"}}`,
		`{"query":"query html { title }","operationName":"other"}`,
		`{"query":1}`,
		`[]`,
		`null`,
		`not json <password>`,
		``,
	}
	accepts := []string{"", "application/json", "application/graphql-response+json", "*/*", "application/*",
		"text/html", "text/html, application/graphql-response+json;charset=utf-8, application/json;q=0.9", "invalid;;, application/json"}
	for _, body := range bodies {
		for _, accept := range accepts {
			want, got := post(theirs, body, accept), post(ours, body, accept)
			if got.Code != want.Code || got.Header().Get("Content-Type") != want.Header().Get("Content-Type") || got.Body.String() != want.Body.String() {
				t.Errorf("%s with Accept %q:\n got %d %s %s\nwant %d %s %s", body, accept,
					got.Code, got.Header().Get("Content-Type"), got.Body, want.Code, want.Header().Get("Content-Type"), want.Body)
			}
		}
	}
}

func post(h http.Handler, body, accept string) *httptest.ResponseRecorder {
	r := httptest.NewRequest(http.MethodPost, "/graphql", strings.NewReader(body))
	r.Header.Set("Content-Type", "application/json")
	if accept != "" {
		r.Header.Set("Accept", accept)
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w
}

// A response that encoding/json cannot encode is a coded internal error, where gqlgen's
// transport panics.
func TestPostTransportCodesWhatItCannotEncode(t *testing.T) {
	var buf strings.Builder
	writeResponse(&buf, &graphql.Response{Data: []byte(`{}`), Extensions: map[string]any{"bad": func() {}}})
	if want := `{"errors":[{"message":"internal error","extensions":{"code":"INTERNAL_SERVER_ERROR"}}],"data":null}`; buf.String() != want {
		t.Errorf("got %s, want %s", buf.String(), want)
	}
}

// BenchmarkWriteResponse compares writing a person page's worth of data (11 KB) as
// gqlgen's POST does (json.Marshal of the response) and as postTransport does.
func BenchmarkWriteResponse(b *testing.B) {
	var data strings.Builder
	data.WriteString(`{"person":{"name":"Jean Renoir","credits":[`)
	for i := range 100 {
		if i > 0 {
			data.WriteByte(',')
		}
		fmt.Fprintf(&data, `{"movie":{"id":"TW92aWU6%d","title":"La Règle du jeu %d","year":%d},"role":"DIRECTOR"}`, i, i, 1900+i)
	}
	data.WriteString(`]}}`)
	resp := &graphql.Response{Data: []byte(data.String())}
	b.Run("gqlgen", func(b *testing.B) {
		for b.Loop() {
			out, err := json.Marshal(resp)
			if err != nil {
				b.Fatal(err)
			}
			io.Discard.Write(out)
		}
	})
	b.Run("once", func(b *testing.B) {
		for b.Loop() {
			writeResponse(io.Discard, resp)
		}
	})
}
