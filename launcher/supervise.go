package launcher

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"time"
)

// State is what a Supervisor's Neo4j is doing.
type State string

const (
	// Running: the JVM answers Bolt.
	Running State = "running"
	// Restarting: the JVM exited by itself and the supervisor is starting a new one.
	Restarting State = "restarting"
	// Stopped: Stop was called; nothing will be restarted.
	Stopped State = "stopped"
)

// stableAfter is how long a JVM must run before its exit counts as a fresh failure: one
// that dies sooner keeps the backoff growing, so a crash loop is not restarted at full speed.
const stableAfter = time.Minute

// SupervisorOptions configures Supervise.
type SupervisorOptions struct {
	// Options starts each JVM. Port 0 and an empty Password are resolved by the first
	// start and then kept, so the URI and credentials handed out stay valid.
	Options
	// Logger receives the supervision events (an exit with its status and the tail of
	// the JVM's stderr, each restart attempt); nil discards them.
	Logger *slog.Logger
	// MinBackoff and MaxBackoff bound the pause before a restart attempt, which doubles
	// after each failed attempt; 0 means 500 ms and 30 s.
	MinBackoff, MaxBackoff time.Duration
}

// Status is a snapshot of a Supervisor, for health endpoints and logs.
type Status struct {
	State State `json:"state"`
	// Attempt counts the restart attempts since the JVM last exited, while Restarting.
	Attempt int `json:"attempt,omitempty"`
	// Restarts counts the JVMs successfully restarted since Supervise.
	Restarts int `json:"restarts"`
	PID      int `json:"pid,omitempty"` // of the running JVM
	// LastExit says how the last JVM that exited by itself ended, and when.
	LastExit   string    `json:"lastExit,omitempty"`
	LastExitAt time.Time `json:"lastExitAt,omitzero"`
	// LastError is why the last restart attempt failed, while Restarting.
	LastError string `json:"lastError,omitempty"`
}

// String is the status in a few words, e.g. "restarting (attempt 2)".
func (s Status) String() string {
	if s.State == Restarting && s.Attempt > 0 {
		return fmt.Sprintf("%s (attempt %d)", s.State, s.Attempt)
	}
	return string(s.State)
}

// Supervisor keeps a bundled Neo4j running: when its JVM exits without being asked to
// (a crash, an OOM kill, a kill -9), it logs why and starts a new one on the same data
// directory, port and password, pausing with capped exponential backoff between attempts,
// until Stop.
type Supervisor struct {
	URI, Username, Password string // the same for every JVM it starts

	opts   SupervisorOptions
	log    *slog.Logger
	ctx    context.Context // ends at Stop, aborting a restart in progress
	cancel context.CancelFunc
	done   chan struct{} // closed when supervision has ended and the JVM is stopped

	mu      sync.Mutex
	status  Status
	stopErr error // from stopping the last JVM; valid once done is closed
}

