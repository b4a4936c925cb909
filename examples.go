package main

import (
	"embed"
	"io/fs"
)

//go:embed docs/queries/*.graphql
var examplesFS embed.FS

// exampleOperations are the checked-in example operations GraphiQL opens as tabs.
func exampleOperations() fs.FS {
	sub, err := fs.Sub(examplesFS, "docs/queries")
	if err != nil {
		panic(err)
	}
	return sub
}
