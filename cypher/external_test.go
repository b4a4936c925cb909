package cypher_test

import (
	"strings"
	"testing"

	"filmgraph/cypher"
)

func TestExternalKeys(t *testing.T) {
	cases := []struct {
		source, id, property string
		value                any
	}{
		{"IMDB", "tt1334260", "imdbId", "1334260"},
		{"IMDB", "0114709", "imdbId", "0114709"},
		{"IMDB", "tt114709", "imdbId", "0114709"}, // stored zero-padded to 7 digits
		{"IMDB", "tt10872600", "imdbId", "10872600"},
		{"TMDB", "862", "tmdbId", "862"},
		{"TMDB", "0862", "tmdbId", "862"},
		{"MOVIELENS", "80969", "movieLensId", int64(80969)},
	}
	for _, tc := range cases {
		property, value, err := cypher.ExternalKey(tc.source, tc.id)
		if err != nil || property != tc.property || value != tc.value {
			t.Errorf("ExternalKey(%s, %q) = %s, %v, %v; want %s, %v", tc.source, tc.id, property, value, err, tc.property, tc.value)
		}
	}
}

func TestExternalIDErrors(t *testing.T) {
	schema := loadSchema(t)
	for _, q := range []string{
		`{ movieByExternalId(source: IMDB, id: "nm0000158") { title } }`,
		`{ movieByExternalId(source: IMDB, id: "tt") { title } }`,
		`{ movieByExternalId(source: TMDB, id: "tt862") { title } }`,
		`{ movieByExternalId(source: TMDB, id: "-1") { title } }`,
		`{ movieByExternalId(source: MOVIELENS, id: "0") { title } }`,
		`{ movieByExternalId(source: MOVIELENS, id: "99999999999") { title } }`,
		`{ movieByExternalId(source: MOVIELENS, id: "1' OR 1=1") { title } }`,
		`{ movieByExternalId(source: MOVIELENS, id: "") { title } }`,
	} {
		_, err := translate(t, schema, q)
		if err == nil || !strings.Contains(err.Error(), "is not a") {
			t.Errorf("%s: got %v, want a BAD_USER_INPUT about the id", q, err)
		}
	}
}
