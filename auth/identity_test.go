package auth

import "testing"

func TestIdentityKey(t *testing.T) {
	same := [][]string{
		{"Alice", "alice", "ALICE", " alice "},
		{"Kathy@Hailsham.example", "kathy@hailsham.example"},
		{"STRASSE", "straße", "Strasse"},            // full folding: ß is ss
		{"\u212a", "k", "K"},                        // the Kelvin sign
		{"\uff21\uff4c\uff49\uff43\uff45", "alice"}, // fullwidth letters (NFKC)
		{"e\u0301", "\u00e9", "\u00c9"},             // combining accent and precomposed
	}
	for _, group := range same {
		for _, s := range group[1:] {
			if IdentityKey(s) != IdentityKey(group[0]) {
				t.Errorf("IdentityKey(%q) = %q, IdentityKey(%q) = %q: want equal", s, IdentityKey(s), group[0], IdentityKey(group[0]))
			}
		}
	}
	for _, pair := range [][2]string{{"alice", "alice2"}, {"bob.x", "bobx"}, {"a@b.c", "a@b.co"}} {
		if IdentityKey(pair[0]) == IdentityKey(pair[1]) {
			t.Errorf("%q and %q share a key", pair[0], pair[1])
		}
	}
}
