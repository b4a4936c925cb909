// Package natstest runs a NATS server inside a test binary (nats-server's own Go module),
// on loopback, for tests of the event bus; it can be stopped and started again on the
// same port to play an outage.
package natstest

import (
	"fmt"
	"io"
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

// Lag is a TCP proxy to a NATS server that holds what clients send for a while before
// passing it on, as a slow network would: a client's commands reach the server late,
// though in order. What the server sends back passes at once.
type Lag struct {
	ln     net.Listener
	target string
	delay  time.Duration
}

// StartLag proxies to s, holding clients' bytes for delay; it stops when the test ends.
// When s is down, connections to the proxy are closed at once, as the server's would be.
func StartLag(t testing.TB, s *Server, delay time.Duration) *Lag {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	l := &Lag{ln: ln, target: fmt.Sprintf("127.0.0.1:%d", s.port), delay: delay}
	t.Cleanup(func() { ln.Close() })
	go l.serve()
	return l
}

// URL is the proxy's nats:// address.
func (l *Lag) URL() string { return "nats://" + l.ln.Addr().String() }

func (l *Lag) serve() {
	for {
		client, err := l.ln.Accept()
		if err != nil {
			return
		}
		server, err := net.DialTimeout("tcp", l.target, 5*time.Second)
		if err != nil {
			client.Close()
			continue
		}
		go l.hold(client, server)
		go func() { io.Copy(client, server); client.Close() }()
	}
}

// hold copies src to dst, each chunk delay after it was read, in order.
func (l *Lag) hold(src, dst net.Conn) {
	type chunk struct {
		at   time.Time
		data []byte
	}
	chunks := make(chan chunk, 1024)
	go func() {
		defer close(chunks)
		for {
			buf := make([]byte, 32<<10)
			n, err := src.Read(buf)
			if n > 0 {
				chunks <- chunk{time.Now(), buf[:n]}
			}
			if err != nil {
				return
			}
		}
	}()
	for c := range chunks {
		time.Sleep(time.Until(c.at.Add(l.delay)))
		if _, err := dst.Write(c.data); err != nil {
			src.Close()
			for range chunks { // until the reader sees the close
			}
		}
	}
	dst.Close()
}
