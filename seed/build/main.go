// Command build derives the bundled seed in seed/data from the shared
// MovieLens-small and Wikipedia data sets and the reference movie page.
//
// From the repository root:
//
//	go run ./seed/build                       # -shared ../shared -out seed/data
//	go run ./seed/build -shared /path/to/shared -out /tmp/seed
//
// The inputs are only read here, never at run time: the loader embeds the
// output. The output is deterministic, so a rebuild from the same inputs
// changes no byte (the tests check this against the checked-in files).
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
)

func main() {
	root, _ := moduleRoot()
	shared := flag.String("shared", filepath.Join(root, "..", "shared"), "the shared folder (data/, reference/)")
	out := flag.String("out", filepath.Join(root, "seed", "data"), "output folder")
	flag.Parse()
	if err := run(*shared, *out, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "seed/build:", err)
		os.Exit(1)
	}
}

// inputs are the files of shared/data the build reads, relative to it.
var movieLensInputs = []string{
	"movielens-small/README.txt", "movielens-small/movies.csv", "movielens-small/links.csv",
	"movielens-small/ratings.csv", "movielens-small/tags.csv",
}

// run builds the seed from shared into out and prints a report to log.
func run(shared, out string, log io.Writer) error {
	files, ds, sums, err := build(shared)
	if err != nil {
		return err
	}
	if err := writeFiles(out, files); err != nil {
		return err
	}
	printReport(log, out, files, ds, sums)
	return nil
}

// build reads and checks the inputs and returns every output file by name,
// the dataset and the verified input checksums. It writes nothing.
func build(shared string) (map[string][]byte, *dataset, map[string]string, error) {
	dataDir := filepath.Join(shared, "data")
	sums, err := readChecksums(filepath.Join(dataDir, "README.md"))
	if err != nil {
		return nil, nil, nil, err
	}
	wiki, wikiNames, err := readWikipedia(filepath.Join(dataDir, "wikipedia-movies"))
	if err != nil {
		return nil, nil, nil, err
	}
	used := slices.Clone(movieLensInputs)
	used = append(used, "wikipedia-movies/LICENSE-code-MIT.txt")
	for _, n := range wikiNames {
		used = append(used, "wikipedia-movies/"+n)
	}
	if _, err := verifyChecksums(dataDir, sums, used); err != nil {
		return nil, nil, nil, err
	}
	ml, err := readMovieLens(filepath.Join(dataDir, "movielens-small"))
	if err != nil {
		return nil, nil, nil, err
	}
	page, err := readReferencePage(filepath.Join(shared, "reference", "movie-page.txt"))
	if err != nil {
		return nil, nil, nil, err
	}
	ds, err := derive(ml, wiki, page)
	if err != nil {
		return nil, nil, nil, err
	}
	files, err := encodeDataset(ds)
	if err != nil {
		return nil, nil, nil, err
	}
	for name, src := range map[string]string{
		movieLensReadme: "movielens-small/README.txt",
		wikipediaMIT:    "wikipedia-movies/LICENSE-code-MIT.txt",
	} {
		if files[name], err = os.ReadFile(filepath.Join(dataDir, src)); err != nil {
			return nil, nil, nil, err
		}
	}
	used = slices.Sorted(slices.Values(used))
	inputSums := map[string]string{}
	for _, u := range used {
		inputSums[u] = sums[u]
	}
	files["README.md"] = []byte(dataReadme(ds, files, inputSums))
	return files, ds, inputSums, nil
}

// moduleRoot returns the nearest folder at or above the working directory
// holding go.mod, so the defaults work from anywhere in the repository.
func moduleRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return ".", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return ".", errors.New("go.mod not found")
		}
		dir = parent
	}
}
