package server

import (
	"os"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"filmgraph/store"
)

// settingSamples holds, for each variable of README's "Settings" table, a valid value that
// is not the default and the values loadConfig must refuse (none for free text). A new row
// in the table needs an entry here: the test says so.
var settingSamples = map[string]struct {
	valid   string
	invalid []string
}{
	"FILMGRAPH_ADDR":                             {valid: "127.0.0.1:9090"},
	"NEO4J_URI":                                  {valid: "neo4j+s://films.example:7687"},
	"NEO4J_USERNAME":                             {valid: "films"},
	"NEO4J_PASSWORD":                             {valid: "another password"},
	"NEO4J_DATABASE":                             {valid: "films"},
	"NEO4J_DATA_DIR":                             {valid: "/var/lib/filmgraph"},
	"NEO4J_BUNDLED_PORT":                         {valid: "7688", invalid: []string{"bolt", "-1", "65536"}},
	"FILMGRAPH_ENV":                              {valid: "production"},
	"FILMGRAPH_LOG_LEVEL":                        {valid: "debug", invalid: []string{"loud"}},
	"FILMGRAPH_MAX_DEPTH":                        {valid: "7", invalid: []string{"deep", "-1", "1.5"}},
	"FILMGRAPH_MAX_COMPLEXITY":                   {valid: "1000", invalid: []string{"lots", "-1"}},
	"FILMGRAPH_MAX_ALIASES":                      {valid: "5", invalid: []string{"few", "-1"}},
	"FILMGRAPH_MAX_TOKENS":                       {valid: "500", invalid: []string{"many", "-1"}},
	"FILMGRAPH_MAX_BODY_BYTES":                   {valid: "2048", invalid: []string{"1MiB", "0"}},
	"FILMGRAPH_REQUEST_TIMEOUT":                  {valid: "3s", invalid: []string{"10", "soon", "-1s", "0s"}},
	"FILMGRAPH_INTROSPECTION":                    {valid: "false", invalid: []string{"maybe"}},
	"FILMGRAPH_APQ_CACHE_SIZE":                   {valid: "10", invalid: []string{"big", "-1"}},
	"FILMGRAPH_TRUSTED_DOCUMENTS":                {valid: "../docs/queries/manifest.json", invalid: []string{"../docs/queries/missing.json", "../README.md", "../go.mod"}},
	"FILMGRAPH_LOGIN_PER_MINUTE_PER_ADDRESS":     {valid: "20", invalid: []string{"ten", "0"}},
	"FILMGRAPH_LOGIN_PER_MINUTE_PER_ACCOUNT":     {valid: "3", invalid: []string{"five", "0"}},
	"FILMGRAPH_SHUTDOWN_TIMEOUT":                 {valid: "5s", invalid: []string{"20", "0s"}},
	"FILMGRAPH_MAX_FIELDS":                       {valid: "100", invalid: []string{"many", "-1"}},
	"FILMGRAPH_MAX_SELECTION_FIELDS":             {valid: "50", invalid: []string{"many", "-1"}},
	"FILMGRAPH_MAX_FRAGMENT_SPREADS":             {valid: "50", invalid: []string{"many", "-1"}},
	"FILMGRAPH_MAX_DIRECTIVES":                   {valid: "3", invalid: []string{"many", "-1"}},
	"FILMGRAPH_MAX_VARIABLES":                    {valid: "20", invalid: []string{"many", "-1"}},
	"FILMGRAPH_MAX_VARIABLE_VALUES":              {valid: "500", invalid: []string{"many", "-1"}},
	"NEO4J_MAX_CONNECTIONS":                      {valid: "7", invalid: []string{"many", "0", "10001"}},
	"FILMGRAPH_SIGNUPS_PER_HOUR_PER_ADDRESS":     {valid: "12", invalid: []string{"five", "0"}},
	"FILMGRAPH_WS_INIT_TIMEOUT":                  {valid: "3s", invalid: []string{"10", "0s"}},
	"FILMGRAPH_WS_PING_INTERVAL":                 {valid: "5s", invalid: []string{"25", "0s"}},
	"FILMGRAPH_WS_MAX_SOCKETS":                   {valid: "100", invalid: []string{"many", "-1"}},
	"FILMGRAPH_WS_MAX_SOCKETS_PER_ADDRESS":       {valid: "5", invalid: []string{"many", "-1"}},
	"FILMGRAPH_WS_MAX_SUBSCRIPTIONS":             {valid: "100", invalid: []string{"many", "-1"}},
	"FILMGRAPH_WS_MAX_SUBSCRIPTIONS_PER_ADDRESS": {valid: "5", invalid: []string{"many", "-1"}},
	"FILMGRAPH_PRESTOP_DELAY":                    {valid: "1s", invalid: []string{"5", "-1s"}},
	"FILMGRAPH_GET_MAX_AGE":                      {valid: "0", invalid: []string{"soon", "-1"}},
	"FILMGRAPH_RECOMMEND_REFRESH_INTERVAL":       {valid: "5m", invalid: []string{"60", "0s"}},
	"CORS_ALLOWED_ORIGINS":                       {valid: "https://films.example"},
	"FILMGRAPH_METRICS_ADDR":                     {valid: "127.0.0.1:9090", invalid: []string{"9090", "localhost", ":8080"}},
	"FILMGRAPH_NATS_URL":                         {valid: "nats://nats:4222,nats://nats-2:4222", invalid: []string{"nats", "http://nats:4222", "nats://:4222"}},
	"GOGC":                                       {valid: "off", invalid: []string{"lots", "0", "-1"}},
}

