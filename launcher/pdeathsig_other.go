//go:build !linux

package launcher

import "os/exec"

// dieWithParent relies on the stdin EOF alone where there is no Pdeathsig.
func dieWithParent(*exec.Cmd) {}
