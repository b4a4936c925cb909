package limits

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"filmgraph/apperr"
	"filmgraph/observe"
)

func TestLoginLimiterPerAddressAndPerAccount(t *testing.T) {
	l := NewLoginLimiter(LoginConfig{AddressEvery: time.Hour, AddressBurst: 3, AccountEvery: time.Hour, AccountBurst: 2, MaxKeys: 100})
	steps := []struct {
		name, address, account string
		want                   bool
	}{
		{"first attempt", "10.0.0.1", "user:1", true},
		{"second attempt on the account", "10.0.0.1", "user:1", true},
		{"the pair's bucket is empty", "10.0.0.1", "user:1", false},
		{"the owner, from another address, is not locked out", "10.0.0.2", "user:1", true},
		{"the address still has one attempt for another account", "10.0.0.1", "user:2", true},
		{"address bucket empty", "10.0.0.1", "user:3", false},
		{"refusals charged nothing: user 3 still has its attempts", "10.0.0.3", "user:3", true},
		{"and 10.0.0.2 still has its own", "10.0.0.2", "user:4", true},
	}
	for _, s := range steps {
		ok, wait := l.Allow(s.address, s.account)
		if ok != s.want {
			t.Fatalf("%s: Allow(%q, %q) = %v, want %v", s.name, s.address, s.account, ok, s.want)
		}
		if !ok && wait <= 0 {
			t.Errorf("%s: refused without a retry delay", s.name)
		}
	}
}

// An IPv6 client holds a whole /64: all of it is one address for the limits.
func TestLoginLimiterGroupsIPv6By64(t *testing.T) {
	l := NewLoginLimiter(LoginConfig{AddressEvery: time.Hour, AddressBurst: 2, AccountEvery: time.Hour, AccountBurst: 100})
	for i, address := range []string{"2001:db8::1", "2001:db8::ffff:2"} {
		if ok, _ := l.Allow(address, "user:"+strconv.Itoa(i)); !ok {
			t.Fatalf("attempt %d refused", i+1)
		}
	}
	if ok, _ := l.Allow("2001:db8::3", "user:9"); ok {
		t.Error("a third address of the same /64 got past the address limit")
	}
	if ok, _ := l.Allow("2001:db8:0:1::1", "user:9"); !ok {
		t.Error("another /64 was refused")
	}
	if ok, _ := l.Allow("::ffff:192.0.2.1", "user:9"); !ok {
		t.Error("an IPv4-mapped address was refused")
	}
}

func TestLoginLimiterRefills(t *testing.T) {
	l := NewLoginLimiter(LoginConfig{AddressEvery: 20 * time.Millisecond, AddressBurst: 1, AccountEvery: 20 * time.Millisecond, AccountBurst: 1})
	if ok, _ := l.Allow("a", "x"); !ok {
		t.Fatal("first attempt refused")
	}
	ok, wait := l.Allow("a", "x")
	if ok || wait > 20*time.Millisecond {
		t.Fatalf("second attempt: ok=%v wait=%v", ok, wait)
	}
	time.Sleep(wait + 5*time.Millisecond)
	if ok, _ := l.Allow("a", "x"); !ok {
		t.Fatal("refused after the bucket refilled")
	}
}

func TestLoginLimiterMemoryIsBounded(t *testing.T) {
	l := NewLoginLimiter(LoginConfig{MaxKeys: 50})
	for i := range 10000 {
		l.Allow(string(rune('a'+i%26))+time.Duration(i).String(), time.Duration(i).String())
	}
	if n := l.addresses.cache.Len(); n != 50 {
		t.Errorf("addresses tracked: %d, want 50", n)
	}
	if n := l.accounts.cache.Len(); n != 50 {
		t.Errorf("accounts tracked: %d, want 50", n)
	}
}

func TestLoginLimiterCheckIsCoded(t *testing.T) {
	l := NewLoginLimiter(LoginConfig{AddressBurst: 1, AddressEvery: time.Minute})
	ctx := observe.WithRequest(context.Background(), observe.NewRequest("192.0.2.7"))
	if err := l.Check(ctx, "alice"); err != nil {
		t.Fatal(err)
	}
	err := l.Check(ctx, "bob")
	if apperr.CodeOf(err) != apperr.RateLimited {
		t.Fatalf("got %v, want RATE_LIMITED", err)
	}
	t.Log(err)
}

func TestCheckAddressRefusesWithoutCharging(t *testing.T) {
	l := NewLoginLimiter(LoginConfig{AddressBurst: 2, AddressEvery: time.Minute, AccountBurst: 5, AccountEvery: time.Minute})
	ctx := observe.WithRequest(context.Background(), observe.NewRequest("192.0.2.8"))
	for i := range 5 { // looking costs nothing: the two attempts are still there
		if err := l.CheckAddress(ctx); err != nil {
			t.Fatalf("look %d: %v", i, err)
		}
	}
	for _, account := range []string{"alice", "bob"} {
		if err := l.Check(ctx, account); err != nil {
			t.Fatalf("attempt on %s: %v", account, err)
		}
	}
	err := l.CheckAddress(ctx)
	if apperr.CodeOf(err) != apperr.RateLimited || !strings.Contains(err.Error(), "try again in") {
		t.Fatalf("after the address's two attempts: %v, want RATE_LIMITED with the wait", err)
	}
	other := observe.WithRequest(context.Background(), observe.NewRequest("192.0.2.9"))
	if err := l.CheckAddress(other); err != nil {
		t.Errorf("another address: %v", err)
	}
}
