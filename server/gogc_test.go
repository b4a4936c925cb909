package server

import "testing"

// TestGoCollectorTarget: the server runs Go's collector at filmgraph's GOGC default (where
// Go's own is 100) unless GOGC says otherwise, as the runtime's own metric shows.
func TestGoCollectorTarget(t *testing.T) {
	for _, c := range []struct {
		env  string
		want float64
	}{{"GOGC=", DefaultGCPercent}, {"GOGC=150", 150}} {
		srv := startServer(t, c.env)
		if got := counter(scrape(t, srv.base+"/metrics"), "go_gc_gogc_percent", nil); got != c.want {
			t.Errorf("%s: go_gc_gogc_percent %v, want %v", c.env, got, c.want)
		}
	}
}
