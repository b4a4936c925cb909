package observe

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"regexp"
	"strings"
	"testing"
)

// TestProgressLogsAndDraws: a task's lines reach the structured log with the share done
// and the time left; on a terminal a bar shows the percentage and time left, and log
// lines written meanwhile start on a line of their own, not after the bar.
func TestProgressLogsAndDraws(t *testing.T) {
	var logs, screen bytes.Buffer
	term := NewTerminal(&screen)
	log := NewLogger(&logs, true, slog.LevelInfo)
	screenLog := NewLogger(term, false, slog.LevelInfo)

	p := StartProgress(log, term, "loading the seed")
	p.Report(250, 1000)
	p.Report(500, 1000)
	screenLog.Info("a line logged meanwhile")
	p.Write([]byte("seed: ratings  100 rows (1s)\n"))
	p.End(nil)

	var lines []map[string]any
	for _, l := range strings.Split(strings.TrimSpace(logs.String()), "\n") {
		var m map[string]any
		if err := json.Unmarshal([]byte(l), &m); err != nil {
			t.Fatalf("not a JSON log line: %q", l)
		}
		lines = append(lines, m)
	}
	if len(lines) != 3 || lines[0]["msg"] != "loading the seed" || lines[2]["msg"] != "loading the seed: done" {
		t.Fatalf("log lines: %v", lines)
	}
	step := lines[1]
	if step["msg"] != "seed: ratings  100 rows (1s)" || step["percent"] != "50" || step["left"] == nil || step["elapsed"] == nil {
		t.Errorf("the step's line: %v", step)
	}

	drawn := screen.String()
	if !strings.Contains(drawn, "50%") || !regexp.MustCompile(`loading the seed, about \d+s left +50% \|█+ +\| \(500/1000\) \[\d+s\]`).MatchString(drawn) {
		t.Errorf("the bar shows no percentage or time left:\n%q", drawn)
	}
	before, _, ok := strings.Cut(drawn, "a line logged meanwhile")
	if !ok {
		t.Fatalf("the log line is not on the terminal:\n%q", drawn)
	}
	// The bar was cleared (carriage return, blanks, carriage return) before the line.
	if !regexp.MustCompile(`\r +\r(time=\S+ level=INFO msg=")$`).MatchString(before) {
		t.Errorf("the log line follows the bar instead of replacing it:\n%q", before)
	}
}

// TestProgressWithoutTerminal: without a terminal nothing is drawn and nothing fails; the
// lines still carry the share done once the amount of work is known.
func TestProgressWithoutTerminal(t *testing.T) {
	var logs bytes.Buffer
	p := StartProgress(NewLogger(&logs, true, slog.LevelInfo), nil, "computing")
	p.Write([]byte("step one\n"))
	p.Report(1, 4)
	p.Write([]byte("step two\n"))
	p.End(nil)
	p.End(nil) // once only
	out := logs.String()
	if strings.Count(out, "\n") != 4 || strings.Contains(out, `"msg":"step one","elapsed":"0s","percent"`) ||
		!strings.Contains(out, `"msg":"step two","elapsed":"0s","percent":"25","left":"`) {
		t.Errorf("log:\n%s", out)
	}
}
