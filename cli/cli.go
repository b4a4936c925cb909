// Package cli is filmgraph's command line (spf13/cobra): its commands, their usage and
// exit statuses, `version`; package server runs what the commands do.
package cli

import (
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"runtime"
	"runtime/debug"

	"github.com/spf13/cobra"

	"filmgraph/graph"
	"filmgraph/observe"
	"filmgraph/server"
)

// Main runs the command line args (without the program name) and returns the process's
// exit status (exitCode).
func Main(args []string) int {
	return exitCode(run(args), os.Stderr)
}

// usageError is a command line that names no command or breaks its rules (unknown
// command, bad flag, wrong number of arguments): nothing ran. It exits 2 with the usage.
type usageError struct {
	err   error
	usage string
}

func (e usageError) Error() string { return e.err.Error() }
func (e usageError) Unwrap() error { return e.err }

// exitCode reports err on stderr and turns it into the process's exit status: 0 without
// an error, 2 for a usage error (as Unix tools and Go's flag package do), 1 otherwise.
func exitCode(err error, stderr io.Writer) int {
	var usage usageError
	switch {
	case err == nil:
		return 0
	case errors.As(err, &usage):
		fmt.Fprintf(stderr, "filmgraph: %v\n\n%s", usage.err, usage.usage)
		return 2
	default:
		fmt.Fprintln(stderr, "filmgraph:", err)
		return 1
	}
}

// run executes the command line args (without the program name). No command serves.
func run(args []string) error {
	started := false
	root := newCLI(&started)
	root.SetArgs(args)
	cmd, err := root.ExecuteC()
	if err != nil && !started {
		return usageError{err: err, usage: cmd.UsageString()}
	}
	return err
}

// newCLI builds the command tree; *started is set once a command's arguments have been
// accepted and it begins to run, which separates usage errors from failures.
func newCLI(started *bool) *cobra.Command {
	// runs turns a command's work into a cobra RunE that marks the start.
	runs := func(work func(args []string) error) func(*cobra.Command, []string) error {
		return func(_ *cobra.Command, args []string) error {
			*started = true
			return work(args)
		}
	}
	serve := func(args []string) error { return server.RunCommand("serve", args) }
	root := &cobra.Command{
		Use:   "filmgraph",
		Short: "filmgraph serves a GraphQL API over a Neo4j graph of films",
		Long: `filmgraph serves a GraphQL API over a Neo4j graph of films, people and their ratings.

With no command it serves (see "serve"). Settings come from the environment
(FILMGRAPH_*, NEO4J_*, ...): see README.md, "Settings".`,
		Args:          cobra.NoArgs,
		RunE:          runs(serve),
		SilenceErrors: true, // main reports errors, and the usage only for usage errors
		SilenceUsage:  true,
	}
	root.CompletionOptions.DisableDefaultCmd = true
	cobra.EnableCommandSorting = false // list the commands in the order below
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return err })

	var tune bool
	evalCmd := &cobra.Command{
		Use:   "eval",
		Short: "Evaluate the recommendations offline (HR@10, NDCG@10) in a throw-away Neo4j",
		Long: `Splits MovieLens-small by time, loads the training part into a fresh bundled Neo4j,
computes the similarity edges and measures the personal picks against the held-out
ratings (see README.md, "Offline evaluation"). NEO4J_URI is not used.`,
		Args: cobra.NoArgs,
		RunE: runs(func([]string) error {
			return runEval(observe.NewLogger(os.Stderr, false, slog.LevelInfo), tune)
		}),
	}
	evalCmd.Flags().BoolVar(&tune, "tune", false, "first choose the personal picks' blend on the validation split")

	var ifMissing bool
	seedCmd := &cobra.Command{
		Use:   "seed",
		Short: "Load the bundled seed into the configured Neo4j and compute the similarity edges",
		Long: `Loads the bundled seed into the configured Neo4j (NEO4J_URI, or the bundled one), then
recomputes the similarity edges. Idempotent: a second run changes nothing.`,
		Args: cobra.NoArgs,
		RunE: runs(func(args []string) error {
			if ifMissing {
				return server.RunCommand("seed --if-missing", args)
			}
			return server.RunCommand("seed", args)
		}),
	}
	seedCmd.Flags().BoolVar(&ifMissing, "if-missing", false,
		"load only a seed that is not there, and compute only similarity edges that are not complete (a container's start; the server then computes those of the films nobody rated)")

	root.AddCommand(
		&cobra.Command{
			Use:   "serve",
			Short: "Serve GraphQL and the web pages (the default); starts the bundled Neo4j when NEO4J_URI is unset",
			Long: `Serves GraphQL at /graphql, GraphiQL and the demo pages at /, /healthz, /readyz and
/metrics, on FILMGRAPH_ADDR (default :8080). When NEO4J_URI is unset it starts the
bundled Neo4j, and on its first start loads the seed and computes the similarity edges
(those of the films nobody rated while it serves).`,
			Args: cobra.NoArgs,
			RunE: runs(serve),
		},
		seedCmd,
		&cobra.Command{
			Use:   "similar",
			Short: "Recompute the similarity edges that recommendations read",
			Args:  cobra.NoArgs,
			RunE:  runs(func(args []string) error { return server.RunCommand("similar", args) }),
		},
		evalCmd,
		&cobra.Command{
			Use:   "profile",
			Short: "Print the Neo4j db hits of the example operations in docs/queries (Markdown)",
			Args:  cobra.NoArgs,
			RunE:  runs(func(args []string) error { return server.RunCommand("profile", args) }),
		},
		&cobra.Command{
			Use:   "moderator <username>",
			Short: "Give a member the MODERATOR role (the API cannot)",
			Args:  cobra.ExactArgs(1),
			RunE:  runs(func(args []string) error { return server.RunCommand("moderator", args) }),
		},
		&cobra.Command{
			Use:   "schema",
			Short: "Print the GraphQL schema as one SDL document (for codegen)",
			Args:  cobra.NoArgs,
			RunE: runs(func([]string) error {
				_, err := fmt.Print(graph.SDL())
				return err
			}),
		},
		&cobra.Command{
			Use:   "version",
			Short: "Print the module version, the VCS commit it was built from and the Go version",
			Args:  cobra.NoArgs,
			RunE: runs(func([]string) error {
				_, err := fmt.Print(versionText())
				return err
			}),
		},
	)
	return root
}

// versionText describes this binary from the build information the Go toolchain embeds:
// the main module's version ("(devel)" for a build from a checkout without a tag) and the
// VCS commit, its time and whether the tree had uncommitted changes. A build without VCS
// stamping (-buildvcs=false, or not from a git checkout) says "commit unknown".
func versionText() string {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return "filmgraph (no build information)\n"
	}
	settings := map[string]string{}
	for _, s := range info.Settings {
		settings[s.Key] = s.Value
	}
	text := fmt.Sprintf("filmgraph %s\n", info.Main.Version)
	if commit := settings["vcs.revision"]; commit != "" {
		text += "commit " + commit
		if at := settings["vcs.time"]; at != "" {
			text += " (" + at + ")"
		}
		if settings["vcs.modified"] == "true" {
			text += " with uncommitted changes"
		}
		text += "\n"
	} else {
		text += "commit unknown (built without VCS information)\n"
	}
	return text + fmt.Sprintf("%s %s/%s\n", info.GoVersion, runtime.GOOS, runtime.GOARCH)
}
