package limits

import (
	"context"
	"time"

	"golang.org/x/time/rate"

	"filmgraph/observe"
)

// SignUpConfig sets the sign-up rate limit per client address (an IPv6 client: its /64), a
// token bucket of Burst sign-ups refilled at one per Every. Each sign-up costs a bcrypt
// hash, and its CONFLICT answer says whether a username or email is registered: the limit
// bounds both the CPU one client can spend and how fast it can enumerate members.
type SignUpConfig struct {
	Every   time.Duration
	Burst   int
	MaxKeys int // addresses tracked, the least recently seen forgotten first
}

// DefaultSignUpConfig allows 5 sign-ups per address at once, refilled at one every 12
// minutes (5 an hour, 120 a day), far more than people behind one address sign up, and
// tracks up to 10,000 addresses.
var DefaultSignUpConfig = SignUpConfig{Every: 12 * time.Minute, Burst: 5, MaxKeys: 10000}

// SignUpLimiter limits sign-ups per client address. It is safe for concurrent use.
type SignUpLimiter struct{ addresses *buckets }

// NewSignUpLimiter returns a limiter with cfg's limits; zero fields take
// DefaultSignUpConfig's.
func NewSignUpLimiter(cfg SignUpConfig) *SignUpLimiter {
	d := DefaultSignUpConfig
	if cfg.Every <= 0 {
		cfg.Every = d.Every
	}
	if cfg.Burst <= 0 {
		cfg.Burst = d.Burst
	}
	if cfg.MaxKeys <= 0 {
		cfg.MaxKeys = d.MaxKeys
	}
	return &SignUpLimiter{addresses: newBuckets(rate.Every(cfg.Every), cfg.Burst, cfg.MaxKeys)}
}

// Allow takes one sign-up from address's bucket and reports whether it had one; when not,
// nothing is charged and retryAfter says when to try again.
func (l *SignUpLimiter) Allow(address string) (ok bool, retryAfter time.Duration) {
	now := time.Now()
	r := l.addresses.get(addressKey(address)).ReserveN(now, 1)
	if wait := delay(r, now); wait > 0 {
		r.CancelAt(now)
		return false, wait
	}
	return true, 0
}

// Check is Allow for a resolver, for the client address of the request in ctx: a refusal
// is a RATE_LIMITED error saying when to retry. Call it after validating the arguments
// (a typo costs nothing) and before hashing the password.
func (l *SignUpLimiter) Check(ctx context.Context) error {
	if ok, wait := l.Allow(observe.ClientAddr(ctx)); !ok {
		return rateLimited("too many sign-ups from your address", wait)
	}
	return nil
}
