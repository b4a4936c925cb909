// Command filmgraph serves the filmgraph GraphQL API over a Neo4j graph of films.
//
//	go run .              serve on :8080; starts and seeds the bundled Neo4j when NEO4J_URI is unset
//	go run . help         list the commands (serve, seed, similar, eval, profile, moderator,
//	                      schema, version); `go run . <command> -h` describes one
//
// The command line is in package cli, the server and what the commands run in package
// server. See README.md for the settings.
package main

import (
	"os"

	"filmgraph/cli"
)

func main() {
	os.Exit(cli.Main(os.Args[1:]))
}
