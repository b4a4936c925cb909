// Package testenv finds what tests need from outside the repository (the shared data
// folder) and decides what a missing prerequisite means: a skip on a developer's machine,
// a failure in CI (CI=true), where a skipped test would only look green.
package testenv

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"testing"
)

// InCI reports whether the tests run in CI: CI set to a true value, as CI services do.
func InCI() bool {
	ci, _ := strconv.ParseBool(os.Getenv("CI"))
	return ci
}

// Missing reports a missing prerequisite: it skips the test, or fails it in CI.
func Missing(t testing.TB, format string, args ...any) {
	t.Helper()
	msg := fmt.Sprintf(format, args...)
	if InCI() {
		t.Fatal(msg + " (CI=true: a missing prerequisite fails the test instead of skipping it)")
	}
	t.Skip(msg)
}

// SharedDir returns the shared folder (data/, reference/): $FILMGRAPH_SHARED, or the
// `shared` folder beside the repository. Without it the test is Missing.
func SharedDir(t testing.TB) string {
	t.Helper()
	dir, err := FindShared()
	if err != nil {
		Missing(t, "shared data folder: %v (set FILMGRAPH_SHARED to its path)", err)
	}
	return dir
}

// FindShared returns the shared folder as SharedDir does, or why it is not there, for a
// test that can check less without it (and must fail in CI).
func FindShared() (string, error) {
	dir := os.Getenv("FILMGRAPH_SHARED")
	if dir == "" {
		root, err := ModuleRoot()
		if err != nil {
			return "", err
		}
		dir = filepath.Join(filepath.Dir(root), "shared")
	}
	if _, err := os.Stat(filepath.Join(dir, "data", "README.md")); err != nil {
		return "", err
	}
	return dir, nil
}

// ModuleRoot is the nearest folder up from the working directory holding go.mod. The walk
// is lexical, from the path the test was started in (os.Getwd keeps $PWD): when the clone
// is reached through a symlink, its `..` is the folder holding the link, which is where a
// shared folder copied "beside the repository" is, not the parent of the link's target.
func ModuleRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("go.mod not found above the working directory")
		}
		dir = parent
	}
}
