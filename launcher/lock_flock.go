//go:build linux || darwin || freebsd || netbsd || openbsd || dragonfly

package launcher

import (
	"os"
	"syscall"
)

// lockFile holds an exclusive flock on path until unlock is called. The
// kernel drops it if the process dies, so a crashed build never blocks the
// next one.
func lockFile(path string) (unlock func(), err error) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		return nil, err
	}
	for {
		err = syscall.Flock(int(f.Fd()), syscall.LOCK_EX)
		if err != syscall.EINTR {
			break
		}
	}
	if err != nil {
		f.Close()
		return nil, err
	}
	return func() { f.Close() }, nil
}
