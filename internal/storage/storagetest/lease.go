package storagetest

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/hubauth/hubauth/internal/storage"
)

var leaseTests = []subtest{
	{"AcquireLease", testAcquireLease},
	{"AcquireLeaseConcurrent", testAcquireLeaseConcurrent},
}

func testAcquireLease(t *testing.T, s storage.Storage) {
	ctx := t.Context()
	acquire := func(name, holder string, now time.Time, want bool) {
		t.Helper()
		got, err := s.AcquireLease(ctx, name, holder, now, time.Minute)
		if err != nil || got != want {
			t.Errorf("AcquireLease(%s, %s, %v) = %v, %v; want %v", name, holder, now.Sub(base), got, err, want)
		}
	}
	acquire("gc", "a", at(0), true)                           // free
	acquire("gc", "b", at(30*time.Second), false)             // a holds it
	acquire("other", "b", at(30*time.Second), true)           // leases are independent
	acquire("gc", "a", at(59*time.Second), true)              // renewal: now until 1m59s
	acquire("gc", "b", at(time.Minute+30*time.Second), false) // still a's
	acquire("gc", "b", at(time.Minute+59*time.Second), true)  // expired: b takes it
	acquire("gc", "a", at(2*time.Minute), false)
}

func testAcquireLeaseConcurrent(t *testing.T, s storage.Storage) {
	const n = 20
	var wg sync.WaitGroup
	var mu sync.Mutex
	winners := 0
	for i := range n {
		wg.Go(func() {
			ok, err := s.AcquireLease(t.Context(), "gc", fmt.Sprint("node-", i), at(0), time.Minute)
			if err != nil {
				t.Errorf("AcquireLease: %v", err)
			}
			if ok {
				mu.Lock()
				winners++
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	if winners != 1 {
		t.Errorf("%d of %d concurrent AcquireLease calls won a free lease, want exactly 1", winners, n)
	}
}
