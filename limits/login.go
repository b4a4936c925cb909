package limits

import (
	"context"
	"math"
	"net/netip"
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
	// PerAddress limits attempts from one client address (an IPv6 client: its /64),
	// whatever the account: it bounds one guesser's rate.
	AddressEvery time.Duration
	AddressBurst int
	// PerAccount limits attempts on one account from one client address. Keyed by the pair,
	// not by the account alone, so that a stranger's wrong guesses cannot lock the owner out:
	// they spend the stranger's bucket, never the owner's. The account is the member's
	// identity, so its username and its email share one bucket.
	AccountEvery time.Duration
	AccountBurst int
	// MaxKeys bounds the memory: at most this many addresses and this many (address,
	// account) pairs are tracked, the least recently seen forgotten first.
	MaxKeys int
}

// DefaultLoginConfig allows a burst of 10 attempts per address refilled at one every 6 s
// (10 a minute), and 5 per account and address refilled at one every 12 s (5 a minute),
// tracking up to 10,000 addresses and 10,000 pairs (about 2 MB).
var DefaultLoginConfig = LoginConfig{
	AddressEvery: 6 * time.Second, AddressBurst: 10,
	AccountEvery: 12 * time.Second, AccountBurst: 5,
	MaxKeys: 10000,
}

// LoginLimiter limits log-in attempts per client address and per (address, account) pair.
// It is safe for concurrent use.
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

// Allow takes one attempt from the address's bucket and from the (address, account) pair's
// and reports whether both had one; when not, neither is charged and retryAfter says when
// to try again. account names the member's identity (the caller's choice: its user id when
// known), compared exactly.
func (l *LoginLimiter) Allow(address, account string) (ok bool, retryAfter time.Duration) {
	now := time.Now()
	address = addressKey(address)
	byAddress := l.addresses.get(address).ReserveN(now, 1)
	byPair := l.accounts.get(address+"\x00"+account).ReserveN(now, 1)
	wait := max(delay(byAddress, now), delay(byPair, now))
	if wait == 0 {
		return true, 0
	}
	byAddress.CancelAt(now)
	byPair.CancelAt(now)
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
	return rateLimited("too many log-in attempts", wait)
}

// CheckAddress refuses, charging nothing, a client address that has no attempt left, so
// that the caller can turn a flood away before it looks the member up; Check still charges
// the attempts that pass.
func (l *LoginLimiter) CheckAddress(ctx context.Context) error {
	bucket := l.addresses.get(addressKey(observe.ClientAddr(ctx)))
	if tokens := bucket.TokensAt(time.Now()); tokens < 1 {
		wait := time.Duration((1 - tokens) / float64(bucket.Limit()) * float64(time.Second))
		return rateLimited("too many log-in attempts", wait)
	}
	return nil
}

// rateLimited is the RATE_LIMITED error of a refusal, with the whole seconds to wait.
func rateLimited(what string, wait time.Duration) error {
	return apperr.New(apperr.RateLimited, "%s; try again in %d s", what, int(math.Ceil(wait.Seconds())))
}

func delay(r *rate.Reservation, now time.Time) time.Duration {
	if !r.OK() {
		return time.Hour
	}
	return r.DelayFrom(now)
}

// addressKey is the bucket key of a client address: the address itself, or for IPv6 its
// /64, since one subscriber usually holds a whole /64 and could otherwise take a fresh
// bucket per address.
func addressKey(address string) string {
	ip, err := netip.ParseAddr(address)
	if err != nil || !ip.Is6() || ip.Is4In6() {
		return address
	}
	prefix, _ := ip.Prefix(64)
	return prefix.String()
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
