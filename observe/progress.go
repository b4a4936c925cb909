package observe

import (
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"
)

// Terminal is standard error when a person watches it: log lines and at most one progress
// bar share it, the bar kept on the last line (each log line is written over the bar, which
// is drawn again below it). A nil *Terminal draws nothing, so callers need no branch for
// logs that go to a file or a log shipper.
type Terminal struct {
	mu  sync.Mutex
	out io.Writer
	bar *progressbar.ProgressBar
}

// OpenTerminal returns f as a Terminal when it is one, else nil.
func OpenTerminal(f *os.File) *Terminal {
	if !term.IsTerminal(int(f.Fd())) {
		return nil
	}
	return NewTerminal(f)
}

// NewTerminal treats w as a terminal (tests draw into a buffer).
func NewTerminal(w io.Writer) *Terminal { return &Terminal{out: w} }

// Write writes a log line above the bar, if one is shown.
func (t *Terminal) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.bar != nil {
		_ = t.bar.Clear()
	}
	n, err := t.out.Write(p)
	if t.bar != nil {
		_ = t.bar.Add64(0) // draw it again
	}
	return n, err
}

// showBar makes bar the one shown (nil: none).
func (t *Terminal) showBar(bar *progressbar.ProgressBar) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.bar != nil {
		_ = t.bar.Clear()
	}
	t.bar = bar
}

// withBar runs fn with the bar shown, if any, serialised with log lines.
func (t *Terminal) withBar(fn func(*progressbar.ProgressBar)) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.bar != nil {
		fn(t.bar)
	}
}

// Progress reports one long task of a first start (building the Neo4j launcher, loading
// the seed, computing the similarity edges): its lines go to the structured log with the
// share done and an estimate of the time left, and on a Terminal a progress bar shows the
// percentage and time left as well (schollz/progressbar).
type Progress struct {
	log   *slog.Logger
	term  *Terminal
	title string
	start time.Time
	stop  chan struct{}
	once  sync.Once

	mu          sync.Mutex
	done, total int64 // units of work; total 0: not known yet
}

// StartProgress logs title and, on term (nil: none), shows a bar: a spinner with the
// elapsed time until Report gives the amount of work.
func StartProgress(log *slog.Logger, term *Terminal, title string) *Progress {
	p := &Progress{log: log, term: term, title: title, start: time.Now(), stop: make(chan struct{})}
	log.Info(title)
	if term != nil {
		term.showBar(p.newBar(-1))
		go p.tick()
	}
	return p
}

func (p *Progress) newBar(total int64) *progressbar.ProgressBar {
	return progressbar.NewOptions64(total,
		progressbar.OptionSetWriter(p.term.out),
		progressbar.OptionSetDescription(p.title),
		// The library estimates from the last ten seconds' rate, which reads 0 s left during
		// a long step without reports; the description carries p's estimate instead.
		progressbar.OptionSetPredictTime(false),
		progressbar.OptionSetElapsedTime(true),
		progressbar.OptionShowCount(),
		progressbar.OptionSetItsString("units"),
		progressbar.OptionSetWidth(30),
		progressbar.OptionSpinnerType(14),
		// Drawn from tick under the terminal's lock, never from the library's own goroutine,
		// so that a bar never lands in the middle of a log line.
		progressbar.OptionSetSpinnerChangeInterval(0),
	)
}

// tick redraws the bar every second, so that the elapsed time and the estimate move
// during a long step.
func (p *Progress) tick() {
	t := time.NewTicker(time.Second)
	defer t.Stop()
	for {
		select {
		case <-p.stop:
			return
		case <-t.C:
			p.term.withBar(func(b *progressbar.ProgressBar) { b.Describe(p.description()) })
		}
	}
}

// Report says that done of total units of work are done.
func (p *Progress) Report(done, total int64) {
	p.mu.Lock()
	changed := total != p.total
	p.done, p.total = done, total
	p.mu.Unlock()
	if p.term == nil || total <= 0 {
		return
	}
	if changed {
		bar := p.newBar(total)
		bar.Describe(p.description())
		_ = bar.Set64(done)
		p.term.showBar(bar)
		return
	}
	p.term.withBar(func(b *progressbar.ProgressBar) {
		b.Describe(p.description())
		_ = b.Set64(done)
	})
}

// Write logs each line of the task's own progress output (e.g. "seed: ratings 100836
// rows (58s)") with the share done and the time left, once the amount of work is known.
func (p *Progress) Write(b []byte) (int, error) {
	for _, line := range strings.Split(strings.TrimRight(string(b), "\r\n"), "\n") {
		p.log.Info(strings.TrimSpace(line), p.attrs()...)
	}
	return len(b), nil
}

// description is the bar's text: the title and, once known, the time left.
func (p *Progress) description() string {
	if left := p.left(); left >= 0 {
		return fmt.Sprintf("%s, about %s left", p.title, left.Round(time.Second))
	}
	return p.title
}

// left estimates the time left from the rate so far once 5% is done (before, it would be
// noise); -1 when not known.
func (p *Progress) left() time.Duration {
	p.mu.Lock()
	done, total := p.done, p.total
	p.mu.Unlock()
	if total <= 0 || done*20 < total {
		return -1
	}
	return time.Duration(float64(time.Since(p.start)) * float64(total-done) / float64(done))
}

// attrs are the progress attributes of a log line: percent, elapsed and left.
func (p *Progress) attrs() []any {
	p.mu.Lock()
	done, total := p.done, p.total
	p.mu.Unlock()
	attrs := []any{"elapsed", time.Since(p.start).Round(time.Second).String()}
	if total > 0 {
		attrs = append(attrs, "percent", fmt.Sprintf("%.0f", 100*float64(done)/float64(total)))
	}
	if left := p.left(); left >= 0 {
		attrs = append(attrs, "left", left.Round(time.Second).String())
	}
	return attrs
}

// End removes the bar and logs how long the task took; err, if any, is logged with it.
func (p *Progress) End(err error) {
	p.once.Do(func() {
		close(p.stop)
		if p.term != nil {
			p.term.showBar(nil)
		}
		elapsed := time.Since(p.start).Round(time.Millisecond).String()
		if err != nil {
			p.log.Error(p.title+": failed", "elapsed", elapsed, "error", err)
			return
		}
		p.log.Info(p.title+": done", "elapsed", elapsed)
	})
}
