package main

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
)

// checksumLine is one line of the "## sha256" section of the data README:
// "<hex>  ./movielens-small/movies.csv".
var checksumLine = regexp.MustCompile(`^([0-9a-f]{64})\s+\./(\S+)$`)

// readChecksums returns path -> sha256 from the README of the shared data.
func readChecksums(readme string) (map[string]string, error) {
	f, err := os.Open(readme)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	sums := map[string]string{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if m := checksumLine.FindStringSubmatch(strings.TrimSpace(sc.Text())); m != nil {
			sums[m[2]] = m[1]
		}
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	if len(sums) == 0 {
		return nil, fmt.Errorf("%s: no sha256 lines", readme)
	}
	return sums, nil
}

// verifyChecksums checks that every file the build reads is listed in the
// README and has the listed sha256, so the seed is derived from exactly the
// inputs its README names. It returns the checked files, sorted.
func verifyChecksums(dataDir string, sums map[string]string, used []string) ([]string, error) {
	sort.Strings(used)
	for _, rel := range used {
		want, ok := sums[rel]
		if !ok {
			return nil, fmt.Errorf("%s: no sha256 listed in README.md", rel)
		}
		got, err := sha256File(filepath.Join(dataDir, rel))
		if err != nil {
			return nil, err
		}
		if got != want {
			return nil, fmt.Errorf("%s: sha256 %s, README.md says %s", rel, got, want)
		}
	}
	return used, nil
}

func sha256File(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}
