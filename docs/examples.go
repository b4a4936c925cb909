// Package docs embeds the checked-in example operations (queries/, subscriptions/) that
// GraphiQL opens as tabs.
package docs

import (
	"embed"
	"io/fs"
)

//go:embed queries/*.graphql subscriptions/*.graphql
var examplesFS embed.FS

// ExampleOperations are the checked-in example operations GraphiQL opens as tabs: the
// queries of docs/queries, then the subscriptions of docs/subscriptions.
func ExampleOperations() []fs.FS {
	var out []fs.FS
	for _, dir := range []string{"queries", "subscriptions"} {
		sub, err := fs.Sub(examplesFS, dir)
		if err != nil {
			panic(err)
		}
		out = append(out, sub)
	}
	return out
}
