package server

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"filmgraph/auth"
	"filmgraph/internal/apitest"
	"filmgraph/internal/neo4jtest"
	"filmgraph/limits"
	"filmgraph/observe"
	"filmgraph/relay"
	"filmgraph/seed"
)

// The account cases of the hostile-client suite: what an attacker tries against sign-up
// and log-in (look-alike names, bcrypt truncation, enumeration, locking the owner out) and
// what a token outliving its user gets. Over real HTTP against the real Neo4j; the tests
// of the limits start servers of their own, so that no other test shares their buckets.

const (
	accountSignUpOp = `mutation($u: String!, $e: String!, $p: String!) { signUp(username: $u, email: $e, password: $p) { token user { id username } } }`
	accountLogInOp  = `mutation($l: String!, $p: String!) { logIn(usernameOrEmail: $l, password: $p) { token user { id username } } }`
)

// accountServer starts a server of its own, with its own limiters, whose settings are the
// suite's changed by tune. It stops with the test.
func accountServer(t *testing.T, tune func(*config)) string {
	t.Helper()
	cfg := testConfig
	tune(&cfg)
	log := observe.NewLogger(os.Stderr, false, slog.LevelWarn)
	srv := httptest.NewServer((&server{log: log, db: testStore, cfg: cfg, issuer: testIssuer}).routes())
	t.Cleanup(srv.Close)
	return srv.URL
}

// loginServer is an accountServer whose log-in limits no test reaches.
func loginServer(t *testing.T) string {
	return accountServer(t, func(c *config) { c.login = limits.LoginConfig{AddressBurst: 1000, AccountBurst: 1000} })
}

// clientFrom returns an HTTP client whose connections come from the loopback address ip
// (Linux routes all of 127.0.0.0/8 to the loopback interface), so that a server sees
// different client addresses.
func clientFrom(ip string) *http.Client {
	dialer := &net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(ip)}, Timeout: 5 * time.Second}
	return &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{DialContext: dialer.DialContext}}
}

// ask posts one operation to the server at url through c and returns the response.
func ask(t *testing.T, c *http.Client, url, query string, variables map[string]any) gqlResponse {
	t.Helper()
	_, resp, _ := apitest.Post(t, c, apitest.Request{URL: url, Body: apitest.Operation(query, variables)})
	return gqlResponse{resp}
}

// outcome is "OK" for an answer without errors, else its one error code ("A,B" for more).
func outcome(r gqlResponse) string {
	if len(r.Errors) == 0 {
		return "OK"
	}
	return strings.Join(r.codes(), ",")
}

func TestUsernamesAndEmailsAreUniqueInAnyCase(t *testing.T) {
	n := userSeq.Add(1)
	name, email := fmt.Sprintf("Alice-%d", n), fmt.Sprintf("Alice.%d@Example.org", n)
	data := mustDo(t, "", accountSignUpOp, map[string]any{"u": name, "e": email, "p": "correct horse"}, 1)
	id := at(data, "signUp.user.id")

	for _, c := range []struct{ name, u, e, mentions string }{
		{"username in lower case", strings.ToLower(name), fmt.Sprintf("other.%d@example.org", n), "username"},
		{"username in upper case", strings.ToUpper(name), fmt.Sprintf("other.%d@example.org", n), "username"},
		{"email in other cases", fmt.Sprintf("bob-%d", n), strings.ToUpper(email), "email"},
	} {
		t.Run(c.name, func(t *testing.T) {
			msg := wantError(t, "", accountSignUpOp, map[string]any{"u": c.u, "e": c.e, "p": "correct horse"}, "CONFLICT")
			if !strings.Contains(msg, c.mentions) || strings.Contains(msg, "Key") {
				t.Errorf("message %q does not name %s (or names the stored key)", msg, c.mentions)
			}
		})
	}
	// Full Unicode case folding, not just ASCII: ß folds to ss.
	mustDo(t, "", accountSignUpOp, map[string]any{"u": fmt.Sprintf("strasse-%d", n), "e": fmt.Sprintf("straße.%d@example.org", n), "p": "correct horse"}, 1)
	wantError(t, "", accountSignUpOp, map[string]any{"u": fmt.Sprintf("bob2-%d", n), "e": fmt.Sprintf("STRASSE.%d@example.org", n), "p": "correct horse"}, "CONFLICT")

	// One member with that name whatever the case, shown as typed.
	rows := cypherRows(t, `MATCH (u:User) WHERE toLower(u.username) = toLower($name) RETURN u.username AS username`, map[string]any{"name": name})
	if len(rows) != 1 || rows[0]["username"] != name {
		t.Errorf("members named %q in any case: %v, want one, as typed", name, rows)
	}
	// Log in by either case, by username or email (on a server of its own: the shared
	// one's log-in limit is spent by other tests from the same address).
	url, c := loginServer(t), clientFrom("127.0.0.1")
	for _, login := range []string{name, strings.ToLower(name), strings.ToUpper(name), strings.ToLower(email), strings.ToUpper(email)} {
		resp := ask(t, c, url, accountLogInOp, map[string]any{"l": login, "p": "correct horse"})
		var data map[string]any
		json.Unmarshal(resp.Data, &data)
		if outcome(resp) != "OK" || at(data, "logIn.user.id") != id || at(data, "logIn.user.username") != name {
			t.Errorf("logIn as %q: %s %v, want member %v", login, outcome(resp), at(data, "logIn.user"), id)
		}
	}

	// The seeded members have their keys, and the database enforces them.
	if rows := cypherRows(t, `MATCH (u:User) WHERE u.userId <= 1000000 AND u.usernameKey IS NULL RETURN count(*) AS n`, nil); rows[0]["n"] != int64(0) {
		t.Errorf("%v seeded members without a username key", rows[0]["n"])
	}
	constraints := cypherRows(t, `SHOW CONSTRAINTS YIELD type, labelsOrTypes, properties
		WHERE type = 'UNIQUENESS' AND labelsOrTypes = ['User'] RETURN properties[0] AS property`, nil)
	var props []string
	for _, c := range constraints {
		props = append(props, c["property"].(string))
	}
	if !slices.Contains(props, "usernameKey") || !slices.Contains(props, "emailKey") {
		t.Errorf("uniqueness constraints on User: %v, want usernameKey and emailKey among them", props)
	}
}

