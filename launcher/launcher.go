// Package launcher runs the Neo4j Community server bundled with filmgraph, so
// that `go run .` and the tests need only Java and Maven, not a Neo4j install.
//
// The server is a small Java program (java/ beside this file, embedded in the
// Go binary) that runs Neo4j embedded with a loopback-only Bolt connector. It
// is compiled with Maven on first use into the user's cache directory and
// started as a child process that stops when its parent does.
package launcher

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
)

const (
	readyPrefix = "filmgraph-neo4j ready "
	errorPrefix = "filmgraph-neo4j: error: "
	// readyTimeout bounds a start: a cold JVM plus store creation takes seconds,
	// so two minutes means something is wrong, not slow.
	readyTimeout = 120 * time.Second
	// stopTimeout bounds a clean shutdown before the JVM is killed.
	stopTimeout = 30 * time.Second
)

// Options configures Start.
type Options struct {
	// DataDir holds the store and Neo4j's logs (DataDir/logs); it is created if
	// missing and may be reused across starts.
	DataDir string
	// Port is the Bolt port on 127.0.0.1; 0 picks a free one, which is what
	// tests want so that parallel packages never collide.
	Port int
	// Password for the neo4j user, set on every start; empty generates a random
	// one (read it back from Instance.Password).
	Password string
	// HeapMB caps the JVM heap; 0 means 1024.
	HeapMB int
	// PageCacheMB caps Neo4j's off-heap page cache; 0 means 256.
	PageCacheMB int
	// JVMOptions are passed to java after the launcher's own, so that they win where
	// both set the same thing (e.g. -Xlog:gc:file=gc.log or another collector).
	JVMOptions []string
	// Log receives progress lines and the JVM's stderr; nil discards them.
	Log io.Writer
	// Building, when set, is called when the launcher must be compiled with Maven (the
	// first run only), and the func it returns once that is over: for a progress display.
	Building func() (done func(error))
}

// Instance is a running Neo4j started by Start.
type Instance struct {
	URI      string // bolt://127.0.0.1:PORT
	Username string // always "neo4j"
	Password string

	cmd      *exec.Cmd
	stdin    io.Closer
	stderr   *tail
	exited   chan struct{} // closed when the JVM has exited and its output is drained
	waitErr  error         // valid once exited is closed
	stopOnce sync.Once
	stopErr  error
}

// Start builds the launcher if needed, starts Neo4j and returns once it
// accepts authenticated Bolt connections. ctx bounds the start only: the
// server keeps running until Stop or until this process exits.
func Start(ctx context.Context, opts Options) (*Instance, error) {
	if err := CheckPrerequisites(); err != nil {
		return nil, err
	}
	return launch(ctx, opts)
}

// launch is Start without the prerequisite check, which costs a JVM start of its own and
// which a restart has passed already.
func launch(ctx context.Context, opts Options) (*Instance, error) {
	if opts.DataDir == "" {
		return nil, errors.New("launcher: Options.DataDir is required")
	}
	dataDir, err := filepath.Abs(opts.DataDir)
	if err != nil {
		return nil, err
	}
	if opts.HeapMB == 0 {
		opts.HeapMB = 1024
	}
	if opts.PageCacheMB == 0 {
		opts.PageCacheMB = 256
	}
	if opts.Password == "" {
		opts.Password = randomPassword()
	}
	log := &syncWriter{w: opts.Log}
	if opts.Log == nil {
		log.w = io.Discard
	}

	b, err := ensureBuilt(ctx, log, opts.Building)
	if err != nil {
		return nil, err
	}

	ctx, cancel := context.WithTimeout(ctx, readyTimeout)
	defer cancel()

	ready := make(chan string, 1)
	inst := &Instance{Username: "neo4j", Password: opts.Password, stderr: &tail{max: 20}, exited: make(chan struct{})}
	args := append(jvmOptions(opts.HeapMB), opts.JVMOptions...)
	args = append(args,
		"-cp", b.classpath,
		"filmgraph.launcher.Main",
		"--data-dir", dataDir,
		"--port", strconv.Itoa(opts.Port),
		"--pagecache", strconv.Itoa(opts.PageCacheMB)+"m",
	)
	cmd := exec.Command("java", args...)
	// The password goes through the environment so it does not show in ps.
	cmd.Env = append(os.Environ(), "NEO4J_PASSWORD="+opts.Password)
	cmd.Stdout = &lineWriter{fn: func(line string) {
		if uri, ok := strings.CutPrefix(line, readyPrefix); ok {
			select {
			case ready <- uri:
			default:
			}
			return
		}
		fmt.Fprintln(log, line)
	}}
	cmd.Stderr = &lineWriter{fn: func(line string) {
		inst.stderr.add(line)
		fmt.Fprintln(log, line)
	}}
	// The launcher exits when this pipe reaches EOF, which happens when we close
	// it in Stop or when this process dies for any reason.
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	dieWithParent(cmd)
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start java: %w", err)
	}
	inst.cmd, inst.stdin = cmd, stdin
	go func() {
		inst.waitErr = cmd.Wait()
		close(inst.exited)
	}()

	select {
	case inst.URI = <-ready:
	case <-inst.exited:
		return nil, fmt.Errorf("neo4j did not start (%v): %s", inst.waitErr, inst.stderr.reason())
	case <-ctx.Done():
		inst.Stop()
		return nil, fmt.Errorf("neo4j did not report ready: %w; last output: %s", ctx.Err(), inst.stderr.reason())
	}

	if err := waitConnectable(ctx, inst); err != nil {
		inst.Stop()
		return nil, err
	}
	return inst, nil
}

