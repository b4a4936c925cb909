package graph

import (
	"context"
	"encoding/json"
	"fmt"
	"os"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/errcode"
	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"filmgraph/apperr"
)

// Trusted documents: in production the server may run only the operations of an
// allow-list, a persisted query manifest in Apollo's format (what
// @apollo/generate-persisted-query-manifest writes; docs/queries/manifest.json is the
// one of the example operations):
//
//	{"format": "apollo-persisted-query-manifest", "version": 1,
//	 "operations": [{"id": "<sha256 of body>", "name": "moviePage", "type": "query", "body": "query moviePage..."}]}
//
// A request names its operation by id, as persisted-query links send it
// (`extensions.persistedQuery.sha256Hash`, the query left out), or sends a body of the
// manifest exactly. Anything else is refused before it is parsed, with
// OPERATION_NOT_TRUSTED. Automatic persisted queries are off then: the manifest is the
// only store of operations.

func init() {
	// Refused operations are not executed: answered as validation failures are
	// (statuses in httpstatus.go).
	errcode.RegisterErrorType(string(apperr.OperationNotTrusted), errcode.KindProtocol)
}

// TrustedDocuments is a loaded manifest: bodies by id, and the set of bodies.
type TrustedDocuments struct {
	byID   map[string]string
	bodies map[string]bool
}

// Len is the number of operations the manifest allows.
func (d *TrustedDocuments) Len() int { return len(d.byID) }

// manifestFormat is the format name of Apollo's persisted query manifests.
const manifestFormat = "apollo-persisted-query-manifest"

// LoadTrustedDocuments reads the manifest at path. Every operation must have an id, a
// unique one, and a body that is a valid operation of filmgraph's schema, so that a
// manifest made for another schema fails at start-up, not request by request.
func LoadTrustedDocuments(path string) (*TrustedDocuments, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var manifest struct {
		Format     string
		Version    int
		Operations []struct{ ID, Name, Body string }
	}
	if err := json.Unmarshal(raw, &manifest); err != nil {
		return nil, fmt.Errorf("%s is not a JSON manifest: %w", path, err)
	}
	if manifest.Format != manifestFormat || manifest.Version != 1 {
		return nil, fmt.Errorf("%s: format %q version %d, want %q version 1", path, manifest.Format, manifest.Version, manifestFormat)
	}
	if len(manifest.Operations) == 0 {
		return nil, fmt.Errorf("%s lists no operations", path)
	}
	schema := NewExecutableSchema(Config{}).Schema()
	docs := &TrustedDocuments{byID: map[string]string{}, bodies: map[string]bool{}}
	for i, op := range manifest.Operations {
		switch {
		case op.ID == "" || op.Body == "":
			return nil, fmt.Errorf("%s: operation %d (%q) has no id or no body", path, i+1, op.Name)
		case docs.byID[op.ID] != "":
			return nil, fmt.Errorf("%s: the id %s is listed twice", path, op.ID)
		}
		if _, errs := gqlparser.LoadQuery(schema, op.Body); len(errs) > 0 {
			return nil, fmt.Errorf("%s: operation %q is not valid against the schema: %v", path, op.Name, errs[0])
		}
		docs.byID[op.ID] = op.Body
		docs.bodies[op.Body] = true
	}
	return docs, nil
}

// trustedOnly is the gqlgen extension that lets only the manifest's operations through.
type trustedOnly struct{ docs *TrustedDocuments }

var _ interface {
	graphql.HandlerExtension
	graphql.OperationParameterMutator
} = trustedOnly{}

func (trustedOnly) ExtensionName() string                   { return "filmgraph/trustedDocuments" }
func (trustedOnly) Validate(graphql.ExecutableSchema) error { return nil }

// MutateOperationParameters puts the body of the request's id in place of its query, or
// refuses it.
func (t trustedOnly) MutateOperationParameters(_ context.Context, p *graphql.RawParams) *gqlerror.Error {
	persisted, _ := p.Extensions["persistedQuery"].(map[string]any)
	id, _ := persisted["sha256Hash"].(string)
	var err *gqlerror.Error
	switch body, listed := t.docs.byID[id]; {
	case id != "" && !listed:
		err = gqlerror.Errorf("this server runs trusted documents only, and %q is not the id of one", id)
	case id != "" && p.Query != "" && p.Query != body:
		err = gqlerror.Errorf("the query is not the trusted document of the id %q", id)
	case id != "":
		p.Query = body
	case p.Query != "" && !t.docs.bodies[p.Query]:
		err = gqlerror.Errorf("this server runs trusted documents only: send the id of a listed operation (extensions.persistedQuery.sha256Hash) or its exact text")
	}
	if err != nil {
		errcode.Set(err, string(apperr.OperationNotTrusted))
	}
	return err
}
