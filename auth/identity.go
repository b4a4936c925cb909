package auth

import (
	"strings"

	"golang.org/x/text/cases"
	"golang.org/x/text/unicode/norm"
)

// IdentityKey returns the form under which a username or an email address is unique and
// looked up: "Alice", "ALICE" and "alice" have one key, so nobody can sign up as a
// look-alike of a member, and members log in in any case. It is Unicode's NFKC_Casefold,
// closely: compatibility normalisation, full case folding (ß and ss, K and the Kelvin sign
// fold together), normalisation again, surrounding spaces trimmed. The display form is
// stored as typed, next to its key.
func IdentityKey(s string) string {
	// A Caser holds state, so each call takes its own.
	folded := cases.Fold().String(norm.NFKC.String(strings.TrimSpace(s)))
	return norm.NFKC.String(folded)
}
