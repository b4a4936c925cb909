package launcher

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// These tests kill the supervised JVM with SIGKILL, as the kernel's OOM killer or an
// operator would, and watch what the supervisor does about it.

func TestSupervisorRestartsAKilledJVM(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), startTimeout)
	defer cancel()
	dir := t.TempDir()
	logs := &lockedBuffer{}
	sup := supervise(t, ctx, SupervisorOptions{
		Options: Options{DataDir: dir, HeapMB: 512, PageCacheMB: 64}, // port 0: the first start picks one
		Logger:  slog.New(slog.NewTextHandler(logs, nil)), MinBackoff: time.Second, MaxBackoff: 2 * time.Second,
	})
	first := sup.Status()
	if first.State != Running || first.PID == 0 || first.Restarts != 0 {
		t.Fatalf("after Supervise: %+v", first)
	}
	query(t, ctx, sup.URI, sup.Password, "CREATE (m:Movie {title: 'Survives kill -9'}) RETURN m.title AS title", "title")

	// Kill the JVM and hold its port, so the first restarts fail: the supervisor must keep
	// trying on that port, since the driver's URI names it, and not pick another.
	if err := syscall.Kill(first.PID, syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	killedAt := time.Now()
	port := portOf(t, sup.URI)
	squatter := holdPort(t, port)
	st := waitStatus(t, 2*time.Minute, sup, "a failed restart on the held port", func(st Status) bool {
		return st.State == Restarting && st.Attempt >= 2 && strings.Contains(st.LastError, "already in use")
	})
	if !strings.Contains(st.LastExit, "signal: killed") || st.LastExitAt.Before(killedAt.Add(-time.Second)) {
		t.Errorf("status while restarting: %+v, want the kill as its last exit", st)
	}
	squatter.Close()

	back := waitStatus(t, 3*time.Minute, sup, "running again", func(st Status) bool { return st.State == Running })
	t.Logf("back %v after the kill (with a held port for part of it): pid %d, restarts %d",
		time.Since(killedAt).Round(time.Millisecond), back.PID, back.Restarts)
	if back.PID == 0 || back.PID == first.PID || back.Restarts != 1 || back.LastExit != st.LastExit {
		t.Errorf("status after the restart: %+v", back)
	}
	// Same URI, same password, same data.
	if got := query(t, ctx, sup.URI, sup.Password, "MATCH (m:Movie) RETURN m.title AS title", "title"); got != "Survives kill -9" {
		t.Errorf("after the restart found %v, want the node created before the kill", got)
	}
	for _, want := range []string{"exited unexpectedly", "exit=\"signal: killed\"", "pid=" + fmt.Sprint(first.PID),
		"restarting the bundled Neo4j failed", "already in use", "the bundled Neo4j is back"} {
		if !strings.Contains(logs.String(), want) {
			t.Errorf("the supervisor's log lacks %q:\n%s", want, logs)
		}
	}

	// Stop ends it all: the JVM is gone and stays gone.
	if err := sup.Stop(); err != nil {
		t.Fatalf("Stop: %v", err)
	}
	expectNothingRuns(t, sup, dir, port)
}

func TestSupervisorStopDuringARestart(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), startTimeout)
	defer cancel()
	dir := t.TempDir()
	logs := &lockedBuffer{}
	const pause = 200 * time.Millisecond
	sup := supervise(t, ctx, SupervisorOptions{
		Options: Options{DataDir: dir, HeapMB: 512, PageCacheMB: 64},
		Logger:  slog.New(slog.NewTextHandler(logs, nil)), MinBackoff: pause, MaxBackoff: pause,
	})
	port := portOf(t, sup.URI)
	if err := syscall.Kill(sup.Status().PID, syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	// Stop while the new JVM is starting (a start takes seconds): it must be stopped, and
	// no other started after it.
	waitStatus(t, 30*time.Second, sup, "restarting", func(st Status) bool { return st.State == Restarting })
	deadline := time.Now().Add(30 * time.Second)
	for len(jvmsOn(t, dir)) == 0 && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	if len(jvmsOn(t, dir)) == 0 || sup.Status().State != Restarting {
		t.Fatalf("no restart in progress within 30 s of the kill: %+v\n%s", sup.Status(), logs)
	}
	stopAt := time.Now()
	if err := sup.Stop(); err != nil {
		t.Errorf("Stop: %v", err)
	}
	t.Logf("Stop during a restart took %v", time.Since(stopAt).Round(time.Millisecond))
	expectNothingRuns(t, sup, dir, port)
	if strings.Contains(logs.String(), "is back") {
		t.Errorf("a restart completed after Stop:\n%s", logs)
	}
	if err := sup.Stop(); err != nil {
		t.Errorf("second Stop: %v", err)
	}
}

