package testenv

import (
	"os"
	"path/filepath"
	"testing"
)

// TestFindSharedBesideASymlinkedClone builds CI's layout, a clone reached through a
// symlink with the shared folder beside the link, and finds the folder from a package
// inside the clone; the parent of the link's target has none.
func TestFindSharedBesideASymlinkedClone(t *testing.T) {
	t.Setenv("FILMGRAPH_SHARED", "")
	tmp := t.TempDir()
	real, ci := filepath.Join(tmp, "real", "filmgraph"), filepath.Join(tmp, "ci")
	mkdirs(t, filepath.Join(real, "seed", "build"), filepath.Join(ci, "shared", "data"))
	write(t, filepath.Join(real, "go.mod"), "module filmgraph\n")
	write(t, filepath.Join(ci, "shared", "data", "README.md"), "inputs\n")
	if err := os.Symlink(real, filepath.Join(ci, "filmgraph")); err != nil {
		t.Fatal(err)
	}

	t.Chdir(filepath.Join(ci, "filmgraph", "seed", "build"))
	if dir, err := FindShared(); err != nil || dir != filepath.Join(ci, "shared") {
		t.Errorf("FindShared() = %q, %v; want %q", dir, err, filepath.Join(ci, "shared"))
	}

	t.Chdir(filepath.Join(real, "seed", "build")) // the clone itself: no shared folder beside it
	if dir, err := FindShared(); err == nil {
		t.Errorf("FindShared() = %q without a shared folder", dir)
	}

	t.Setenv("FILMGRAPH_SHARED", filepath.Join(ci, "shared"))
	if dir, err := FindShared(); err != nil || dir != filepath.Join(ci, "shared") {
		t.Errorf("with FILMGRAPH_SHARED: %q, %v", dir, err)
	}
}

func TestInCI(t *testing.T) {
	for value, want := range map[string]bool{"true": true, "1": true, "": false, "false": false, "yes please": false} {
		t.Setenv("CI", value)
		if InCI() != want {
			t.Errorf("CI=%q: InCI() = %v", value, !want)
		}
	}
}

func mkdirs(t *testing.T, dirs ...string) {
	for _, d := range dirs {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
}

func write(t *testing.T, path, text string) {
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}
