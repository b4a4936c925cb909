package server

import (
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"strings"
	"testing"

	"filmgraph/observe"
)

// serverWithSettings serves the API over the test database with the configuration
// loadConfig reads when the given variables are set: its own server, with its own log-in
// limiter, so that no other test spends its attempts.
func serverWithSettings(t *testing.T, settings map[string]string) string {
	t.Helper()
	for name, value := range settings {
		t.Setenv(name, value)
	}
	cfg, err := loadConfig()
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer((&server{log: observe.NewLogger(os.Stderr, false, slog.LevelWarn), db: testStore, cfg: cfg, issuer: testIssuer}).routes())
	t.Cleanup(srv.Close)
	return srv.URL
}

const logInWithPassword = `mutation($l: String!, $p: String!) { logIn(usernameOrEmail: $l, password: $p) { token } }`

// logInCode sends a log-in attempt to url and returns its one error code ("" for none) and
// how many database statements it cost.
func logInCode(t *testing.T, url, login, password string) (string, int64) {
	t.Helper()
	before := testStore.RoundTrips()
	status, resp, _ := request(t, url, "", map[string]any{"query": logInWithPassword, "variables": map[string]any{"l": login, "p": password}})
	trips := testStore.RoundTrips() - before
	switch codes := resp.codes(); {
	case status == http.StatusOK && len(codes) == 0:
		return "", trips
	case status == http.StatusOK && len(codes) == 1:
		if codes[0] == "RATE_LIMITED" && !strings.Contains(resp.Errors[0].Message, "try again in") {
			t.Errorf("RATE_LIMITED message %q does not say when to try again", resp.Errors[0].Message)
		}
		return codes[0], trips
	default:
		t.Fatalf("log-in attempt: status %d, errors %+v", status, resp.Errors)
		return "", 0
	}
}

// TestLogInIsRateLimitedOverHTTP spends the log-in attempts of a client address, then of
// an account, on a real server configured through the environment, and expects
// RATE_LIMITED past them, without a database statement and even for the right password.
func TestLogInIsRateLimitedOverHTTP(t *testing.T) {
	member := signUp(t, "limited")
	// One attempt a minute: the refused attempts follow the first one closer than that
	// however slow the machine (one bcrypt check), and cost no check themselves.
	t.Run("per address", func(t *testing.T) {
		url := serverWithSettings(t, map[string]string{
			"FILMGRAPH_LOGIN_PER_MINUTE_PER_ADDRESS": "1", "FILMGRAPH_LOGIN_PER_MINUTE_PER_ACCOUNT": "1000",
		})
		var got []string
		for _, login := range []string{"nobody-1", "nobody-2", member.Username} {
			code, trips := logInCode(t, url, login, "correct horse")
			if code == "RATE_LIMITED" && trips != 0 {
				t.Errorf("a refused attempt cost %d database statements", trips)
			}
			got = append(got, code)
		}
		if want := []string{"UNAUTHENTICATED", "RATE_LIMITED", "RATE_LIMITED"}; !slices.Equal(got, want) {
			t.Errorf("codes %q, want %q (the last one with the right password)", got, want)
		}
	})
	t.Run("per account", func(t *testing.T) {
		url := serverWithSettings(t, map[string]string{
			"FILMGRAPH_LOGIN_PER_MINUTE_PER_ADDRESS": "1000", "FILMGRAPH_LOGIN_PER_MINUTE_PER_ACCOUNT": "1",
		})
		var got []string
		for _, attempt := range []struct{ login, password string }{
			{member.Username, "wrong guess"},
			{strings.ToUpper(member.Username), "correct horse"}, // the same account, whatever the case
			{"nobody-else", "wrong guess"},                      // another account still has its attempts
		} {
			code, _ := logInCode(t, url, attempt.login, attempt.password)
			got = append(got, code)
		}
		if want := []string{"UNAUTHENTICATED", "RATE_LIMITED", "UNAUTHENTICATED"}; !slices.Equal(got, want) {
			t.Errorf("codes %q, want %q", got, want)
		}
	})
}