// A database written by an older filmgraph holds members without keys, possibly two whose
// names differ only in case. The start gives every member its key; of a clash, the oldest
// member keeps the name and the others are reported.
func TestOldDatabasesGetTheirAccountKeys(t *testing.T) {
	n := userSeq.Add(1)
	keyed := signUp(t, "Keyed") // has its key already
	base := 900_000_000 + 10*n
	hash, err := auth.HashPassword("old password")
	if err != nil {
		t.Fatal(err)
	}
	cypherRows(t, `UNWIND $rows AS row
		CREATE (:User {userId: row.id, username: row.name, email: row.email, passwordHash: $hash, role: 'USER'})`,
		map[string]any{"hash": hash, "rows": []any{
			map[string]any{"id": base, "name": fmt.Sprintf("Legacy-%d", n), "email": fmt.Sprintf("Legacy.%d@example.org", n)},
			map[string]any{"id": base + 1, "name": fmt.Sprintf("LEGACY-%d", n), "email": fmt.Sprintf("legacy.%d@EXAMPLE.org", n)},
			map[string]any{"id": base + 2, "name": strings.ToUpper(keyed.Username), "email": nil},
			map[string]any{"id": base + 3, "name": fmt.Sprintf("solo-%d", n), "email": nil},
		}})
	t.Cleanup(func() {
		cypherRows(t, `MATCH (u:User) WHERE u.userId >= $base AND u.userId < $base + 10 DETACH DELETE u`, map[string]any{"base": base})
	})

	for run := 1; run <= 2; run++ { // idempotent: the second run finds the same clashes
		unkeyed, err := seed.EnsureAccountKeys(context.Background(), neo4jtest.Driver(t), neo4jtest.Database())
		if err != nil {
			t.Fatal(err)
		}
		want := []string{fmt.Sprintf("LEGACY-%d", n), strings.ToUpper(keyed.Username)}
		slices.Sort(unkeyed)
		slices.Sort(want)
		if !slices.Equal(unkeyed, want) {
			t.Errorf("run %d: reported %q, want %q", run, unkeyed, want)
		}
	}
	rows := cypherRows(t, `MATCH (u:User) WHERE u.userId >= $base AND u.userId < $base + 10
		RETURN u.userId - $base AS i, u.usernameKey AS usernameKey, u.emailKey AS emailKey ORDER BY i`, map[string]any{"base": base})
	want := fmt.Sprint([]map[string]any{
		{"i": int64(0), "usernameKey": fmt.Sprintf("legacy-%d", n), "emailKey": fmt.Sprintf("legacy.%d@example.org", n)},
		{"i": int64(1), "usernameKey": nil, "emailKey": nil},
		{"i": int64(2), "usernameKey": nil, "emailKey": nil},
		{"i": int64(3), "usernameKey": fmt.Sprintf("solo-%d", n), "emailKey": nil},
	})
	if got := fmt.Sprint(rows); got != want {
		t.Errorf("keys after the start:\n got %s\nwant %s", got, want)
	}
	// The oldest member logs in in any case; the name cannot be taken again.
	resp := ask(t, clientFrom("127.0.0.1"), loginServer(t), accountLogInOp, map[string]any{"l": fmt.Sprintf("legacy-%d", n), "p": "old password"})
	var data map[string]any
	json.Unmarshal(resp.Data, &data)
	if outcome(resp) != "OK" || at(data, "logIn.user.id") != relay.ID("User", strconv.FormatInt(base, 10)) {
		t.Errorf("logIn: %s %v, want the oldest Legacy", outcome(resp), at(data, "logIn.user"))
	}
	wantError(t, "", accountSignUpOp, map[string]any{"u": fmt.Sprintf("lEgAcY-%d", n), "e": fmt.Sprintf("new.%d@example.org", n), "p": "correct horse"}, "CONFLICT")
}