func TestBackoffDoublesUpToItsCap(t *testing.T) {
	var got []time.Duration
	for n := 1; n <= 7; n++ {
		got = append(got, backoff(500*time.Millisecond, 10*time.Second, n))
	}
	want := []time.Duration{500 * time.Millisecond, time.Second, 2 * time.Second, 4 * time.Second, 8 * time.Second, 10 * time.Second, 10 * time.Second}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("backoff: got %v, want %v", got, want)
	}
	if d := backoff(time.Second, 30*time.Second, 1000); d != 30*time.Second {
		t.Errorf("after 1000 failures: %v, want the cap", d)
	}
}

// supervise starts a supervisor and stops it when the test ends, before t.TempDir is removed.
func supervise(t *testing.T, ctx context.Context, opts SupervisorOptions) *Supervisor {
	t.Helper()
	opts.Log = testLog{t}
	sup, err := Supervise(ctx, opts)
	if err != nil {
		t.Fatalf("Supervise: %v", err)
	}
	t.Cleanup(func() { sup.Stop() })
	return sup
}

// waitStatus polls the supervisor until ok holds, failing the test after limit.
func waitStatus(t *testing.T, limit time.Duration, sup *Supervisor, what string, ok func(Status) bool) Status {
	t.Helper()
	for deadline := time.Now().Add(limit); ; time.Sleep(50 * time.Millisecond) {
		st := sup.Status()
		if ok(st) {
			return st
		}
		if time.Now().After(deadline) {
			t.Fatalf("not %s within %v: %+v", what, limit, st)
		}
	}
}

// expectNothingRuns checks, for a few seconds after Stop, that the supervisor says
// stopped, that no JVM runs on dir and that nothing listens on port.
func expectNothingRuns(t *testing.T, sup *Supervisor, dir string, port int) {
	t.Helper()
	for range 3 {
		if st := sup.Status(); st.State != Stopped || st.PID != 0 {
			t.Errorf("after Stop: %+v", st)
		}
		if pids := jvmsOn(t, dir); len(pids) > 0 {
			t.Errorf("after Stop, JVMs still run on the data dir: %v", pids)
		}
		if c, err := net.DialTimeout("tcp", fmt.Sprintf("127.0.0.1:%d", port), time.Second); err == nil {
			c.Close()
			t.Errorf("after Stop, something listens on the Bolt port %d", port)
		}
		time.Sleep(time.Second)
	}
}

// jvmsOn lists the processes whose command line names dir: the JVMs started on it.
func jvmsOn(t *testing.T, dir string) []string {
	t.Helper()
	procs, err := filepath.Glob("/proc/[0-9]*/cmdline")
	if err != nil || len(procs) == 0 {
		t.Skip("needs /proc to find the JVMs")
	}
	var pids []string
	for _, p := range procs {
		cmdline, err := os.ReadFile(p)
		if err == nil && bytes.Contains(cmdline, []byte("\x00"+dir+"\x00")) {
			pids = append(pids, filepath.Base(filepath.Dir(p)))
		}
	}
	return pids
}

func portOf(t *testing.T, uri string) int {
	t.Helper()
	u, err := url.Parse(uri)
	if err != nil {
		t.Fatal(err)
	}
	var port int
	if _, err := fmt.Sscan(u.Port(), &port); err != nil || port == 0 {
		t.Fatalf("no port in %q", uri)
	}
	return port
}

// holdPort listens on 127.0.0.1:port as soon as the dying JVM has released it.
func holdPort(t *testing.T, port int) net.Listener {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		l, err := net.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", port))
		if err == nil {
			t.Cleanup(func() { l.Close() })
			return l
		}
		if !errors.Is(err, syscall.EADDRINUSE) || time.Now().After(deadline) {
			t.Fatalf("holding port %d: %v", port, err)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// lockedBuffer collects the supervisor's log lines, written from its goroutine.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
