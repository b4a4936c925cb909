// Command generate regenerates the gqlgen code of package graph from gqlgen.yml:
//
//	go run ./graph/generate
//
// It is gqlgen's own generator plus one plugin, sequentialFields: below the root types,
// every field of filmgraph reads the map its top-level field's single Cypher statement
// returned (see package cypher), so resolving those fields in goroutines of their own, as
// gqlgen does for any method that takes a context, buys no parallelism and costs a
// goroutine, a stack growth and a wait group per field (58 goroutines per movie page).
// The root fields of Query, which run their statements, stay concurrent.
package main

import (
	"fmt"
	"os"

	"github.com/99designs/gqlgen/api"
	"github.com/99designs/gqlgen/codegen"
	"github.com/99designs/gqlgen/codegen/config"
)

func main() {
	cfg, err := config.LoadConfigFromDefaultLocations()
	if err != nil {
		fmt.Fprintln(os.Stderr, "generate: load gqlgen.yml:", err)
		os.Exit(2)
	}
	if err := api.Generate(cfg, api.AddPlugin(sequentialFields{})); err != nil {
		fmt.Fprintln(os.Stderr, "generate:", err)
		os.Exit(3)
	}
}

// sequentialFields resolves the fields of every non-root object in the goroutine of the
// object itself.
type sequentialFields struct{}

func (sequentialFields) Name() string { return "sequentialFields" }

// GenerateCode runs after gqlgen has built its model of the schema and before it writes
// the code, so the change shows in the generated executor.
func (sequentialFields) GenerateCode(data *codegen.Data) error {
	for _, o := range data.Objects {
		if !o.Root {
			o.DisableConcurrency = true
		}
	}
	return nil
}
