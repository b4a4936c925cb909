// Package programtest builds the filmgraph program once per test binary, the way the
// Dockerfile builds the image's (which also proves that build line works), and runs it:
// for the tests of the command line (package cli) and of the running server (package
// server).
package programtest

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"filmgraph/internal/testenv"
)

// The tests that run the real program share one binary per test binary.
var builtBinary struct {
	once sync.Once
	dir  string
	path string
	err  error
}

// dockerfileBuild returns the environment assignments and the `go build` arguments of the
// Dockerfile's `RUN CGO_ENABLED=0 go build ...` line, without its -o and output path.
func dockerfileBuild(root string) (env, args []string, err error) {
	f, err := os.Open(filepath.Join(root, "Dockerfile"))
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

// Binary returns the path of the built program; the first caller builds it, in the
// module's root as the Dockerfile's WORKDIR is (its package argument is relative).
func Binary(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	builtBinary.once.Do(func() {
		root, err := testenv.ModuleRoot()
		if err != nil {
			builtBinary.err = err
			return
		}
		env, args, err := dockerfileBuild(root)
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
		cmd.Dir = root
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

// RemoveBinary deletes the shared binary; TestMain calls it once the tests are done.
func RemoveBinary() {
	if builtBinary.dir != "" {
		os.RemoveAll(builtBinary.dir)
	}
}

// Run runs the built program with args and an environment without filmgraph's
// settings plus env, and returns its stdout, stderr and exit status.
func Run(t *testing.T, env []string, args ...string) (stdout, stderr string, status int) {
	t.Helper()
	cmd := exec.Command(Binary(t), args...)
	cmd.Env = append(EnvironWithout("FILMGRAPH_", "NEO4J_", "OTEL_", "JWT_"), env...)
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	cmd.WaitDelay = time.Second
	done := make(chan error, 1)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { done <- cmd.Wait() }()
	var err error
	select {
	case err = <-done:
	case <-time.After(time.Minute):
		cmd.Process.Kill()
		t.Fatalf("filmgraph %v did not exit within a minute", args)
	}
	var exit *exec.ExitError
	if err != nil && !errors.As(err, &exit) {
		t.Fatalf("filmgraph %v: %v", args, err)
	}
	return out.String(), errOut.String(), cmd.ProcessState.ExitCode()
}

// EnvironWithout is this process's environment without the variables whose names start
// with one of prefixes.
func EnvironWithout(prefixes ...string) []string {
	var env []string
	for _, kv := range os.Environ() {
		keep := true
		for _, p := range prefixes {
			if strings.HasPrefix(kv, p) {
				keep = false
			}
		}
		if keep {
			env = append(env, kv)
		}
	}
	return env
}