// bcrypt reads 72 bytes of a password. signUp refuses longer ones, and logIn never lets a
// longer one pass for the 72-byte password it starts with: same answer, same bcrypt work, as
// any wrong password.
func TestPasswordsPastSeventyTwoBytes(t *testing.T) {
	url, c := loginServer(t), clientFrom("127.0.0.1")
	n := userSeq.Add(1)
	name := fmt.Sprintf("long-%d", n)
	password := strings.Repeat("x", 64) + "12345678" // 72 bytes
	if got := outcome(ask(t, c, url, accountSignUpOp, map[string]any{"u": name, "e": name + "@example.org", "p": password})); got != "OK" {
		t.Fatalf("signUp with a 72-byte password: %s", got)
	}
	tooLong := ask(t, c, url, accountSignUpOp, map[string]any{"u": name + "b", "e": name + "b@example.org", "p": password + "y"})
	if outcome(tooLong) != "BAD_USER_INPUT" || !strings.Contains(tooLong.Errors[0].Message, "72 bytes") {
		t.Errorf("signUp with 73 bytes: %+v, want BAD_USER_INPUT about 72 bytes", tooLong.Errors)
	}

	if got := outcome(ask(t, c, url, accountLogInOp, map[string]any{"l": name, "p": password})); got != "OK" {
		t.Fatalf("logIn with the password: %s", got)
	}
	wrong := ask(t, c, url, accountLogInOp, map[string]any{"l": name, "p": "a wrong password"})
	longer := ask(t, c, url, accountLogInOp, map[string]any{"l": name, "p": password + "tail"}) // 76 bytes, first 72 right
	if outcome(longer) != "UNAUTHENTICATED" || outcome(wrong) != "UNAUTHENTICATED" || longer.Errors[0].Message != wrong.Errors[0].Message {
		t.Fatalf("76-byte password: %+v; wrong password: %+v; want the same UNAUTHENTICATED answer", longer.Errors, wrong.Errors)
	}

	// Same work: a refusal that skipped bcrypt would answer many times faster than one that
	// compared a hash (cost 11, tens of milliseconds); the bound is loose for a busy machine.
	measure := func(p string) time.Duration {
		start := time.Now()
		for range 3 {
			ask(t, c, url, accountLogInOp, map[string]any{"l": name, "p": p})
		}
		return time.Since(start) / 3
	}
	wrongTime, longTime := measure("a wrong password"), measure(password+"tail")
	t.Logf("logIn answers: wrong password %v, 76-byte password %v", wrongTime, longTime)
	if longTime < wrongTime/3 {
		t.Errorf("the 76-byte password answered in %v, a wrong one in %v: no bcrypt comparison", longTime, wrongTime)
	}
}

var retryAfter = regexp.MustCompile(`try again in (\d+) s`)