// Supervise starts Neo4j as Start does (ctx bounds this first start only) and keeps it
// running until Stop.
func Supervise(ctx context.Context, opts SupervisorOptions) (*Supervisor, error) {
	if opts.MinBackoff <= 0 {
		opts.MinBackoff = 500 * time.Millisecond
	}
	if opts.MaxBackoff < opts.MinBackoff {
		opts.MaxBackoff = max(30*time.Second, opts.MinBackoff)
	}
	log := opts.Logger
	if log == nil {
		log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	inst, err := Start(ctx, opts.Options)
	if err != nil {
		return nil, err
	}
	u, err := url.Parse(inst.URI)
	port, perr := strconv.Atoi(u.Port())
	if err != nil || perr != nil {
		inst.Stop()
		return nil, fmt.Errorf("launcher: cannot read the port of %q", inst.URI)
	}
	opts.Port, opts.Password = port, inst.Password
	s := &Supervisor{
		URI: inst.URI, Username: inst.Username, Password: inst.Password,
		opts: opts, log: log, done: make(chan struct{}),
		status: Status{State: Running, PID: inst.PID()},
	}
	s.ctx, s.cancel = context.WithCancel(context.Background())
	go s.supervise(inst)
	if err := writeConnection(opts.DataDir, Connection{URI: s.URI, Username: s.Username, Password: s.Password, PID: os.Getpid()}); err != nil {
		log.Warn("cannot write the bundled Neo4j's connection file: other commands cannot reach it while it runs", "error", err.Error())
	}
	return s, nil
}

// Status reports what Neo4j is doing now.
func (s *Supervisor) Status() Status {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.status
}

// Stop ends the supervision and shuts the running JVM down cleanly (see Instance.Stop);
// nothing is restarted afterwards. It is safe to call more than once.
func (s *Supervisor) Stop() error {
	s.cancel()
	<-s.done
	os.Remove(filepath.Join(s.opts.DataDir, ConnectionFile)) // nothing to connect to any more
	return s.stopErr
}

func (s *Supervisor) update(change func(*Status)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	change(&s.status)
}

// supervise owns the JVMs: it waits for the running one to exit or for Stop, and
// restarts it after an exit nobody asked for.
func (s *Supervisor) supervise(inst *Instance) {
	defer close(s.done)
	failures := 0 // consecutive failed starts and short-lived JVMs, for the backoff
	for {
		upAt := time.Now()
		select {
		case <-s.ctx.Done():
			s.stopErr = inst.Stop()
			s.update(func(st *Status) {
				*st = Status{State: Stopped, Restarts: st.Restarts, LastExit: st.LastExit, LastExitAt: st.LastExitAt}
			})
			return
		case <-inst.exited:
		}
		exit := fmt.Sprint(inst.waitErr)
		if inst.waitErr == nil {
			exit = "exit status 0"
		}
		s.log.Error("the bundled Neo4j exited unexpectedly; restarting it",
			"pid", inst.PID(), "exit", exit, "uptime", time.Since(upAt).Round(time.Millisecond).String(),
			"stderr", inst.stderr.reason())
		s.update(func(st *Status) {
			st.State, st.Attempt, st.PID, st.LastExit, st.LastExitAt, st.LastError = Restarting, 0, 0, exit, time.Now(), ""
		})
		if time.Since(upAt) >= stableAfter {
			failures = 0
		}
		if inst = s.restart(&failures); inst == nil {
			s.update(func(st *Status) { st.State, st.Attempt, st.LastError = Stopped, 0, "" })
			return
		}
	}
}

// restart starts JVMs until one runs, pausing before each attempt; it returns nil when
// Stop ends the attempts.
func (s *Supervisor) restart(failures *int) *Instance {
	downAt := time.Now()
	for attempt := 1; ; attempt++ {
		*failures++
		pause := backoff(s.opts.MinBackoff, s.opts.MaxBackoff, *failures)
		s.update(func(st *Status) { st.Attempt = attempt })
		s.log.Info("restarting the bundled Neo4j", "attempt", attempt, "after", pause.String())
		select {
		case <-s.ctx.Done():
			return nil
		case <-time.After(pause):
		}
		inst, err := launch(s.ctx, s.opts.Options)
		if s.ctx.Err() != nil {
			if inst != nil {
				s.stopErr = inst.Stop()
			}
			return nil
		}
		if err != nil {
			s.log.Warn("restarting the bundled Neo4j failed", "attempt", attempt, "error", err.Error())
			s.update(func(st *Status) { st.LastError = err.Error() })
			continue
		}
		s.log.Info("the bundled Neo4j is back", "attempt", attempt, "pid", inst.PID(),
			"downtime", time.Since(downAt).Round(time.Millisecond).String())
		s.update(func(st *Status) {
			st.State, st.Attempt, st.PID, st.LastError = Running, 0, inst.PID(), ""
			st.Restarts++
		})
		return inst
	}
}

// backoff is the pause before the nth consecutive attempt: lo, 2lo, 4lo, ... capped at hi.
func backoff(lo, hi time.Duration, n int) time.Duration {
	d := lo
	for i := 1; i < n && d < hi; i++ {
		d *= 2
	}
	return min(d, hi)
}
