package launcher

import (
	"context"
	"errors"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
)

// startTimeout covers a first run that still has to build the launcher with Maven.
const startTimeout = 5 * time.Minute

func TestStartQueryStopRestart(t *testing.T) {
	dir := t.TempDir()
	ctx, cancel := context.WithTimeout(context.Background(), startTimeout)
	defer cancel()

	first := start(t, ctx, Options{DataDir: dir, Password: "first-password"})
	if !strings.HasPrefix(first.URI, "bolt://127.0.0.1:") || first.Username != "neo4j" {
		t.Fatalf("unexpected instance: URI %q, Username %q", first.URI, first.Username)
	}
	if got := query(t, ctx, first.URI, first.Password, "RETURN 1 AS one", "one"); got != int64(1) {
		t.Fatalf("RETURN 1 gave %v", got)
	}
	// The whole heap from the start (-Xms as -Xmx, 1024 MB by default), so that G1 does not
	// keep the young generation small.
	if init, max := heapMB(t, ctx, first); init != 1024 || max != 1024 {
		t.Errorf("initial heap %d MB, maximum %d MB; want both 1024", init, max)
	}
	expectUnauthorized(t, ctx, first.URI, "wrong-password")
	query(t, ctx, first.URI, first.Password, "CREATE (m:Movie {title: 'Persisted'}) RETURN m.title AS title", "title")

	// The store lock must turn into a readable error, not a stack trace.
	_, err := Start(ctx, Options{DataDir: dir, Password: "x"})
	if err == nil || !strings.Contains(err.Error(), "in use by another Neo4j process") {
		t.Fatalf("second start on a locked data dir: got %v, want an 'in use' error", err)
	}
	noStackTrace(t, err)

	if err := first.Stop(); err != nil {
		t.Fatalf("Stop: %v", err)
	}
	if err := first.Stop(); err != nil {
		t.Fatalf("second Stop: %v", err)
	}

	// A reused data dir keeps its data and takes whatever password this start asks for.
	second := start(t, ctx, Options{DataDir: dir, Password: "second-password"})
	got := query(t, ctx, second.URI, second.Password, "MATCH (m:Movie) RETURN m.title AS title", "title")
	if got != "Persisted" {
		t.Fatalf("after restart found %v, want the node created before", got)
	}
	expectUnauthorized(t, ctx, second.URI, "first-password")
}

func TestGeneratedPasswordSurvivesRestart(t *testing.T) {
	dir := t.TempDir()
	ctx, cancel := context.WithTimeout(context.Background(), startTimeout)
	defer cancel()
	first := start(t, ctx, Options{DataDir: dir})
	if len(first.Password) < 16 {
		t.Fatalf("generated password %q is too short", first.Password)
	}
	if err := first.Stop(); err != nil {
		t.Fatalf("Stop: %v", err)
	}
	// Setting the password a data dir already has must not fail the start.
	second := start(t, ctx, Options{DataDir: dir, Password: first.Password})
	query(t, ctx, second.URI, second.Password, "RETURN 1 AS one", "one")
}

// TestJVMOptionsComeLast: JVMOptions come after the launcher's own JVM settings and win
// (here over the initial heap, which is otherwise the whole heap: see
// TestStartQueryStopRestart), and HeapMB sets the maximum. Neo4j's JMX view says so.
func TestJVMOptionsComeLast(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), startTimeout)
	defer cancel()
	inst := start(t, ctx, Options{DataDir: t.TempDir(), HeapMB: 640, JVMOptions: []string{"-Xms128m"}})
	if init, max := heapMB(t, ctx, inst); init != 128 || max != 640 {
		t.Errorf("initial heap %d MB, maximum %d MB; want 128 and 640", init, max)
	}
}

// heapMB returns the initial and maximum heap of inst's JVM, as Neo4j's JMX reports them.
func heapMB(t *testing.T, ctx context.Context, inst *Instance) (init, max int64) {
	t.Helper()
	usage := query(t, ctx, inst.URI, inst.Password, `CALL dbms.queryJmx('java.lang:type=Memory') YIELD attributes
		RETURN attributes.HeapMemoryUsage.value.properties AS usage`, "usage")
	m, _ := usage.(map[string]any)
	init, _ = m["init"].(int64)
	max, _ = m["max"].(int64)
	return init >> 20, max >> 20
}