// jvmOptions are the JVM settings of every bundled Neo4j.
func jvmOptions(heapMB int) []string {
	return []string{
		"-Xmx" + strconv.Itoa(heapMB) + "m",
		// The whole heap from the start, as Neo4j advises: G1 otherwise kept it near what
		// survives a collection (about 200 MB of 1 GB), with a young generation of about
		// 100 MB that filled every few hundred movie pages, each collection a pause of
		// every request in flight; with 1 GB, the young generation is about 600 MB.
		"-Xms" + strconv.Itoa(heapMB) + "m",
		// Cypher generates classes as it plans new statements: at the default threshold
		// (about 20 MB) each start ran three metadata-triggered collection cycles.
		"-XX:MetaspaceSize=256m",
		"-XX:+ExitOnOutOfMemoryError",
		// Neo4j's own start script opens these so the page cache and transaction
		// logs can use direct buffers and native file hints instead of slower fallbacks.
		"--add-opens=java.base/java.nio=ALL-UNNAMED",
		"--add-opens=java.base/java.io=ALL-UNNAMED",
		"--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
		"-Dlog4j2.disable.jmx=true",
	}
}

// waitConnectable proves the server answers Bolt with the credentials we
// hand out, so callers never race the last steps of Neo4j's startup.
func waitConnectable(ctx context.Context, inst *Instance) error {
	driver, err := neo4j.NewDriverWithContext(inst.URI, neo4j.BasicAuth(inst.Username, inst.Password, ""))
	if err != nil {
		return err
	}
	defer driver.Close(context.Background())
	for {
		err := driver.VerifyConnectivity(ctx)
		if err == nil {
			return nil
		}
		select {
		case <-inst.exited:
			return fmt.Errorf("neo4j exited while starting (%v): %s", inst.waitErr, inst.stderr.reason())
		case <-ctx.Done():
			return fmt.Errorf("neo4j at %s is not answering: %w (last error: %v)", inst.URI, ctx.Err(), err)
		case <-time.After(200 * time.Millisecond):
		}
	}
}

// PID is the process id of the Neo4j JVM, for reading its resource use.
func (i *Instance) PID() int { return i.cmd.Process.Pid }

// Stop shuts Neo4j down cleanly and waits for it, killing the JVM if it takes
// longer than 30 s. It is safe to call more than once.
func (i *Instance) Stop() error {
	i.stopOnce.Do(func() { i.stopErr = i.stop() })
	return i.stopErr
}

func (i *Instance) stop() error {
	// Either one alone makes the launcher exit through its shutdown hook.
	i.stdin.Close()
	_ = i.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-i.exited:
	case <-time.After(stopTimeout):
		_ = i.cmd.Process.Kill()
		<-i.exited
		return fmt.Errorf("neo4j did not stop within %v and was killed", stopTimeout)
	}
	var exit *exec.ExitError
	// 143 is the JVM's exit status after a SIGTERM that won the race against the stdin EOF.
	if i.waitErr == nil || (errors.As(i.waitErr, &exit) && exit.ExitCode() == 143) {
		return nil
	}
	return fmt.Errorf("neo4j stopped with %v: %s", i.waitErr, i.stderr.reason())
}

func randomPassword() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b) // never fails on supported platforms
	return hex.EncodeToString(b)
}

// lineWriter calls fn for each complete line written to it.
type lineWriter struct {
	fn  func(string)
	buf []byte
}

func (w *lineWriter) Write(p []byte) (int, error) {
	w.buf = append(w.buf, p...)
	for {
		n := bytes.IndexByte(w.buf, '\n')
		if n < 0 {
			return len(p), nil
		}
		w.fn(strings.TrimRight(string(w.buf[:n]), "\r"))
		w.buf = w.buf[n+1:]
	}
}

// syncWriter serialises writes because stdout and stderr are copied by two goroutines.
type syncWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (s *syncWriter) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.w.Write(p)
}

// tail keeps the last lines of the JVM's stderr for error messages.
type tail struct {
	mu    sync.Mutex
	max   int
	lines []string
}

func (t *tail) add(line string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.lines = append(t.lines, line)
	if len(t.lines) > t.max {
		t.lines = t.lines[1:]
	}
}

// reason prefers the launcher's own one-line error, which says what to fix,
// over whatever else the JVM printed.
func (t *tail) reason() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	for _, l := range t.lines {
		if msg, ok := strings.CutPrefix(l, errorPrefix); ok {
			return msg
		}
	}
	if len(t.lines) == 0 {
		return "no output"
	}
	return strings.Join(t.lines, "\n")
}
