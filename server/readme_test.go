package server

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"filmgraph/internal/testenv"
	"filmgraph/relay"
)

// readmeText returns README.md, which the tests below hold to what it says.
func readmeText(t *testing.T) string {
	t.Helper()
	readme, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	return string(readme)
}

// readmeSection returns the text under README.md's heading (a whole line, as "## Settings")
// up to the next heading of level 2, failing the test when there is no such heading.
func readmeSection(t *testing.T, heading string) string {
	t.Helper()
	_, section, ok := strings.Cut(readmeText(t), "\n"+heading+"\n")
	if !ok {
		t.Fatalf("README.md has no %q section", heading)
	}
	section, _, _ = strings.Cut(section, "\n## ")
	return section
}

// readmeExamples lists what README.md shows to be run: each line of its `sh` blocks (the
// comment after `#` cut), each inline code span that is a command line, each http(s) URL,
// and each other fenced block, as "```lang N in ## Section" (the Nth of that language in
// the section). Spans wrapped over two lines are joined.
func readmeExamples(t *testing.T) []string {
	t.Helper()
	readme := readmeText(t)
	var out []string
	seen := map[string]bool{}
	add := func(s string) {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	commandWords := regexp.MustCompile(`^((go|npm|docker|filmgraph|cd|apt-get|benchstat) |\.ci/run$)`) // not `filmgraph`, the program's name
	inlineSpan := regexp.MustCompile("`([^`\n]+(?:\n[^`\n]+)?)`")
	url := regexp.MustCompile(`https?://[^\s` + "`" + `)>"',]+`)
	section, fence, body := "", "", []string{}
	counts := map[string]int{}
	for _, line := range strings.Split(readme, "\n") {
		if strings.HasPrefix(line, "```") {
			if fence == "" {
				fence, body = "```"+strings.TrimPrefix(line, "```"), nil
				continue
			}
			if fence == "```sh" {
				for _, l := range body {
					l, _, _ = strings.Cut(l, " #")
					if l = strings.TrimSpace(l); l != "" && !strings.HasPrefix(l, "#") {
						add(l)
					}
				}
			} else {
				key := fence + " in " + section
				counts[key]++
				add(fmt.Sprintf("%s %d in %s", fence, counts[key], section))
			}
			fence = ""
			continue
		}
		if fence != "" {
			body = append(body, line)
			continue
		}
		if strings.HasPrefix(line, "#") {
			section = line
		}
	}
	// Inline spans and URLs, outside fenced blocks.
	prose := regexp.MustCompile("(?ms)^```.*?^```").ReplaceAllString(readme, "")
	for _, m := range inlineSpan.FindAllStringSubmatch(prose, -1) {
		if span := strings.Join(strings.Fields(m[1]), " "); commandWords.MatchString(span) {
			add(span)
		}
	}
	for _, m := range url.FindAllString(readme, -1) {
		add(strings.TrimRight(m, "."))
	}
	return out
}

// readmeCoverage says, for each example README.md shows, which test runs it: a test's name
// (then, after ": ", how, where it is not run literally), "CI: ..." for what .ci/run runs,
// or "not run: why". An example the README gains fails TestEveryREADMEExampleIsAccountedFor
// until it is listed here, which is the place to decide how it is tested.
var readmeCoverage = map[string]string{
	// Try it, Recommendations: GraphQL documents.
	"```graphql 1 in ## Try it":                  "TestREADMEGraphQLExamples",
	"```graphql 1 in ## Recommendations":         "TestREADMEGraphQLExamples",
	"```js 1 in ## From a frontend":              "TestREADMEFrontendExamples",
	"```js 2 in ## From a frontend":              "TestREADMEFrontendExamples",
	"```js 3 in ## From a frontend":              "TestREADMEFrontendExamples",
	"```js 4 in ## From a frontend":              "TestREADMEFrontendExamples",
	"```js 5 in ## From a frontend":              "TestREADMEFrontendExamples",
	"```js 1 in ## Running several replicas":     "TestBookmarkLinksOfApolloAndUrql",
	"```js 2 in ## Running several replicas":     "TestBookmarkLinksOfApolloAndUrql",
	"```js 1 in ## Live updates (subscriptions)": "not run: a fragment, `token` is the caller's; the same graphql-ws set-up runs as the third block of From a frontend (TestREADMEFrontendExamples)",
	"``` 1 in ## Command line":                   "TestVersionNamesTheCommit: checks the three lines' form (name, commit, Go version)",
	"``` 1 in ## Design":                         "not run: the package map",
	"``` 1 in ## Running several replicas":       "not run: a diagram",

	// Commands.
	"go run .":                        "TestChaosKillBundledNeo4j: the built program with no command and no NEO4J_URI, as go run . runs it",
	"go test ./...":                   "CI: .ci/run runs go test -count=1 -race -shuffle=on -timeout 25m ./...",
	"go test ./server":                "CI: part of .ci/run's go test ./...",
	"go test":                         "CI: named only (.ci/run's go test)",
	"go vet":                          "CI: .ci/run runs go vet ./...",
	"go build":                        "TestVersionNamesTheCommit: named only; the tests' program is built with the Dockerfile's go build line (internal/programtest)",
	"go test -race -shuffle=on ./...": "CI: .ci/run runs it (with -count=1 -timeout 25m)",
	"go test -run='^$' -fuzz=FuzzGraphQLHandler -fuzztime=20s ./server": "CI: .ci/run runs it as written",
	".ci/run":                  "not run: it is CI",
	"go run ./graph/generate":  "CI: .ci/run runs it and fails on a diff",
	"go generate ./graph":      "not run: the same generator as go run ./graph/generate, through //go:generate",
	"go test ./cypher -update": "not run: rewrites the golden files (plain go test ./cypher compares with them)",
	"go test -run TestTrustedDocumentsManifest -update-manifest": "not run: rewrites docs/queries/manifest.json (TestTrustedDocumentsManifest without the flag checks it is current)",
	"apt-get install -y chromium":                                "CI: .ci/run installs chromium so",
	"cd web/ui && npm ci && npm run build":                       "not run: needs web/ui's build dependencies; web/dist is committed and the browser tests use it",
	"npm ci":                                                     "not run: part of the web/ui build line",
	"npm run dev":                                                "not run: a development server",
	"go run . help":                                              "TestHelpListsTheCommands: the built program's help, -h and --help",
	"go run . <command> -h":                                      "TestEachCommandHasHelp: every command's -h",
	"filmgraph version":                                          "TestVersionNamesTheCommit",
	"go run . schema":                                            "TestSchemaSDLForCodegen: the built program's schema command",
	"go run . schema > schema.graphql":                           "TestSchemaSDLForCodegen: the built program's schema command, its stdout",
	"go run . profile":                                           "not run: only profile -h (TestEachCommandHasHelp); the db hits of the example operations are read in process by TestRecommendedWithoutReasonsComputesNoReasons",
	"go run . seed":                                              "TestSeedIfMissingFindsEverything: seed --if-missing over the seeded test database",
	"filmgraph seed --if-missing":                                "TestSeedIfMissingFindsEverything",
	"go run . similar":                                           "not run: a full similarity refresh (17 min under load) would rewrite the edges the other tests read; similar -h by TestEachCommandHasHelp",
	"go run . eval":                                              "not run: a full offline evaluation; eval -h by TestEachCommandHasHelp, the evaluation itself by recommend/eval's tests",
	"go run . moderator <username>":                              "TestModeratorSubcommand",
	"NEO4J_PASSWORD='<8+ characters>' JWT_SECRET='<32+ bytes>' docker compose up --build":           "not run: no Docker engine in CI; TestDeployFilesNameOnlyRealSettings checks compose.yaml's settings and commands",
	"go run ./recommend/latency [-c 1,8]":                                                           "TestLatencyProgramAsTheREADMEWritesIt: as -c 1,8 -leakage -films 10 over the test database",
	"go run ./recommend/latency -scale N -similar asked -c 8,8,8,1 -warmup 15":                      "TestLatencyProgramAsTheREADMEWritesIt: with N = 1 and -films 10 over the test database",
	"go run ./recommend/latency -leakage":                                                           "TestLatencyProgramAsTheREADMEWritesIt: with -c 1,8 -films 10",
	"go run ./recommend/latency -scale 10":                                                          "not run: loads 10x data into a Neo4j of its own (37 min under load)",
	"go run ./bench":                                                                                "not run: about 6 minutes; TestBenchmarkHarnessSmoke runs its harness briefly",
	"go run ./bench -scale 10":                                                                      "not run: 10x data and its similarity edges (about 35 min)",
	"go run ./bench -duration 10s -c 1,8 -ops moviePage,search":                                     "not run: a minute of load on the shared test database; TestBenchmarkHarnessSmoke runs the harness briefly",
	"go run ./bench -ops moviePage -c 8 -sides filmgraph -cpuprofile cpu.prof -memprofile mem.prof": "not run: a benchmark run with profiles",
	"go test -run '^$' -bench ExampleOperations -benchmem -count 8 ./server > new.txt":              "not run: a benchmark (BenchmarkExampleOperations), not run by go test without -bench",
	"benchstat old.txt new.txt":                                                                     "not run: compares two benchmark outputs",

	// URLs.
	"http://localhost:8080/":                          "TestBrowserREADMEURLs: the pages, on the test server's address",
	"http://localhost:8080/graphql":                   "TestREADMEFrontendExamples: on the test server's address",
	"http://localhost:8080/graphql/schema.graphql":    "TestSchemaSDLForCodegen: on the test server's address",
	"http://localhost:8080/static/widget.js":          "TestBrowserREADMEURLs: the script-tag example's data-movie widget, on the test server's address",
	"http://otel-collector:4318":                      "not run: an example value of OTEL_EXPORTER_OTLP_ENDPOINT (no collector in the tests)",
	"https://films.example":                           "not run: an example value of CORS_ALLOWED_ORIGINS",
	"https://creativecommons.org/licenses/by-sa/4.0/": "not run: a link to the licence",
}

// TestEveryREADMEExampleIsAccountedFor: every command, URL and example README.md shows is
// listed in readmeCoverage, every entry there is still in the README, and every test an
// entry names exists.
func TestEveryREADMEExampleIsAccountedFor(t *testing.T) {
	examples := readmeExamples(t)
	if len(examples) < 40 {
		t.Fatalf("only %d examples found in README.md: is the extraction broken?\n%s", len(examples), strings.Join(examples, "\n"))
	}
	tests := testFunctions(t)
	found := map[string]bool{}
	for _, e := range examples {
		found[e] = true
		how, ok := readmeCoverage[e]
		if !ok {
			t.Errorf("README.md shows %q, which readmeCoverage does not list: run it from a test (or say why not) and list it", e)
			continue
		}
		name, _, _ := strings.Cut(how, ":")
		if name != "CI" && name != "not run" && !tests[name] {
			t.Errorf("%q: readmeCoverage names %s, which is no test of the module", e, name)
		}
	}
	for e := range readmeCoverage {
		if !found[e] {
			t.Errorf("readmeCoverage lists %q, which README.md no longer shows", e)
		}
	}
}

// testFunctions returns the names of the module's test functions.
func testFunctions(t *testing.T) map[string]bool {
	t.Helper()
	root, err := testenv.ModuleRoot()
	if err != nil {
		t.Fatal(err)
	}
	names := map[string]bool{}
	decl := regexp.MustCompile(`(?m)^func (Test\w+)\(`)
	err = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == "node_modules" || strings.HasPrefix(d.Name(), ".")) && path != root {
			return filepath.SkipDir
		}
		if strings.HasSuffix(path, "_test.go") {
			src, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			for _, m := range decl.FindAllStringSubmatch(string(src), -1) {
				names[m[1]] = true
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return names
}

// TestREADMEGraphQLExamples posts every ```graphql block of README.md as written to the
// test server: each must answer without errors, in one statement (one top-level field), with
// the film its `# "Title"` comment names, as the graph has it; a block with `recommended`
// must list some recommendations, each with a reason.
func TestREADMEGraphQLExamples(t *testing.T) {
	readme := readmeText(t)
	blocks := regexp.MustCompile("(?ms)^```graphql\n(.*?)^```").FindAllStringSubmatch(readme, -1)
	if len(blocks) < 2 {
		t.Fatalf("found %d graphql blocks in README.md, want the Try it and Recommendations examples", len(blocks))
	}
	named := regexp.MustCompile(`movie\(id: "(\w+)"\)\s*\{\s*# "([^"]+)"`)
	for i, b := range blocks {
		t.Run(fmt.Sprint("block", i+1), func(t *testing.T) {
			m := named.FindStringSubmatch(b[1])
			if m == nil {
				t.Fatalf("no movie(id: ...) { # \"Title\" in:\n%s", b[1])
			}
			_, key, err := relay.ParseID(m[1])
			if err != nil {
				t.Fatal(err)
			}
			rows := cypherRows(t, `MATCH (m:Movie) WHERE m.movieId = toInteger($key) RETURN m.title AS title`, map[string]any{"key": key})
			if len(rows) != 1 || rows[0]["title"] != m[2] {
				t.Fatalf("the graph has %v for %s, the README's comment says %q", rows, m[1], m[2])
			}
			data := mustDo(t, "", b[1], nil, 1)
			if got := at(data, "movie.title"); got != m[2] {
				t.Errorf("movie.title %v, want %q", got, m[2])
			}
			if strings.Contains(b[1], "recommended(") {
				edges, _ := at(data, "movie.recommended.edges").([]any)
				if len(edges) == 0 {
					t.Fatalf("no recommendations for %s", m[2])
				}
				for _, e := range edges {
					if reasons, _ := at(e, "node.reasons").([]any); len(reasons) == 0 {
						t.Errorf("a recommendation without a reason: %v", e)
					}
				}
			}
		})
	}
}
