package server

import (
	"bufio"
	"debug/elf"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/goccy/go-yaml"

	"filmgraph/internal/programtest"
	"filmgraph/relay"
)

// TestStaticBinaryServesOverNeo4jURI is CI's smoke test of the image's program: built as
// the Dockerfile builds it (programtest.Binary), it is a static executable, and started with
// NEO4J_URI naming the test Neo4j (as compose.yaml names its Neo4j) it becomes ready and
// answers the film page's query with what the database holds.
func TestStaticBinaryServesOverNeo4jURI(t *testing.T) {
	bin := programtest.Binary(t)
	f, err := elf.Open(bin)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for _, p := range f.Progs {
		if p.Type == elf.PT_INTERP {
			t.Errorf("the binary asks for a dynamic loader: it is not static")
		}
	}
	if libs, _ := f.ImportedLibraries(); len(libs) > 0 {
		t.Errorf("the binary links shared libraries %v", libs)
	}
	info, err := exec.Command("go", "version", "-m", bin).Output()
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"\tbuild\tCGO_ENABLED=0\n", "\tbuild\t-trimpath=true\n"} {
		if !strings.Contains(string(info), want) {
			t.Errorf("go version -m lacks %q:\n%s", strings.TrimSpace(want), info)
		}
	}

	srv := startServer(t)
	resp, err := http.Get(srv.base + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	var health strings.Builder
	_, _ = bufio.NewReader(resp.Body).WriteTo(&health)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(health.String(), `"bundled":false`) {
		t.Errorf("/healthz: %d %s", resp.StatusCode, health.String())
	}
	moviePage, err := os.ReadFile("../docs/queries/moviePage.graphql")
	if err != nil {
		t.Fatal(err)
	}
	want := cypherRows(t, `MATCH (m:Movie {movieId: $id}) RETURN m.title AS title`, map[string]any{"id": referenceMovieLensID})
	status, page := postJSON(t, srv.base+"/graphql", map[string]any{
		"query": string(moviePage), "variables": map[string]any{"id": relay.ID("Movie", fmt.Sprint(referenceMovieLensID))},
	})
	if status != 200 || len(page.Errors) > 0 || len(want) != 1 || !strings.Contains(string(page.Data), fmt.Sprintf(`"title":%q`, want[0]["title"])) {
		t.Errorf("moviePage: %d %v, want the title %v:\n%.400s", status, page.codes(), want, page.Data)
	}
}

// documentedSettings returns every variable of README's tables of settings (Settings and
// the accounts' JWT_* table).
func documentedSettings(t *testing.T) []string {
	t.Helper()
	readme := readmeText(t)
	var names []string
	for _, m := range regexp.MustCompile("(?m)^\\| `([A-Z][A-Z0-9_]+)` \\|").FindAllStringSubmatch(readme, -1) {
		names = append(names, m[1])
	}
	return names
}

// TestDeployFilesNameOnlyRealSettings: every variable the Dockerfile and compose.yaml give
// filmgraph is a documented setting that the program accepts with that value, the
// commands compose runs exist, and compose's Neo4j is the version the project runs.
func TestDeployFilesNameOnlyRealSettings(t *testing.T) {
	documented := documentedSettings(t)
	env := map[string]string{} // what the deploy files set, to check loadConfig accepts it
	check := func(where, name, value string) {
		if !slices.Contains(documented, name) {
			t.Errorf("%s sets %s, which README does not document as a setting", where, name)
		}
		env[name] = value
	}

	dockerfile, err := os.ReadFile("../Dockerfile")
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range regexp.MustCompile(`(?m)^ENV (.+)$`).FindAllSubmatch(dockerfile, -1) {
		for _, kv := range strings.Fields(string(m[1])) {
			name, value, ok := strings.Cut(kv, "=")
			if !ok {
				t.Fatalf("Dockerfile: ENV %q is not NAME=value", kv)
			}
			check("Dockerfile", name, value)
		}
	}

	raw, err := os.ReadFile("../compose.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var compose struct {
		Services map[string]struct {
			Image       string            `yaml:"image"`
			Build       any               `yaml:"build"`
			Command     []string          `yaml:"command"`
			Environment map[string]string `yaml:"environment"`
			Healthcheck struct {
				Test []string `yaml:"test"`
			} `yaml:"healthcheck"`
		} `yaml:"services"`
	}
	if err := yaml.Unmarshal(raw, &compose); err != nil {
		t.Fatalf("compose.yaml: %v", err)
	}
	neo4j, ok := compose.Services["neo4j"]
	if pom, _ := os.ReadFile("../launcher/java/pom.xml"); !ok || !strings.HasPrefix(neo4j.Image, "neo4j:5.26") ||
		!strings.Contains(string(pom), "<neo4j.version>5.26.") {
		t.Errorf("compose's Neo4j is %q; the bundled one is 5.26", neo4j.Image)
	}
	filmgraphServices := 0
	for name, svc := range compose.Services {
		if svc.Image != "filmgraph" {
			continue
		}
		filmgraphServices++
		for k, v := range svc.Environment {
			check("compose.yaml service "+name, k, v)
		}
		if uri := svc.Environment["NEO4J_URI"]; uri != "bolt://neo4j:7687" {
			t.Errorf("compose.yaml service %s: NEO4J_URI %q does not name the neo4j service", name, uri)
		}
		// The command line exists: with -h the program parses it and runs nothing.
		if _, stderr, status := programtest.Run(t, nil, append(svc.Command, "-h")...); status != 0 {
			t.Errorf("compose.yaml service %s: `filmgraph %s` is not a valid command line: %s", name, strings.Join(svc.Command, " "), stderr)
		}
		if test := strings.Join(svc.Healthcheck.Test, " "); name == "filmgraph" && !strings.Contains(test, "/readyz") {
			t.Errorf("compose.yaml service filmgraph: health check %q does not ask /readyz", test)
		}
	}
	if filmgraphServices != 2 || !strings.Contains(string(dockerfile), "/readyz") {
		t.Errorf("compose.yaml has %d filmgraph services (want seed and filmgraph); the Dockerfile's health check must ask /readyz", filmgraphServices)
	}

	// The values are ones the program accepts (compose's ${...} stand for secrets).
	for name, value := range env {
		if strings.HasPrefix(value, "${") {
			value = "a-secret-of-more-than-32-bytes-0123456789"
		}
		t.Setenv(name, value)
	}
	if _, err := loadConfig(); err != nil {
		t.Errorf("the deploy files' settings are refused: %v", err)
	}
}
