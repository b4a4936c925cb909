package graph

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestLoadTrustedDocumentsRefusesBadManifests: a manifest that is not Apollo's format, has
// no operations, repeats an id, or holds a body the schema does not validate stops the
// start with a message naming the problem.
func TestLoadTrustedDocumentsRefusesBadManifests(t *testing.T) {
	op := func(id, body string) string {
		return `{"id": "` + id + `", "name": "n", "type": "query", "body": "` + body + `"}`
	}
	manifest := func(ops ...string) string {
		return `{"format": "apollo-persisted-query-manifest", "version": 1, "operations": [` + strings.Join(ops, ",") + `]}`
	}
	for name, c := range map[string]struct{ text, want string }{
		"not JSON":       {`operations:`, "not a JSON manifest"},
		"another format": {`{"format": "relay", "version": 1, "operations": []}`, "want \"apollo-persisted-query-manifest\""},
		"no operations":  {manifest(), "lists no operations"},
		"no id":          {manifest(op("", "{ genres { totalCount } }")), "no id"},
		"repeated id":    {manifest(op("a", "{ genres { totalCount } }"), op("a", "{ genres { totalCount } }")), "listed twice"},
		"unknown field":  {manifest(op("a", "{ films { title } }")), "not valid against the schema"},
		"not a document": {manifest(op("a", "{ genres {")), "not valid against the schema"},
	} {
		path := filepath.Join(t.TempDir(), "manifest.json")
		os.WriteFile(path, []byte(c.text), 0o644)
		if _, err := LoadTrustedDocuments(path); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want one saying %q", name, err, c.want)
		}
	}
	path := filepath.Join(t.TempDir(), "manifest.json")
	os.WriteFile(path, []byte(manifest(op("a", "{ genres { totalCount } }"), op("b", "query q { genres { totalCount } }"))), 0o644)
	if docs, err := LoadTrustedDocuments(path); err != nil || docs.Len() != 2 {
		t.Errorf("a valid manifest: %v, %v", docs, err)
	}
}