// signUp costs a bcrypt hash and tells whether an email is registered: per address it is
// limited, CONFLICT answers included, so the limit bounds enumeration too.
func TestSignUpIsRateLimitedPerAddress(t *testing.T) {
	url := accountServer(t, func(c *config) { c.signUp = limits.SignUpConfig{Every: time.Hour, Burst: 3} })
	here, there := clientFrom("127.0.0.1"), clientFrom("127.0.0.2")
	n := userSeq.Add(1)
	name := func(s string) string { return fmt.Sprintf("%s-%d", s, n) }
	steps := []struct {
		what   string
		c      *http.Client
		u, e   string
		want   string
		stored bool
	}{
		{"a sign-up", here, name("enum"), name("enum") + "@example.org", "OK", true},
		{"probe: a registered email", here, name("probe1"), name("ENUM") + "@example.org", "CONFLICT", false},
		{"probe: a registered name", here, name("ENUM"), name("probe2") + "@example.org", "CONFLICT", false},
		{"the fourth from the address", here, name("late"), name("late") + "@example.org", "RATE_LIMITED", false},
		{"a probe past the limit", here, name("probe3"), name("ENUM") + "@example.org", "RATE_LIMITED", false},
		{"bad input is answered, uncharged", here, "x", "nope", "BAD_USER_INPUT", false},
		{"another address has its own budget", there, name("other"), name("other") + "@example.org", "OK", true},
	}
	for _, s := range steps {
		resp := ask(t, s.c, url, accountSignUpOp, map[string]any{"u": s.u, "e": s.e, "p": "correct horse"})
		if got := outcome(resp); got != s.want {
			t.Fatalf("%s: %s (%+v), want %s", s.what, got, resp.Errors, s.want)
		}
		if s.want == "RATE_LIMITED" {
			secs := 0
			if m := retryAfter.FindStringSubmatch(resp.Errors[0].Message); m != nil {
				secs, _ = strconv.Atoi(m[1])
			}
			if secs < 1 || secs > 3600 {
				t.Errorf("%s: message %q does not say when to retry (1..3600 s)", s.what, resp.Errors[0].Message)
			}
		}
		rows := cypherRows(t, `MATCH (u:User {username: $u}) RETURN count(*) AS n`, map[string]any{"u": s.u})
		if (rows[0]["n"] == int64(1)) != s.stored {
			t.Errorf("%s: %v members named %q, stored=%v expected", s.what, rows[0]["n"], s.u, s.stored)
		}
	}
}

// Wrong guesses from one address spend that address's budget for the account, never the
// owner's: the owner, elsewhere, still logs in. Username and email are one account.
func TestGuessesCannotLockTheOwnerOut(t *testing.T) {
	url := accountServer(t, func(c *config) {
		c.login = limits.LoginConfig{AddressEvery: time.Hour, AddressBurst: 100, AccountEvery: time.Hour, AccountBurst: 3}
	})
	owner, attacker := clientFrom("127.0.0.1"), clientFrom("127.0.0.2")
	n := userSeq.Add(1)
	name, email := fmt.Sprintf("Owner-%d", n), fmt.Sprintf("owner.%d@example.org", n)
	if got := outcome(ask(t, owner, url, accountSignUpOp, map[string]any{"u": name, "e": email, "p": "correct horse"})); got != "OK" {
		t.Fatalf("signUp: %s", got)
	}
	guesses := []struct{ login, want string }{
		{name, "UNAUTHENTICATED"},
		{strings.ToUpper(email), "UNAUTHENTICATED"},
		{strings.ToLower(name), "UNAUTHENTICATED"},
		{email, "RATE_LIMITED"}, // the three above were one bucket: the same member
		{fmt.Sprintf("nobody-%d", n), "UNAUTHENTICATED"},
	}
	for i, g := range guesses {
		if got := outcome(ask(t, attacker, url, accountLogInOp, map[string]any{"l": g.login, "p": "a wrong guess"})); got != g.want {
			t.Fatalf("guess %d (%s): %s, want %s", i+1, g.login, got, g.want)
		}
	}
	if got := outcome(ask(t, attacker, url, accountLogInOp, map[string]any{"l": name, "p": "correct horse"})); got != "RATE_LIMITED" {
		t.Errorf("the attacker's address, right password: %s, want RATE_LIMITED until its bucket refills", got)
	}
	for _, login := range []string{name, email} {
		if got := outcome(ask(t, owner, url, accountLogInOp, map[string]any{"l": login, "p": "correct horse"})); got != "OK" {
			t.Errorf("the owner, from its own address, as %s: %s, want OK", login, got)
		}
	}
}

