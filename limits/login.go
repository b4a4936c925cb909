package limits

import (
	"context"
	"math"
	"strings"
	"sync"
	"time"

	lru "github.com/hashicorp/golang-lru/v2"
	"golang.org/x/time/rate"

	"filmgraph/apperr"
	"filmgraph/observe"
)

// LoginConfig sets the log-in rate limits. Each is a token bucket: Burst attempts at once,
// refilled at one attempt per Every.
type LoginConfig struct {
	// PerAddress limits attempts from one client IP address, whatever the account.
	AddressEvery time.Duration
	AddressBurst int
	// PerAccount limits attempts on one account (username or email, case-insensitive),
	// whatever the address: it stops a password guesser spread over many addresses.
	AccountEvery time.Duration
	AccountBurst int
	// MaxKeys bounds the memory: at most this many addresses and this many accounts are
	// tracked, the least recently seen forgotten first.
	MaxKeys int
}

// DefaultLoginConfig allows a burst of 10 attempts per address refilled at one every 6 s
// (10 a minute), and 5 per account refilled at one every 12 s (5 a minute), tracking up to
// 10,000 addresses and 10,000 accounts (about 2 MB).
var DefaultLoginConfig = LoginConfig{
	AddressEvery: 6 * time.Second, AddressBurst: 10,
	AccountEvery: 12 * time.Second, AccountBurst: 5,
	MaxKeys: 10000,
}

// LoginLimiter limits log-in attempts per client address and per account. It is safe for
// concurrent use.
type LoginLimiter struct {
	addresses, accounts *buckets
}

// NewLoginLimiter returns a limiter with cfg's limits; zero fields take DefaultLoginConfig's.
func NewLoginLimiter(cfg LoginConfig) *LoginLimiter {
	d := DefaultLoginConfig
	if cfg.AddressEvery <= 0 {
		cfg.AddressEvery = d.AddressEvery
	}
	if cfg.AddressBurst <= 0 {
		cfg.AddressBurst = d.AddressBurst
	}
	if cfg.AccountEvery <= 0 {
		cfg.AccountEvery = d.AccountEvery
	}
	if cfg.AccountBurst <= 0 {
		cfg.AccountBurst = d.AccountBurst
	}
	if cfg.MaxKeys <= 0 {
		cfg.MaxKeys = d.MaxKeys
	}
	return &LoginLimiter{
		addresses: newBuckets(rate.Every(cfg.AddressEvery), cfg.AddressBurst, cfg.MaxKeys),
		accounts:  newBuckets(rate.Every(cfg.AccountEvery), cfg.AccountBurst, cfg.MaxKeys),
	}
}

// Allow takes one attempt from the address's and the account's buckets and reports whether
// both had one; when not, neither is charged and retryAfter says when to try again.
func (l *LoginLimiter) Allow(address, account string) (ok bool, retryAfter time.Duration) {
	now := time.Now()
	byAddress := l.addresses.get(address).ReserveN(now, 1)
	byAccount := l.accounts.get(normalizeAccount(account)).ReserveN(now, 1)
	wait := max(delay(byAddress, now), delay(byAccount, now))
	if wait == 0 {
		return true, 0
	}
	byAddress.CancelAt(now)
	byAccount.CancelAt(now)
	return false, wait
}

// Check is Allow for a resolver: the address is the client's, from the request in ctx, and
// a refusal is a RATE_LIMITED error saying when to retry. Call it before checking the
// password, so that refused attempts cost no hashing.
func (l *LoginLimiter) Check(ctx context.Context, account string) error {
	ok, wait := l.Allow(observe.ClientAddr(ctx), account)
	if ok {
		return nil
	}
	return apperr.New(apperr.RateLimited, "too many log-in attempts; try again in %d s", int(math.Ceil(wait.Seconds())))
}

func delay(r *rate.Reservation, now time.Time) time.Duration {
	if !r.OK() {
		return time.Hour
	}
	return r.DelayFrom(now)
}

func normalizeAccount(account string) string {
	return strings.ToLower(strings.TrimSpace(account))
}

// buckets is a bounded map from key to token bucket.
type buckets struct {
	mu    sync.Mutex
	cache *lru.Cache[string, *rate.Limiter]
	limit rate.Limit
	burst int
}

func newBuckets(limit rate.Limit, burst, size int) *buckets {
	cache, _ := lru.New[string, *rate.Limiter](size) // errors only for size <= 0
	return &buckets{cache: cache, limit: limit, burst: burst}
}

func (b *buckets) get(key string) *rate.Limiter {
	b.mu.Lock()
	defer b.mu.Unlock()
	if l, ok := b.cache.Get(key); ok {
		return l
	}
	l := rate.NewLimiter(b.limit, b.burst)
	b.cache.Add(key, l)
	return l
}
