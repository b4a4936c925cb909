package cypher_test

import (
	"os"
	"testing"
)

// BenchmarkTranslate measures the translation of the example operations' top-level
// fields (docs/queries), the work every request does before its round trip.
func BenchmarkTranslate(b *testing.B) {
	schema := loadSchema(b)
	for _, name := range []string{"moviePage", "personPage", "search"} {
		query, err := os.ReadFile("../docs/queries/" + name + ".graphql")
		if err != nil {
			b.Fatal(err)
		}
		translate := translator(b, schema, string(query))
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := translate(); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
