package selection

import (
	"context"
	"crypto/sha256"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

// DocumentDigest hashes the document of each operation once, before the complexity
// estimate and the resolvers, which key their caches with it (CacheKey.Document): a cached
// top-level field then costs the same whatever the size of its document, and a document
// of many aliased root fields is hashed once, not once per field. Register it after the
// extensions that reject operations cheaply and before those that read it.
type DocumentDigest struct{}

// digestStat is where the digest is kept: among the operation's stats, which gqlgen keeps
// per operation and nothing writes during execution.
const digestStat = "filmgraph/documentDigest"

var _ interface {
	graphql.HandlerExtension
	graphql.OperationContextMutator
} = DocumentDigest{}

// ExtensionName names the extension for gqlgen.
func (DocumentDigest) ExtensionName() string { return digestStat }

// Validate accepts any schema.
func (DocumentDigest) Validate(graphql.ExecutableSchema) error { return nil }

// MutateOperationContext hashes the operation's document.
func (DocumentDigest) MutateOperationContext(_ context.Context, op *graphql.OperationContext) *gqlerror.Error {
	op.Stats.SetExtension(digestStat, hashDocument(op.RawQuery))
	return nil
}

// digestOf is the digest of op's document: the one DocumentDigest kept, or (without that
// extension) a new one.
func digestOf(op *graphql.OperationContext) [sha256.Size]byte {
	if digest, ok := op.Stats.GetExtension(digestStat).([sha256.Size]byte); ok {
		return digest
	}
	return hashDocument(op.RawQuery)
}

// hashDocument is a variable so that a test can count its calls.
var hashDocument = func(document string) [sha256.Size]byte {
	return sha256.Sum256([]byte(document))
}