// A valid token whose user is gone gets UNAUTHENTICATED, as a bad token does, from every
// operation acting for it, never a NOT_FOUND or FORBIDDEN about something else.
func TestTokenOfAGoneUserIsUnauthenticated(t *testing.T) {
	gone, alive := signUp(t, "gone"), signUp(t, "alive")
	publicList := cypherRows(t, `MATCH (l:UserList {public: true}) RETURN l.listId AS id ORDER BY id LIMIT 1`, nil)[0]["id"].(string)
	review := cypherRows(t, `MATCH (r:Review) RETURN r.reviewId AS id ORDER BY id LIMIT 1`, nil)[0]["id"].(string)
	cypherRows(t, `MATCH (u:User {userId: $id}) DETACH DELETE u`, map[string]any{"id": gone.UserID})

	film := movieID(1)
	vars := map[string]any{"film": film, "list": relay.ID("UserList", publicList), "review": relay.ID("Review", review)}
	operations := map[string]string{
		"rateMovie":            `mutation($film: ID!) { rateMovie(movieId: $film, score: 7) { id } }`,
		"clearRating":          `mutation($film: ID!) { clearRating(movieId: $film) { id } }`,
		"addToCollection":      `mutation($film: ID!) { addToCollection(movieId: $film) { id } }`,
		"hideRecommendation":   `mutation($film: ID!) { hideRecommendation(movieId: $film) { id } }`,
		"writeReview":          `mutation($film: ID!) { writeReview(movieId: $film, text: "mine", score: 7) { id } }`,
		"addComment":           `mutation($review: ID!) { addComment(reviewId: $review, text: "mine") { id } }`,
		"createList":           `mutation { createList(title: "mine") { id } }`,
		"updateList (public)":  `mutation($list: ID!) { updateList(listId: $list, title: "mine now") { id } }`,
		"submitSynopsis":       `mutation($film: ID!) { submitSynopsis(movieId: $film, text: "mine") { id } }`,
		"me":                   `{ me { email } }`,
		"recommendationsForMe": `{ recommendationsForMe { totalCount } }`,
	}
	messages := map[string]bool{}
	for name, op := range operations {
		t.Run(name, func(t *testing.T) {
			_, resp, _ := postAs(t, gone.Token, op, vars)
			if got := outcome(resp); got != "UNAUTHENTICATED" {
				t.Fatalf("%s (%+v), want UNAUTHENTICATED", got, resp.Errors)
			}
			messages[resp.Errors[0].Message] = true
		})
	}
	if len(messages) != 1 {
		t.Errorf("messages differ: %v", messages)
	}
	if rows := cypherRows(t, `MATCH (n) WHERE n.text = "mine" OR n.title IN ["mine", "mine now"] RETURN count(n) AS n`, nil); rows[0]["n"] != int64(0) {
		t.Errorf("%v nodes written for a gone user", rows[0]["n"])
	}
	// The rule does not swallow other answers: a member who exists still hears about the film.
	wantError(t, alive.Token, `mutation { rateMovie(movieId: "`+movieID(999999999)+`", score: 7) { id } }`, nil, "NOT_FOUND")
	wantError(t, alive.Token, `mutation($list: ID!) { updateList(listId: $list, title: "mine now") { id } }`, vars, "FORBIDDEN")
}

func TestLoadConfigReadsTheAccountLimits(t *testing.T) {
	t.Setenv("FILMGRAPH_LOGIN_PER_MINUTE_PER_ADDRESS", "20")
	t.Setenv("FILMGRAPH_LOGIN_PER_MINUTE_PER_ACCOUNT", "4")
	t.Setenv("FILMGRAPH_SIGNUPS_PER_HOUR_PER_ADDRESS", "12")
	cfg, err := loadConfig()
	if err != nil {
		t.Fatal(err)
	}
	if cfg.login.AddressBurst != 20 || cfg.login.AddressEvery != 3*time.Second ||
		cfg.login.AccountBurst != 4 || cfg.login.AccountEvery != 15*time.Second {
		t.Errorf("login limits: %+v", cfg.login)
	}
	if cfg.signUp.Burst != 12 || cfg.signUp.Every != 5*time.Minute {
		t.Errorf("sign-up limit: %+v", cfg.signUp)
	}
	for _, bad := range []string{"0", "-3", "many", "1000001"} {
		t.Setenv("FILMGRAPH_SIGNUPS_PER_HOUR_PER_ADDRESS", bad)
		if _, err := loadConfig(); err == nil || !strings.Contains(err.Error(), "FILMGRAPH_SIGNUPS_PER_HOUR_PER_ADDRESS") {
			t.Errorf("FILMGRAPH_SIGNUPS_PER_HOUR_PER_ADDRESS=%s: error %v, want one naming the setting", bad, err)
		}
	}
	t.Setenv("FILMGRAPH_SIGNUPS_PER_HOUR_PER_ADDRESS", "")
	if cfg, _ := loadConfig(); cfg.signUp != limits.DefaultSignUpConfig {
		t.Errorf("default sign-up limit: %+v, want %+v", cfg.signUp, limits.DefaultSignUpConfig)
	}
}
