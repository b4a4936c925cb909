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
//
// gqlgen defers (@defer) only fields it resolves concurrently, so the fields listed in
// deferrable stay concurrent: the long parts of the film and person pages, which a client
// may want after the rest. They cost a goroutine only when two of them are selected on
// one object without @defer (gqlgen runs a lone concurrent field inline).
//
// Two more costs of gqlgen's executor have no option to turn them off, so once the code is
// written the generator replaces the calls that pay them with graph's own (graph/marshal.go,
// same arguments): lists are marshalled without a goroutine per element (marshalList), an
// object makes its @defer group only when one of its fields is deferred (deferredGroup),
// its JSON is written without a map and a copy of each field (objectJSON), and a field is
// resolved with three allocations fewer (resolveField).
//
// A third plugin, pureData (puredata.go), writes graph/puredata_gen.go: for each object
// type of package model, a plan and a JSON writer that serve a selection of pure-data
// fields without gqlgen's per-field resolution; the rewrite makes each object's marshaler
// try them first (see graph/puredata.go).
package main

import (
	"bytes"
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
	if err := api.Generate(cfg, api.AddPlugin(sequentialFields{}), api.AddPlugin(pureData{})); err != nil {
		fmt.Fprintln(os.Stderr, "generate:", err)
		os.Exit(3)
	}
	if err := rewrite(cfg.Exec.Filename, pureDataHooks); err != nil {
		fmt.Fprintln(os.Stderr, "generate:", err)
		os.Exit(4)
	}
}

// rewrites are the calls of gqlgen's generated executor that rewrite replaces, each with a
// function of package graph that takes the same arguments.
var rewrites = []struct{ gqlgen, graph string }{
	// A goroutine per element of a list.
	{"graphql.MarshalSliceConcurrently(", "marshalList("},
	// A @defer group, with its path, for every object.
	{"deferred := graphql.NewDeferredGroup(ctx)", "deferred := deferredGroup(ctx, fields)"},
	// Closures and boxings for every field.
	{"graphql.ResolveField(", "resolveField("},
	// A map of the names written for every object, a copy of every field.
	{"\t\tec.ProcessDeferredGroup(deferred)\n\t}\n\n\treturn out\n}", "\t\tec.ProcessDeferredGroup(deferred)\n\t}\n\n\treturn objectJSON(fields, out)\n}"},
}

// rewrite applies rewrites to the generated executor in file. A call that is missing means
// that gqlgen's output changed: the generator then stops rather than lose the change.
//
// The marshaler of each object type in hooks (_T) first tries pureData_T (see pureData).
func rewrite(file string, hooks []string) error {
	code, err := os.ReadFile(file)
	if err != nil {
		return err
	}
	for _, r := range rewrites {
		if !bytes.Contains(code, []byte(r.gqlgen)) {
			return fmt.Errorf("%s has no %q any more: has gqlgen changed?", file, r.gqlgen)
		}
		code = bytes.ReplaceAll(code, []byte(r.gqlgen), []byte(r.graph))
	}
	for _, name := range hooks {
		head := []byte("func (ec *executionContext) _" + name + "(ctx context.Context, sel ast.SelectionSet, obj ")
		at := bytes.Index(code, head)
		end := bytes.Index(code[max(at, 0):], []byte(" {\n"))
		if at < 0 || end < 0 {
			return fmt.Errorf("%s has no marshaler of %s: has gqlgen changed?", file, name)
		}
		at += end + len(" {\n")
		hook := "\tif m := ec.pureData_" + name + "(ctx, sel, obj); m != nil {\n\t\treturn m\n\t}\n"
		code = append(code[:at:at], append([]byte(hook), code[at:]...)...)
	}
	return os.WriteFile(file, code, 0o644)
}

// sequentialFields resolves the fields of every non-root object in the goroutine of the
// object itself.
type sequentialFields struct{}

func (sequentialFields) Name() string { return "sequentialFields" }

// GenerateCode runs after gqlgen has built its model of the schema and before it writes
// the code, so the change shows in the generated executor.
func (sequentialFields) GenerateCode(data *codegen.Data) error {
	for _, o := range data.Objects {
		if o.Root {
			continue
		}
		// A field is concurrent when its object is: the deferrable ones get a copy of
		// their object that still is.
		concurrent := *o
		o.DisableConcurrency = true
		for _, f := range o.Fields {
			if !deferrable[o.Name+"."+f.Name] {
				continue
			}
			f.Object = &concurrent
			if !f.IsConcurrent() {
				return fmt.Errorf("%s.%s is listed as deferrable but its method takes no context", o.Name, f.Name)
			}
		}
	}
	return nil
}

// deferrable are the fields of non-root objects that @defer can defer.
var deferrable = map[string]bool{
	"Movie.recommended": true,
	"Movie.reviews":     true,
	"Movie.lists":       true,
	"Person.coStars":    true,
}
