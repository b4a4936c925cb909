package server

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"filmgraph/internal/neo4jtest"
	"filmgraph/internal/programtest"
	"filmgraph/relay"
)

// answer is how a GraphQL request of the drain test ended.
type answer struct {
	status int
	resp   gqlResponse
	err    error
	at     time.Duration // since SIGTERM
}

// probe is one /readyz request on a new connection during the drain.
type probe struct {
	at     time.Duration // since SIGTERM
	status int           // 0: no connection
	body   string
	err    error
}

// TestDrainOnSIGTERM builds and runs the real binary in production mode against the test
// Neo4j, starts requests that are still being sent when SIGTERM arrives (clients
// uploading slowly), and watches the drain from outside: /readyz answers 503 on new
// connections while the listener still accepts, for the pre-stop delay; then the
// listener closes; the requests in flight finish with 200 and their data; the process
// exits 0.
func TestDrainOnSIGTERM(t *testing.T) {
	const preStop = 3 * time.Second
	bin := programtest.Binary(t)
	addr := fmt.Sprintf("127.0.0.1:%d", freePort(t))
	base := "http://" + addr
	cmd := exec.Command(bin)
	cmd.Env = append(programtest.EnvironWithout("FILMGRAPH_", "NEO4J_", "OTEL_", "JWT_"),
		"FILMGRAPH_ENV=production", "FILMGRAPH_ADDR="+addr,
		"NEO4J_URI="+neo4jtest.URI(), "NEO4J_USERNAME="+neo4jtest.Username(),
		"NEO4J_PASSWORD="+neo4jtest.Password(), "NEO4J_DATABASE="+neo4jtest.Database(),
		"JWT_SECRET="+string(testSecret),
		"FILMGRAPH_PRESTOP_DELAY="+preStop.String(), "FILMGRAPH_SHUTDOWN_TIMEOUT=30s",
		// The slow requests below stay under the request timeout and the server's 30 s
		// read timeout: the drain, not a limit, is what this test watches.
		"FILMGRAPH_REQUEST_TIMEOUT=60s")
	logs := &syncBuffer{}
	cmd.Stdout, cmd.Stderr = logs, logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan struct{})
	var waitErr error
	go func() { waitErr = cmd.Wait(); close(exited) }()
	t.Cleanup(func() {
		select {
		case <-exited:
		default:
			cmd.Process.Kill()
			<-exited
		}
		if t.Failed() {
			t.Logf("the server's log:\n%s", logs)
		}
	})
	fresh := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{DisableKeepAlives: true}}
	for deadline := time.Now().Add(2 * time.Minute); ; time.Sleep(100 * time.Millisecond) {
		if resp, err := fresh.Get(base + "/readyz"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				break
			}
		}
		select {
		case <-exited:
			t.Fatalf("the server exited before it was ready: %v", waitErr)
		default:
		}
		if time.Now().After(deadline) {
			t.Fatal("the server was not ready within 2 minutes")
		}
	}

	// Three requests whose bodies are only half sent: in flight on the server.
	const slowRequests = 3
	reference := relay.ID("Movie", fmt.Sprint(referenceMovieLensID))
	release := make(chan struct{})
	answers := make(chan answer, slowRequests)
	var sigAt time.Time
	var sigMu sync.Mutex
	since := func() time.Duration {
		sigMu.Lock()
		defer sigMu.Unlock()
		return time.Since(sigAt)
	}
	for range slowRequests {
		body, w := io.Pipe()
		req, _ := http.NewRequest(http.MethodPost, base+"/graphql", body)
		req.Header.Set("Content-Type", "application/json")
		go func() {
			defer w.Close()
			fmt.Fprint(w, `{"query": "query Slow($id: ID!) { movie(id: $id) { title year } }", "variables": {"id": `)
			<-release
			fmt.Fprintf(w, "%q}}", reference)
		}()
		go func() {
			resp, err := (&http.Client{Timeout: time.Minute, Transport: &http.Transport{DisableKeepAlives: true}}).Do(req)
			a := answer{err: err}
			if err == nil {
				a.status = resp.StatusCode
				a.err = json.NewDecoder(resp.Body).Decode(&a.resp)
				resp.Body.Close()
			}
			a.at = since()
			answers <- a
		}()
	}
	defer func() {
		select {
		case <-release:
		default:
			close(release)
		}
	}()
	// The server counts them in flight once their handlers run.
	for deadline := time.Now().Add(30 * time.Second); inFlight(t, fresh, base) < slowRequests; time.Sleep(50 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("the slow requests are not in flight after 30 s (in flight: %v)", inFlight(t, fresh, base))
		}
	}

	sigMu.Lock()
	sigAt = time.Now()
	sigMu.Unlock()
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	// Probe /readyz on new connections until they are refused; meanwhile run one GraphQL
	// request on a new connection once the 503 shows, to see the server still serve.
	var probes []probe
	var served *answer
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		p := probe{at: since()}
		resp, err := fresh.Get(base + "/readyz")
		if err != nil {
			p.err = err
			probes = append(probes, p)
			// A connection the kernel queued just before the listener closed is reset (EOF);
			// the next one is refused.
			if errors.Is(err, syscall.ECONNREFUSED) {
				break
			}
			continue
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		p.status, p.body = resp.StatusCode, strings.TrimSpace(string(b))
		probes = append(probes, p)
		if p.status == http.StatusServiceUnavailable && served == nil {
			status, gql, err := postAsTo(fresh, base, "", `query During($id: ID!) { movie(id: $id) { title } }`, map[string]any{"id": reference})
			served = &answer{status: status, resp: gql, err: err, at: since()}
		}
	}
	refused := probes[len(probes)-1]
	// The listener stays closed.
	time.Sleep(200 * time.Millisecond)
	_, lateErr := fresh.Get(base + "/readyz")

	close(release)
	var finished []answer
	for range slowRequests {
		select {
		case a := <-answers:
			finished = append(finished, a)
		case <-time.After(time.Minute):
			t.Fatal("the slow requests did not finish within a minute of being sent")
		}
	}
	select {
	case <-exited:
	case <-time.After(time.Minute):
		t.Fatal("the server did not exit within a minute of SIGTERM")
	}
	exitAt := since()

	// The timeline, as seen from outside.
	first503, last503, n503 := time.Duration(-1), time.Duration(0), 0
	for _, p := range probes {
		switch {
		case p.status == http.StatusServiceUnavailable:
			n503++
			if first503 < 0 {
				first503 = p.at
			}
			last503 = p.at
			if !strings.Contains(p.body, `"server":"draining"`) {
				t.Errorf("/readyz 503 at %v says %s, want the draining check", p.at, p.body)
			}
		case p.status == http.StatusOK && first503 >= 0:
			t.Errorf("/readyz answered 200 at %v, after a 503 at %v", p.at, first503)
		}
	}
	t.Logf("timeline after SIGTERM: first /readyz 503 at %v, %d probes answered 503 on new connections, the last at %v; "+
		"first refused connection at %v (%v); in-flight requests answered at %v; process exited at %v (%v)",
		first503.Round(time.Millisecond), n503, last503.Round(time.Millisecond), refused.at.Round(time.Millisecond), refused.err,
		finishedAt(finished).Round(time.Millisecond), exitAt.Round(time.Millisecond), waitErr)
	if first503 < 0 || n503 < 2 {
		t.Fatalf("/readyz never answered 503 on a new connection before the listener closed (probes: %+v)", probes)
	}
	if refused.err == nil || !errors.Is(refused.err, syscall.ECONNREFUSED) {
		t.Errorf("new connections were not refused within 30 s of SIGTERM: last probe %+v", refused)
	}
	for _, p := range probes {
		if p.err != nil && p.at < preStop {
			t.Errorf("a probe failed %v after SIGTERM, before the pre-stop delay of %v: %v", p.at, preStop, p.err)
		}
	}
	if refused.at < preStop {
		t.Errorf("the listener closed %v after SIGTERM, before the pre-stop delay of %v", refused.at, preStop)
	}
	if lateErr == nil {
		t.Errorf("a connection was accepted after one was refused")
	}
	if served == nil || served.err != nil || served.status != 200 || len(served.resp.Errors) > 0 || !strings.Contains(string(served.resp.Data), "Never Let Me Go") {
		t.Errorf("a request on a new connection during the pre-stop delay: %+v", served)
	}
	for _, a := range finished {
		if a.err != nil || a.status != 200 || len(a.resp.Errors) > 0 || !strings.Contains(string(a.resp.Data), `"title":"Never Let Me Go"`) {
			t.Errorf("an in-flight request: status %d, err %v, data %s, errors %+v", a.status, a.err, a.resp.Data, a.resp.Errors)
		}
		if a.at < refused.at {
			t.Errorf("an in-flight request finished at %v, before the listener closed at %v: it did not span the drain", a.at, refused.at)
		}
	}
	if waitErr != nil {
		t.Errorf("the server exited with %v, want 0", waitErr)
	}
	for _, want := range []string{"shutting down", "closing the listener", "drained"} {
		if !strings.Contains(logs.String(), want) {
			t.Errorf("the server's log lacks %q", want)
		}
	}
}

