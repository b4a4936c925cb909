package launcher

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// ConnectionFile is the file in a bundled Neo4j's data directory that says how to reach it
// while a Supervisor runs it. The operator's other commands (`go run . moderator`) connect
// with it instead of starting a second Neo4j on the same store, which Neo4j's store lock
// refuses; without it they could not authenticate, the password being random per start.
// Only the data directory's owner can read it (0600), as only they can read the store.
const ConnectionFile = "filmgraph-connection.json"

// Connection is how to reach a running bundled Neo4j.
type Connection struct {
	URI      string `json:"uri"`
	Username string `json:"username"`
	Password string `json:"password"`
	PID      int    `json:"pid"` // of the process that supervises it, for the operator
}

// writeConnection replaces dataDir's ConnectionFile with c, atomically (a reader never sees
// half a file) and readable by the owner only.
func writeConnection(dataDir string, c Connection) error {
	body, err := json.Marshal(c)
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(dataDir, ConnectionFile+".*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // after a successful rename, there is nothing left to remove
	if err := tmp.Chmod(0o600); err != nil {
		tmp.Close()
		return err
	}
	if _, err := tmp.Write(body); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), filepath.Join(dataDir, ConnectionFile))
}

// ReadConnection reads dataDir's ConnectionFile; ok is false when there is none (no
// Supervisor runs a Neo4j there, or one was killed before it could remove the file: the
// connection may then fail, and the caller should start the bundled Neo4j itself).
func ReadConnection(dataDir string) (c Connection, ok bool, err error) {
	body, err := os.ReadFile(filepath.Join(dataDir, ConnectionFile))
	if errors.Is(err, fs.ErrNotExist) {
		return Connection{}, false, nil
	}
	if err != nil {
		return Connection{}, false, err
	}
	if err := json.Unmarshal(body, &c); err != nil || c.URI == "" {
		return Connection{}, false, fmt.Errorf("launcher: %s is not a connection file", filepath.Join(dataDir, ConnectionFile))
	}
	return c, true, nil
}
