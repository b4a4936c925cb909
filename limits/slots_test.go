package limits

import (
	"errors"
	"sync"
	"testing"
)

func TestSlotsCapPerKeyAndInAll(t *testing.T) {
	s := NewSlots(2, 3)
	a1, err1 := s.Acquire("a")
	_, err2 := s.Acquire("a")
	if err1 != nil || err2 != nil {
		t.Fatal(err1, err2)
	}
	if _, err := s.Acquire("a"); !errors.Is(err, ErrKeyFull) {
		t.Fatalf("third slot of a: %v, want ErrKeyFull", err)
	}
	if _, err := s.Acquire("b"); err != nil {
		t.Fatalf("first slot of b: %v", err)
	}
	if _, err := s.Acquire("c"); !errors.Is(err, ErrFull) {
		t.Fatalf("fourth slot in all: %v, want ErrFull", err)
	}
	a1()
	a1() // a second release gives nothing back twice
	if got := s.Held("a"); got != 1 {
		t.Fatalf("a holds %d after one release, want 1", got)
	}
	if _, err := s.Acquire("c"); err != nil {
		t.Fatalf("after a release: %v", err)
	}
	if _, err := s.Acquire("d"); !errors.Is(err, ErrFull) {
		t.Fatalf("the released slot was counted twice: %v", err)
	}
}

func TestSlotsForgetKeysWithNothingHeld(t *testing.T) {
	s := NewSlots(0, 0) // no caps
	var wg sync.WaitGroup
	for i := range 100 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			release, err := s.Acquire(string(rune('a' + i%10)))
			if err != nil {
				t.Error(err)
				return
			}
			release()
		}()
	}
	wg.Wait()
	if len(s.held) != 0 || s.n != 0 {
		t.Fatalf("after every release: %d keys, %d slots", len(s.held), s.n)
	}
}
