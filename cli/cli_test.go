package cli

import (
	"os"
	"os/exec"
	"regexp"
	"strings"
	"testing"

	"filmgraph/internal/programtest"
)

// commands are the subcommands the help must list, in its order.
var commands = []string{"serve", "seed", "similar", "eval", "profile", "moderator", "schema", "version"}

func TestMain(m *testing.M) {
	status := m.Run()
	programtest.RemoveBinary()
	os.Exit(status)
}

// TestHelpListsTheCommands: `help` and `-h` list every command with one line each, on
// stdout, and exit 0.
func TestHelpListsTheCommands(t *testing.T) {
	for _, args := range [][]string{{"help"}, {"-h"}, {"--help"}} {
		stdout, stderr, status := programtest.Run(t, nil, args...)
		if status != 0 || stderr != "" {
			t.Errorf("filmgraph %v: exit %d, stderr %q", args, status, stderr)
		}
		_, list, ok := strings.Cut(stdout, "Available Commands:\n")
		if !ok {
			t.Fatalf("filmgraph %v lists no commands:\n%s", args, stdout)
		}
		list, _, _ = strings.Cut(list, "\n\n")
		var listed []string
		for _, line := range strings.Split(list, "\n") {
			m := regexp.MustCompile(`^  ([a-z]+) +(\S.*)$`).FindStringSubmatch(line)
			if m == nil {
				t.Errorf("filmgraph %v: line %q is not `  command  description`", args, line)
				continue
			}
			if m[1] != "help" {
				listed = append(listed, m[1])
			}
		}
		if strings.Join(listed, " ") != strings.Join(commands, " ") {
			t.Errorf("filmgraph %v lists %v, want %v", args, listed, commands)
		}
	}
}

// TestEachCommandHasHelp: `<command> -h` describes the command and its usage, exits 0 and
// runs nothing (no database is configured: running would fail).
func TestEachCommandHasHelp(t *testing.T) {
	for _, name := range commands {
		stdout, stderr, status := programtest.Run(t, nil, name, "-h")
		if status != 0 || stderr != "" || !strings.Contains(stdout, "Usage:\n  filmgraph "+name) {
			t.Errorf("filmgraph %s -h: exit %d, stderr %q, stdout:\n%s", name, status, stderr, stdout)
		}
	}
	stdout, _, _ := programtest.Run(t, nil, "eval", "-h")
	if !strings.Contains(stdout, "--tune") {
		t.Errorf("eval -h does not mention --tune:\n%s", stdout)
	}
}

// TestUsageErrorsExit2: an unknown command, an unknown flag or a wrong number of
// arguments exits 2 with the error and the usage on stderr, and nothing on stdout; a
// failure once a command runs (a bad setting) exits 1 without the usage.
func TestUsageErrorsExit2(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"bogus"}, `unknown command "bogus"`},
		{[]string{"serve", "--bogus"}, "unknown flag: --bogus"},
		{[]string{"--bogus"}, "unknown flag: --bogus"},
		{[]string{"moderator"}, "accepts 1 arg(s), received 0"},
		{[]string{"moderator", "a", "b"}, "accepts 1 arg(s), received 2"},
		{[]string{"version", "extra"}, `unknown command "extra"`},
	} {
		stdout, stderr, status := programtest.Run(t, nil, c.args...)
		if status != 2 || stdout != "" || !strings.HasPrefix(stderr, "filmgraph: ") || !strings.Contains(stderr, c.want) ||
			!strings.Contains(stderr, "Usage:\n") {
			t.Errorf("filmgraph %v: exit %d, stdout %q, stderr:\n%s", c.args, status, stdout, stderr)
		}
	}
	stdout, stderr, status := programtest.Run(t, []string{"FILMGRAPH_MAX_DEPTH=deep"}, "serve")
	if status != 1 || stdout != "" || !strings.Contains(stderr, `FILMGRAPH_MAX_DEPTH="deep"`) || strings.Contains(stderr, "Usage:") {
		t.Errorf("a bad setting: exit %d, stdout %q, stderr:\n%s", status, stdout, stderr)
	}
	// With no command it serves, so it reads the settings and fails the same way.
	if _, stderr, status := programtest.Run(t, []string{"FILMGRAPH_MAX_DEPTH=deep"}); status != 1 || !strings.Contains(stderr, "FILMGRAPH_MAX_DEPTH") {
		t.Errorf("no command with a bad setting: exit %d, stderr:\n%s", status, stderr)
	}
}

// TestVersionNamesTheCommit: `version` prints the module version and the commit that the
// go command's own reading of the binary (`go version -m`) finds; built from a git
// checkout (CI's clone), that is git's HEAD.
func TestVersionNamesTheCommit(t *testing.T) {
	stdout, stderr, status := programtest.Run(t, nil, "version")
	if status != 0 || stderr != "" {
		t.Fatalf("version: exit %d, stderr %q", status, stderr)
	}
	info, err := exec.Command("go", "version", "-m", programtest.Binary(t)).Output()
	if err != nil {
		t.Fatal(err)
	}
	field := func(re string) string {
		if m := regexp.MustCompile(re).FindSubmatch(info); m != nil {
			return string(m[1])
		}
		return ""
	}
	module, revision := field(`(?m)^\tmod\tfilmgraph\t(\S+)`), field(`(?m)^\tbuild\tvcs\.revision=(\S+)`)
	lines := strings.Split(stdout, "\n")
	if module == "" || lines[0] != "filmgraph "+module {
		t.Errorf("first line %q, want the module version %q", lines[0], module)
	}
	gitDir, _ := os.Stat("../.git")
	fromClone := gitDir != nil && gitDir.IsDir() // a worktree's .git is a file, which the go command does not stamp
	switch {
	case revision != "":
		head, err := exec.Command("git", "rev-parse", "HEAD").Output()
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(lines[1], "commit "+revision) || revision != strings.TrimSpace(string(head)) {
			t.Errorf("second line %q; the binary says commit %s, git HEAD is %s", lines[1], revision, head)
		}
	case fromClone:
		t.Errorf("built from a git clone, yet the binary carries no commit:\n%s", info)
	default:
		if lines[1] != "commit unknown (built without VCS information)" {
			t.Errorf("second line %q, want that the commit is unknown", lines[1])
		}
		t.Log("built from a git worktree: the go command stamps no commit; CI's clone checks it")
	}
	t.Logf("filmgraph version:\n%s", stdout)
}
