package limits

import (
	"context"
	"strings"
	"testing"
	"time"

	"filmgraph/apperr"
	"filmgraph/observe"
)

func TestSignUpLimiterPerAddress(t *testing.T) {
	l := NewSignUpLimiter(SignUpConfig{Every: time.Hour, Burst: 2, MaxKeys: 100})
	steps := []struct {
		name, address string
		want          bool
	}{
		{"first", "10.0.0.1", true},
		{"second", "10.0.0.1", true},
		{"third from the address", "10.0.0.1", false},
		{"still refused: refusals charge nothing, but refill takes an hour", "10.0.0.1", false},
		{"another address", "10.0.0.2", true},
		{"an IPv6 client", "2001:db8::1", true},
		{"the same /64", "2001:db8::2", true},
		{"the /64 is one address", "2001:db8::3", false},
	}
	for _, s := range steps {
		ok, wait := l.Allow(s.address)
		if ok != s.want {
			t.Fatalf("%s: Allow(%q) = %v, want %v", s.name, s.address, ok, s.want)
		}
		if !ok && (wait <= 0 || wait > time.Hour) {
			t.Errorf("%s: retry delay %v, want within the hour", s.name, wait)
		}
	}
}

func TestSignUpLimiterCheckIsCoded(t *testing.T) {
	l := NewSignUpLimiter(SignUpConfig{Burst: 1, Every: time.Minute})
	ctx := observe.WithRequest(context.Background(), observe.NewRequest("192.0.2.7"))
	if err := l.Check(ctx); err != nil {
		t.Fatal(err)
	}
	err := l.Check(ctx)
	if apperr.CodeOf(err) != apperr.RateLimited || !strings.Contains(err.Error(), "try again in 60 s") {
		t.Fatalf("got %v, want RATE_LIMITED saying to try again in 60 s", err)
	}
}