// settingsReadElsewhere are the table's variables that loadConfig does not read, and who does.
var settingsReadElsewhere = map[string]string{
	"OTEL_EXPORTER_OTLP_ENDPOINT": "observe.SetupTracing and the OpenTelemetry exporter",
}

// readmeSettings returns the variables of README's "Settings" table, in its order.
func readmeSettings(t *testing.T) []string {
	t.Helper()
	section := readmeSection(t, "## Settings")
	var names []string
	for _, m := range regexp.MustCompile("(?m)^\\| `([A-Z][A-Z0-9_]*)` \\|").FindAllStringSubmatch(section, -1) {
		names = append(names, m[1])
	}
	if len(names) < 10 {
		t.Fatalf("only %d variables read from README's Settings table: has its format changed?", len(names))
	}
	return names
}

// TestEverySettingIsReadFromTheEnvironment checks, for each variable of README's "Settings"
// table, that loadConfig refuses its invalid values with an error naming it, and that a
// valid value other than the default changes the configuration.
func TestEverySettingIsReadFromTheEnvironment(t *testing.T) {
	names := readmeSettings(t)
	for _, name := range names {
		t.Setenv(name, "") // every variable unset (empty counts as unset): the defaults
	}
	defaults, err := loadConfig()
	if err != nil {
		t.Fatalf("defaults: %v", err)
	}
	for _, name := range names {
		t.Run(name, func(t *testing.T) {
			if _, ok := settingsReadElsewhere[name]; ok {
				return
			}
			sample, ok := settingSamples[name]
			if !ok {
				t.Fatalf("README's Settings table has %s, but settingSamples in config_test.go has no values for it: add a valid non-default value (and invalid ones if loadConfig refuses any)", name)
			}
			for _, bad := range sample.invalid {
				t.Setenv(name, bad)
				if _, err := loadConfig(); err == nil || !strings.Contains(err.Error(), name) {
					t.Errorf("%s=%q: loadConfig error %v, want one naming %s", name, bad, err, name)
				}
			}
			t.Setenv(name, sample.valid)
			cfg, err := loadConfig()
			if err != nil {
				t.Fatalf("%s=%q: %v", name, sample.valid, err)
			}
			if reflect.DeepEqual(cfg, defaults) {
				t.Errorf("%s=%q: the configuration is the default one: the variable is not read", name, sample.valid)
			}
		})
	}
	// And the other way: every variable config.go reads is documented in the table.
	src, err := os.ReadFile("config.go")
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range regexp.MustCompile(`\("((?:FILMGRAPH|NEO4J|CORS)_[A-Z0-9_]+)"`).FindAllStringSubmatch(string(src), -1) {
		if !slices.Contains(names, m[1]) {
			t.Errorf("config.go reads %s, which README's Settings table does not document", m[1])
		}
	}
	for name := range settingSamples {
		if !slices.Contains(names, name) {
			t.Errorf("settingSamples has %s, which README's Settings table does not have", name)
		}
	}
}

// TestStoreSettings: the request timeout and the pool size reach the store's
// configuration, with their defaults, and bad values are refused by name.
func TestStoreSettings(t *testing.T) {
	t.Setenv("FILMGRAPH_REQUEST_TIMEOUT", "")
	t.Setenv("NEO4J_MAX_CONNECTIONS", "")
	cfg, err := loadConfig()
	if err != nil {
		t.Fatal(err)
	}
	if cfg.neo4j.RequestTimeout != store.DefaultRequestTimeout || cfg.requestTimeout != store.DefaultRequestTimeout ||
		cfg.neo4j.MaxConnections != store.DefaultMaxConnections {
		t.Errorf("defaults: request timeout %v (store %v), pool %d", cfg.requestTimeout, cfg.neo4j.RequestTimeout, cfg.neo4j.MaxConnections)
	}

	t.Setenv("FILMGRAPH_REQUEST_TIMEOUT", "3s")
	t.Setenv("NEO4J_MAX_CONNECTIONS", "7")
	if cfg, err = loadConfig(); err != nil {
		t.Fatal(err)
	}
	if cfg.neo4j.RequestTimeout != 3*time.Second || cfg.neo4j.MaxConnections != 7 {
		t.Errorf("set: store request timeout %v, pool %d; want 3s and 7", cfg.neo4j.RequestTimeout, cfg.neo4j.MaxConnections)
	}

	for _, bad := range []string{"0", "-1", "10001", "many"} {
		t.Setenv("NEO4J_MAX_CONNECTIONS", bad)
		if _, err := loadConfig(); err == nil || !strings.Contains(err.Error(), "NEO4J_MAX_CONNECTIONS") {
			t.Errorf("NEO4J_MAX_CONNECTIONS=%q: error %v, want one naming the setting", bad, err)
		}
	}
}
