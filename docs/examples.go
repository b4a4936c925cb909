package main

import (
	"embed"
	"io/fs"
)

//go:embed docs/queries/*.graphql docs/subscriptions/*.graphql
var examplesFS embed.FS

// exampleOperations are the checked-in example operations GraphiQL opens as tabs: the
// queries of docs/queries, then the subscriptions of docs/subscriptions.
func exampleOperations() []fs.FS {
	var out []fs.FS
	for _, dir := range []string{"docs/queries", "docs/subscriptions"} {
		sub, err := fs.Sub(examplesFS, dir)
		if err != nil {
			panic(err)
		}
		out = append(out, sub)
	}
	return out
}
