package server

import (
	"fmt"
	"net/http"
	"os/exec"
	"syscall"
	"testing"
	"time"

	"filmgraph/internal/neo4jtest"
	"filmgraph/internal/programtest"
)

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
	cmd := exec.Command(programtest.Binary(t))
	cmd.Env = append(programtest.EnvironWithout("FILMGRAPH_", "NEO4J_", "OTEL_", "JWT_"),
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