func TestPortInUse(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	port := l.Addr().(*net.TCPAddr).Port

	ctx, cancel := context.WithTimeout(context.Background(), startTimeout)
	defer cancel()
	_, err = Start(ctx, Options{DataDir: t.TempDir(), Port: port, Log: testLog{t}})
	if err == nil || !strings.Contains(err.Error(), "already in use") {
		t.Fatalf("got %v, want a 'port already in use' error", err)
	}
	noStackTrace(t, err)
}

func TestMissingJava(t *testing.T) {
	t.Setenv("PATH", t.TempDir())
	err := CheckPrerequisites()
	if !errors.Is(err, ErrMissingPrerequisite) || !strings.Contains(err.Error(), "java not found") {
		t.Fatalf("CheckPrerequisites: got %v, want a 'java not found' error", err)
	}
	_, err = Start(context.Background(), Options{DataDir: t.TempDir()})
	if !errors.Is(err, ErrMissingPrerequisite) {
		t.Fatalf("Start: got %v, want the prerequisite error", err)
	}
}

func TestMavenErrorsKeepsTheCause(t *testing.T) {
	out := "\x1b[1;31m[ERROR]\x1b[m COMPILATION ERROR :\n" +
		"[ERROR] /x/Main.java:[3,1] class, interface, enum, or record expected\n" +
		"[ERROR] -> [Help 1]\n" +
		"[ERROR] Re-run Maven using the -X switch to enable full debug logging.\n"
	got := mavenErrors([]byte(out))
	want := "[ERROR] COMPILATION ERROR :\n[ERROR] /x/Main.java:[3,1] class, interface, enum, or record expected"
	if got != want {
		t.Fatalf("mavenErrors:\n%s\nwant:\n%s", got, want)
	}
}

// start starts Neo4j and stops it when the test ends, before t.TempDir is removed.
func start(t *testing.T, ctx context.Context, opts Options) *Instance {
	t.Helper()
	opts.Log = testLog{t}
	inst, err := Start(ctx, opts)
	if err != nil {
		t.Fatalf("Start: %v", err)
	}
	t.Cleanup(func() {
		if err := inst.Stop(); err != nil {
			t.Errorf("Stop: %v", err)
		}
	})
	return inst
}

// query runs cypher as neo4j/password and returns column key of the first record.
func query(t *testing.T, ctx context.Context, uri, password, cypher, key string) any {
	t.Helper()
	driver, err := neo4j.NewDriverWithContext(uri, neo4j.BasicAuth("neo4j", password, ""))
	if err != nil {
		t.Fatal(err)
	}
	defer driver.Close(ctx)
	res, err := neo4j.ExecuteQuery(ctx, driver, cypher, nil, neo4j.EagerResultTransformer)
	if err != nil {
		t.Fatalf("%s: %v", cypher, err)
	}
	if len(res.Records) == 0 {
		t.Fatalf("%s: no records", cypher)
	}
	v, _ := res.Records[0].Get(key)
	return v
}

func expectUnauthorized(t *testing.T, ctx context.Context, uri, password string) {
	t.Helper()
	driver, err := neo4j.NewDriverWithContext(uri, neo4j.BasicAuth("neo4j", password, ""))
	if err != nil {
		t.Fatal(err)
	}
	defer driver.Close(ctx)
	err = driver.VerifyConnectivity(ctx)
	var neoErr *neo4j.Neo4jError
	if !errors.As(err, &neoErr) || neoErr.Code != "Neo.ClientError.Security.Unauthorized" {
		t.Fatalf("password %q: got %v, want Neo.ClientError.Security.Unauthorized", password, err)
	}
}

func noStackTrace(t *testing.T, err error) {
	t.Helper()
	if strings.Contains(err.Error(), "\tat ") || strings.Contains(err.Error(), "Exception in thread") {
		t.Fatalf("error carries a Java stack trace:\n%v", err)
	}
}

// testLog shows Neo4j's output with the test that started it.
type testLog struct{ t *testing.T }

func (l testLog) Write(p []byte) (int, error) {
	l.t.Log(strings.TrimRight(string(p), "\n"))
	return len(p), nil
}
