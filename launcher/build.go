package launcher

import (
	"bytes"
	"context"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
)

// The sources travel inside the Go binary so the launcher works from any
// working directory and from an installed binary, not just from a checkout.
//
//go:embed java/pom.xml java/src
var javaFiles embed.FS

const classpathFile = "classpath.txt"

// built is a compiled launcher in the cache: what `java -cp` needs.
type built struct {
	dir       string
	classpath string
}

// ensureBuilt returns the compiled launcher for the embedded sources, running
// Maven once per source version. Several test binaries may get here at the
// same moment, so the build runs under a file lock and is published by
// renaming a finished directory: nobody ever sees half-built output, and a
// crash mid-build leaves only a temp dir behind.
// building, when not nil, is called before Maven runs and its result once Maven is done.
func ensureBuilt(ctx context.Context, log io.Writer, building func() func(error)) (built, error) {
	root, err := cacheRoot()
	if err != nil {
		return built{}, err
	}
	hash, err := sourceHash()
	if err != nil {
		return built{}, err
	}
	final := filepath.Join(root, "launcher-"+hash)
	if b, err := load(final); err == nil {
		return b, nil
	}

	if err := os.MkdirAll(root, 0o755); err != nil {
		return built{}, fmt.Errorf("create launcher cache: %w", err)
	}
	unlock, err := lockFile(final + ".lock")
	if err != nil {
		return built{}, fmt.Errorf("lock launcher cache: %w", err)
	}
	defer unlock()
	// Another process may have finished the build while we waited for the lock.
	if b, err := load(final); err == nil {
		return b, nil
	}
	// Still there but unusable, e.g. ~/.m2 was cleaned: build it again.
	if err := os.RemoveAll(final); err != nil {
		return built{}, fmt.Errorf("remove stale launcher build: %w", err)
	}

	tmp, err := os.MkdirTemp(root, "launcher-"+hash+".tmp-")
	if err != nil {
		return built{}, fmt.Errorf("create launcher build dir: %w", err)
	}
	defer os.RemoveAll(tmp) // a no-op once renamed
	if err := writeSources(tmp); err != nil {
		return built{}, err
	}
	fmt.Fprintln(log, "building bundled Neo4j launcher with Maven (first run only)…")
	cmd := exec.CommandContext(ctx, "mvn", "-B", "-q", "-Dstyle.color=never",
		"compile", "dependency:build-classpath", "-Dmdep.outputFile="+classpathFile)
	cmd.Dir = tmp
	done := func(error) {}
	if building != nil {
		done = building()
	}
	if out, err := cmd.CombinedOutput(); err != nil {
		err = fmt.Errorf("building the bundled Neo4j launcher with Maven failed (%v):\n%s", err, mavenErrors(out))
		done(err)
		return built{}, err
	}
	done(nil)
	if err := os.Rename(tmp, final); err != nil {
		return built{}, fmt.Errorf("publish launcher build: %w", err)
	}
	return load(final)
}

// cacheRoot is where builds live; FILMGRAPH_CACHE_DIR lets CI or a sandbox
// without a home directory put them elsewhere.
func cacheRoot() (string, error) {
	if d := os.Getenv("FILMGRAPH_CACHE_DIR"); d != "" {
		return d, nil
	}
	d, err := os.UserCacheDir()
	if err != nil {
		return "", fmt.Errorf("find a cache dir for the Neo4j launcher (set FILMGRAPH_CACHE_DIR): %w", err)
	}
	return filepath.Join(d, "filmgraph"), nil
}

// sourceHash names the build after its inputs, so an edited pom or Main.java
// gets a fresh build instead of a stale one.
func sourceHash() (string, error) {
	h := sha256.New()
	err := fs.WalkDir(javaFiles, "java", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := javaFiles.ReadFile(path)
		if err != nil {
			return err
		}
		fmt.Fprintf(h, "%s\x00%d\x00", path, len(data))
		h.Write(data)
		return nil
	})
	if err != nil {
		return "", fmt.Errorf("hash embedded launcher sources: %w", err)
	}
	return hex.EncodeToString(h.Sum(nil))[:12], nil
}

func writeSources(dir string) error {
	return fs.WalkDir(javaFiles, "java", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		target := filepath.Join(dir, filepath.FromSlash(strings.TrimPrefix(path, "java")))
		if d.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		data, err := javaFiles.ReadFile(path)
		if err != nil {
			return err
		}
		return os.WriteFile(target, data, 0o644)
	})
}

// load accepts a build only if everything `java -cp` will need is still on
// disk, because the classpath points into the Maven repository, which
// developers do clean.
func load(dir string) (built, error) {
	if _, err := os.Stat(filepath.Join(dir, "target", "classes", "filmgraph", "launcher", "Main.class")); err != nil {
		return built{}, err
	}
	data, err := os.ReadFile(filepath.Join(dir, classpathFile))
	if err != nil {
		return built{}, err
	}
	cp := strings.TrimSpace(string(data))
	for _, entry := range filepath.SplitList(cp) {
		if _, err := os.Stat(entry); err != nil {
			return built{}, err
		}
	}
	return built{dir: dir, classpath: filepath.Join(dir, "target", "classes") + string(os.PathListSeparator) + cp}, nil
}

var ansiRE = regexp.MustCompile("\x1b\\[[0-9;]*m")

// mavenErrors keeps the lines that say what went wrong and drops Maven's
// generic advice, so the error fits on a screen.
func mavenErrors(out []byte) string {
	out = ansiRE.ReplaceAll(out, nil)
	var keep []string
	for _, line := range strings.Split(string(out), "\n") {
		line = strings.TrimRight(line, "\r ")
		if !strings.HasPrefix(line, "[ERROR]") {
			continue
		}
		msg := strings.TrimSpace(strings.TrimPrefix(line, "[ERROR]"))
		if msg == "" || strings.HasPrefix(msg, "->") || strings.HasPrefix(msg, "Re-run Maven") ||
			strings.HasPrefix(msg, "To see the full stack trace") || strings.HasPrefix(msg, "For more information") ||
			strings.HasPrefix(msg, "[Help") {
			continue
		}
		keep = append(keep, line)
	}
	if len(keep) == 0 {
		return lastLines(string(bytes.TrimSpace(out)), 15)
	}
	if len(keep) > 15 {
		keep = keep[:15]
	}
	return strings.Join(keep, "\n")
}

// lastLines returns at most n trailing lines of s.
func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}
