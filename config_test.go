package main

import (
	"strings"
	"testing"
	"time"

	"filmgraph/store"
)

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
