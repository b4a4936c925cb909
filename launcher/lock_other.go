//go:build !(linux || darwin || freebsd || netbsd || openbsd || dragonfly)

package launcher

// lockFile is a no-op where flock is not available: concurrent first builds
// then duplicate work, and the rename in ensureBuilt still keeps them from
// seeing each other's half-built output.
func lockFile(string) (unlock func(), err error) {
	return func() {}, nil
}