func TestPreStopDelaySetting(t *testing.T) {
	for _, c := range []struct {
		value string
		want  time.Duration
		err   bool
	}{
		{"", 5 * time.Second, false},
		{"0", 0, false},
		{"1500ms", 1500 * time.Millisecond, false},
		{"-1s", 0, true},
		{"soon", 0, true},
	} {
		t.Setenv("FILMGRAPH_PRESTOP_DELAY", c.value)
		cfg, err := loadConfig()
		switch {
		case c.err && (err == nil || !strings.Contains(err.Error(), "FILMGRAPH_PRESTOP_DELAY")):
			t.Errorf("%q: got %v, want an error naming the setting", c.value, err)
		case !c.err && (err != nil || cfg.preStopDelay != c.want):
			t.Errorf("%q: got %v, %v; want %v", c.value, cfg.preStopDelay, err, c.want)
		}
	}
}

// inFlight reads filmgraph_http_requests_in_flight from the server's /metrics.
func inFlight(t *testing.T, client *http.Client, base string) float64 {
	t.Helper()
	resp, err := client.Get(base + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	lines := bufio.NewScanner(resp.Body)
	for lines.Scan() {
		if v, ok := strings.CutPrefix(lines.Text(), "filmgraph_http_requests_in_flight "); ok {
			var n float64
			fmt.Sscan(v, &n)
			return n
		}
	}
	return -1
}

func finishedAt(answers []answer) time.Duration {
	var last time.Duration
	for _, a := range answers {
		last = max(last, a.at)
	}
	return last
}
