package server

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"filmgraph/graph"
)

// TestREADMEFrontendExamples runs every `js` block of the README's "From a frontend"
// section with Node, as written, against a real server (localhost:8080 replaced by the
// test server's address; the persisted-query example against one in trusted documents
// mode), and checks that it exits cleanly and prints, in order, what its `// →` comments
// say. A subscription example ends at its first event: a member rates its film meanwhile.
func TestREADMEFrontendExamples(t *testing.T) {
	nodeClients(t)
	section := readmeSection(t, "## From a frontend")
	blocks := regexp.MustCompile("(?s)```js\n(.*?)```").FindAllStringSubmatch(section, -1)
	if len(blocks) < 5 {
		t.Fatalf("the section has %d js blocks, want the Apollo, urql, WebSocket, SSE and persisted-query set-ups", len(blocks))
	}
	docs, err := graph.LoadTrustedDocuments(manifestPath)
	if err != nil {
		t.Fatal(err)
	}
	trusted, _ := newTestServer(t, func(c *config) { c.graphql.TrustedDocuments = docs })
	member := signUp(t, "readme")
	filmOf := regexp.MustCompile(`subscription \w+\(\$id: ID!\)[\s\S]*?id: '(\w+)'`)

	for i, block := range blocks {
		code := block[1]
		t.Run(fmt.Sprintf("block%d", i+1), func(t *testing.T) {
			base := testServer.URL
			if strings.Contains(code, "PersistedQueryLink") {
				base = trusted.URL
			}
			run := strings.ReplaceAll(code, "http://localhost:8080", base)
			run = strings.ReplaceAll(run, "ws://localhost:8080", "ws"+strings.TrimPrefix(base, "http"))
			file := filepath.Join(clientsDir, fmt.Sprintf("readme-example-%d.mjs", i+1))
			prelude := "globalThis.WebSocket ??= (await import('ws')).WebSocket; // as in a browser\n"
			if err := os.WriteFile(file, []byte(prelude+run), 0o644); err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { os.Remove(file) })

			ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
			defer cancel()
			cmd := exec.CommandContext(ctx, "node", filepath.Base(file))
			cmd.Dir = clientsDir
			var stdout, stderr strings.Builder
			cmd.Stdout, cmd.Stderr = &stdout, &stderr
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			done := make(chan error, 1)
			go func() { done <- cmd.Wait() }()
			var runErr error
			if m := filmOf.FindStringSubmatch(code); m != nil {
			rate:
				for n := 0; ; n++ {
					select {
					case runErr = <-done:
						break rate
					case <-time.After(500 * time.Millisecond):
						if n < 60 {
							postAs(t, member.Token, `mutation($id: ID!, $s: Int!) { rateMovie(movieId: $id, score: $s) { id } }`, map[string]any{"id": m[1], "s": 1 + n%10})
						}
					}
				}
			} else {
				runErr = <-done
			}
			if runErr != nil {
				t.Fatalf("node: %v\nstdout:\n%s\nstderr:\n%s", runErr, stdout.String(), stderr.String())
			}
			if stderr.Len() > 0 {
				t.Errorf("the example wrote to stderr:\n%s", stderr.String())
			}
			out := stdout.String()
			at := 0
			for _, line := range strings.Split(code, "\n") {
				parts := strings.Split(line, "// → ")
				for _, want := range parts[1:] {
					want = strings.TrimSpace(want)
					i := strings.Index(out[at:], want)
					if i < 0 {
						t.Errorf("the example does not print %q (after what it printed before); it printed:\n%s", want, out)
						continue
					}
					at += i + len(want)
				}
			}
			t.Logf("printed: %s", strings.ReplaceAll(strings.TrimSpace(out), "\n", " | "))
		})
	}
}
