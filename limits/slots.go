package limits

import (
	"errors"
	"sync"
)

// Errors of Slots.Acquire.
var (
	// ErrKeyFull: the key already holds its cap of slots.
	ErrKeyFull = errors.New("the key holds its maximum of slots")
	// ErrFull: all keys together hold the total cap.
	ErrFull = errors.New("the maximum of slots is taken")
)

// Slots counts what each key (a client address) holds at once, the WebSockets or the
// subscriptions of an address, under a cap per key and a cap in all. A zero cap means
// none. It is safe for concurrent use, and keeps one entry per key that holds a slot, so
// its memory is bounded by the total cap.
type Slots struct {
	perKey, total int

	mu   sync.Mutex
	held map[string]int
	n    int
}

// NewSlots returns empty slots with the caps perKey and total.
func NewSlots(perKey, total int) *Slots {
	return &Slots{perKey: perKey, total: total, held: map[string]int{}}
}

// Acquire takes a slot for key, or answers ErrKeyFull or ErrFull and takes nothing. The
// returned release gives the slot back; calling it again does nothing.
func (s *Slots) Acquire(key string) (release func(), err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	switch {
	case s.perKey > 0 && s.held[key] >= s.perKey:
		return nil, ErrKeyFull
	case s.total > 0 && s.n >= s.total:
		return nil, ErrFull
	}
	s.held[key]++
	s.n++
	var once sync.Once
	return func() { once.Do(func() { s.release(key) }) }, nil
}

func (s *Slots) release(key string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.n--
	if s.held[key]--; s.held[key] <= 0 {
		delete(s.held, key)
	}
}

// Held returns how many slots key holds.
func (s *Slots) Held(key string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.held[key]
}
