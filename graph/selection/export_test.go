package selection

import "crypto/sha256"

// CountDocumentHashes counts the documents hashed until the test ends.
func CountDocumentHashes(cleanup func(func())) *int {
	calls, hash := new(int), hashDocument
	hashDocument = func(document string) [sha256.Size]byte {
		*calls++
		return hash(document)
	}
	cleanup(func() { hashDocument = hash })
	return calls
}
