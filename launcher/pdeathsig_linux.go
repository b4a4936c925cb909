package launcher

import (
	"os/exec"
	"syscall"
)

// dieWithParent asks the kernel to SIGTERM the JVM when we die, a second line
// of defence after the stdin EOF that the launcher watches for.
//
// Linux sends it when the OS thread that started the child exits, not the
// whole process; Go does not retire its threads in normal operation, and the
// stdin EOF covers the rest.
func dieWithParent(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGTERM}
}
