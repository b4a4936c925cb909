package main

import (
	"bufio"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"filmgraph/internal/neo4jtest"
)

// The tests that run the real program share one binary per test binary, built the way the
// Dockerfile builds the image's: that also proves the Dockerfile's build command works.
var builtBinary struct {
	once sync.Once
	dir  string
	path string
	err  error
}

// dockerfileBuild returns the environment assignments and the `go build` arguments of the
// Dockerfile's `RUN CGO_ENABLED=0 go build ...` line, without its -o and output path.
func dockerfileBuild() (env, args []string, err error) {
	f, err := os.Open("Dockerfile")
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	for sc := bufio.NewScanner(f); sc.Scan(); {
		line, ok := strings.CutPrefix(strings.TrimSpace(sc.Text()), "RUN ")
		if !ok || !strings.Contains(line, " go build ") {
			continue
		}
		if strings.ContainsAny(line, `"'\$;&|`) {
			return nil, nil, fmt.Errorf("the Dockerfile's build line needs a shell to read: %q", line)
		}
		words := strings.Fields(line)
		for len(words) > 0 && strings.Contains(words[0], "=") {
			env, words = append(env, words[0]), words[1:]
		}
		if len(words) < 2 || words[0] != "go" || words[1] != "build" {
			return nil, nil, fmt.Errorf("unexpected build line %q", line)
		}
		for i := 2; i < len(words); i++ {
			if words[i] == "-o" {
				i++ // the image's output path
				continue
			}
			args = append(args, words[i])
		}
		return env, args, nil
	}
	return nil, nil, fmt.Errorf("the Dockerfile has no `RUN ... go build` line")
}

// filmgraphBinary returns the path of the built program; the first caller builds it.
func filmgraphBinary(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	builtBinary.once.Do(func() {
		env, args, err := dockerfileBuild()
		if err != nil {
			builtBinary.err = err
			return
		}
		if builtBinary.dir, err = os.MkdirTemp("", "filmgraph-bin-"); err != nil {
			builtBinary.err = err
			return
		}
		builtBinary.path = filepath.Join(builtBinary.dir, "filmgraph")
		args = append([]string{"build", "-o", builtBinary.path}, args...)
		cmd := exec.Command("go", args...)
		cmd.Env = append(os.Environ(), env...)
		if out, err := cmd.CombinedOutput(); err != nil {
			builtBinary.err = fmt.Errorf("go %s: %v\n%s", strings.Join(args, " "), err, out)
		}
	})
	if builtBinary.err != nil {
		t.Fatal(builtBinary.err)
	}
	return builtBinary.path
}

// removeBuiltBinary deletes the shared binary; TestMain calls it once the tests are done.
func removeBuiltBinary() {
	if builtBinary.dir != "" {
		os.RemoveAll(builtBinary.dir)
	}
}

// runningServer is the built program serving over the test Neo4j (startServer).
type runningServer struct {
	base   string // http://127.0.0.1:port
	logs   *syncBuffer
	exited chan struct{}
	err    error // the process's exit, once exited is closed
}

// startServer runs the built program with no command, in production mode, against the test
// Neo4j via NEO4J_URI (plus env), and returns once /readyz answers 200. The server is
// stopped with SIGTERM when the test ends; its log is shown if the test failed.
func startServer(t *testing.T, env ...string) *runningServer {
	t.Helper()
	addr := fmt.Sprintf("127.0.0.1:%d", freePort(t))
	cmd := exec.Command(filmgraphBinary(t))
	cmd.Env = append(environWithout("FILMGRAPH_", "NEO4J_", "OTEL_", "JWT_"),
		"FILMGRAPH_ENV=production", "FILMGRAPH_ADDR="+addr, "FILMGRAPH_PRESTOP_DELAY=0",
		"NEO4J_URI="+neo4jtest.URI(), "NEO4J_USERNAME="+neo4jtest.Username(),
		"NEO4J_PASSWORD="+neo4jtest.Password(), "NEO4J_DATABASE="+neo4jtest.Database(),
		"JWT_SECRET="+string(testSecret))
	cmd.Env = append(cmd.Env, env...)
	s := &runningServer{base: "http://" + addr, logs: &syncBuffer{}, exited: make(chan struct{})}
	cmd.Stdout, cmd.Stderr = s.logs, s.logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { s.err = cmd.Wait(); close(s.exited) }()
	t.Cleanup(func() {
		_ = cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-s.exited:
		case <-time.After(30 * time.Second):
			cmd.Process.Kill()
			<-s.exited
		}
		if t.Failed() {
			t.Logf("the server's log:\n%s", s.logs)
		}
	})
	client := &http.Client{Timeout: 5 * time.Second}
	for deadline := time.Now().Add(2 * time.Minute); ; time.Sleep(100 * time.Millisecond) {
		if resp, err := client.Get(s.base + "/readyz"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return s
			}
		}
		select {
		case <-s.exited:
			t.Fatalf("the server exited before it was ready (%v):\n%s", s.err, s.logs)
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("the server was not ready within 2 minutes:\n%s", s.logs)
		}
	}
}
