// Package natstest runs a NATS server inside a test binary (nats-server's own Go module),
// on loopback, for tests of the event bus; it can be stopped and started again on the
// same port to play an outage.
package natstest

import (
	"fmt"
	"net"
	"testing"
	"time"

	"github.com/nats-io/nats-server/v2/server"
)

// Server is an embedded NATS server on 127.0.0.1.
type Server struct {
	t    testing.TB
	port int
	srv  *server.Server
}

// Start starts a server on a free loopback port; it stops when the test ends.
func Start(t testing.TB) *Server {
	t.Helper()
	s := &Server{t: t, port: -1} // -1: any free port
	s.Restart()
	t.Cleanup(s.Stop)
	return s
}

// URL is the server's nats:// address.
func (s *Server) URL() string { return fmt.Sprintf("nats://127.0.0.1:%d", s.port) }

// Stop shuts the server down, closing its clients' connections.
func (s *Server) Stop() {
	if s.srv != nil {
		s.srv.Shutdown()
		s.srv.WaitForShutdown()
		s.srv = nil
	}
}

// Restart starts the server again on the port it had (a new one the first time).
func (s *Server) Restart() {
	s.t.Helper()
	srv, err := server.NewServer(&server.Options{Host: "127.0.0.1", Port: s.port, NoLog: true, NoSigs: true})
	if err != nil {
		s.t.Fatal(err)
	}
	go srv.Start()
	if !srv.ReadyForConnections(10 * time.Second) {
		srv.Shutdown()
		s.t.Fatal("the NATS server did not start within 10 s")
	}
	s.srv, s.port = srv, srv.Addr().(*net.TCPAddr).Port
}
