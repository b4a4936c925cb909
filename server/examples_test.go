package server

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestExampleOperations runs every checked-in example operation: each must answer with
// data and no errors, in one round trip: a query's top-level fields are read by one statement.
func TestExampleOperations(t *testing.T) {
	files, _ := filepath.Glob("../docs/queries/*.graphql")
	if len(files) < 5 {
		t.Fatalf("found %d example operations", len(files))
	}
	for _, file := range files {
		name := strings.TrimSuffix(filepath.Base(file), ".graphql")
		t.Run(name, func(t *testing.T) {
			query, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			status, resp, trips := post(t, string(query), nil)
			if status != 200 || len(resp.Errors) > 0 {
				t.Fatalf("status %d, errors %+v", status, resp.Errors)
			}
			var data map[string]json.RawMessage
			if err := json.Unmarshal(resp.Data, &data); err != nil {
				t.Fatal(err)
			}
			for field, value := range data {
				if string(value) == "null" || string(value) == "[]" {
					t.Errorf("%s is empty: the example's default variables should find something", field)
				}
			}
			if trips != 1 {
				t.Errorf("%d round trips for %d top-level fields; want 1", trips, len(data))
			}
		})
	}
}
