package launcher

import (
	"errors"
	"fmt"
	"os/exec"
	"regexp"
	"strconv"
)

// ErrMissingPrerequisite marks errors about a missing or too old Java or Maven,
// so callers can tell "install something" apart from a failed start.
var ErrMissingPrerequisite = errors.New("missing prerequisite")

// minJava is what Neo4j 5 runs on.
const minJava = 17

var javaVersionRE = regexp.MustCompile(`version "(\d+)(?:\.(\d+))?`)

// CheckPrerequisites reports, in words a developer can act on, whether java
// (17 or newer) and mvn are on PATH. Start calls it first so that a missing
// tool fails at once instead of as a hang or a Java stack trace.
func CheckPrerequisites() error {
	java, err := exec.LookPath("java")
	if err != nil {
		return fmt.Errorf("%w: java not found on PATH; the bundled Neo4j needs Java %d or newer: "+
			"install a JDK (Debian/Ubuntu: apt-get install openjdk-17-jdk-headless; macOS: brew install openjdk@17)",
			ErrMissingPrerequisite, minJava)
	}
	// `java -version` prints to stderr, in formats such as `openjdk version "17.0.15"` and
	// `java version "1.8.0_392"`.
	out, err := exec.Command(java, "-version").CombinedOutput()
	if err != nil {
		return fmt.Errorf("%w: %s -version failed (%v): %s", ErrMissingPrerequisite, java, err, lastLines(string(out), 3))
	}
	m := javaVersionRE.FindStringSubmatch(string(out))
	if m == nil {
		return fmt.Errorf("%w: cannot read the version of %s from: %s", ErrMissingPrerequisite, java, lastLines(string(out), 3))
	}
	major, _ := strconv.Atoi(m[1])
	if major == 1 && m[2] != "" {
		major, _ = strconv.Atoi(m[2])
	}
	if major < minJava {
		return fmt.Errorf("%w: %s is Java %d; the bundled Neo4j needs Java %d or newer: "+
			"install a newer JDK and put it first on PATH", ErrMissingPrerequisite, java, major, minJava)
	}
	if _, err := exec.LookPath("mvn"); err != nil {
		return fmt.Errorf("%w: mvn not found on PATH; the bundled Neo4j launcher is built with Maven on first use: "+
			"install Maven 3.6 or newer (Debian/Ubuntu: apt-get install maven; macOS: brew install maven)",
			ErrMissingPrerequisite)
	}
	return nil
}
