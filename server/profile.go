package server

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"

	"filmgraph/auth"
	"filmgraph/store"
)

// profileExamples runs each example operation in dir once through the real handler with
// every statement PROFILEd, and writes a Markdown table of round trips, Neo4j db hits and
// response size to out. It is a report for benchmarks; nothing asserts on it.
func profileExamples(ctx context.Context, log *slog.Logger, cfg config, db *store.Store, dir string, out io.Writer) error {
	files, err := filepath.Glob(filepath.Join(dir, "*.graphql"))
	if err != nil || len(files) == 0 {
		return fmt.Errorf("no example operations (*.graphql) in %s", dir)
	}
	// The examples are anonymous reads; the issuer only has to exist.
	issuer := auth.NewIssuer([]byte(rand.Text()), auth.DefaultTTL)
	handler := (&server{log: log, db: db, cfg: cfg, issuer: issuer}).routes()
	fmt.Fprintln(out, "| operation | round trips | db hits | rows | response bytes |")
	fmt.Fprintln(out, "| --- | ---: | ---: | ---: | ---: |")
	for _, file := range files {
		query, err := os.ReadFile(file)
		if err != nil {
			return err
		}
		body, _ := json.Marshal(map[string]any{"query": string(query)})
		profileCtx, profile := store.WithProfile(ctx)
		req := httptest.NewRequest(http.MethodPost, "/graphql", bytes.NewReader(body)).WithContext(profileCtx)
		req.Header.Set("Content-Type", "application/json")
		rec := httptest.NewRecorder()
		handler.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK || strings.Contains(rec.Body.String(), `"errors"`) {
			return fmt.Errorf("%s: status %d: %s", file, rec.Code, rec.Body.String())
		}
		fmt.Fprintf(out, "| %s | %d | %d | %d | %d |\n", strings.TrimSuffix(filepath.Base(file), ".graphql"),
			profile.Statements, profile.DBHits, profile.Rows, rec.Body.Len())
	}
	return nil
}
