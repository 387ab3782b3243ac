package throttle

import (
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// clock is a pinned time that tests move by hand. It is safe for concurrent
// use.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *clock { return &clock{t: time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)} }

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

func TestKeyedAllow(t *testing.T) {
	type step struct {
		advance   time.Duration
		key       string
		ok        bool
		retryWant time.Duration
	}
	tests := []struct {
		name  string
		rate  float64
		burst int
		steps []step
	}{
		{"burst then refill", 1, 3, []step{
			{0, "a", true, 0}, {0, "a", true, 0}, {0, "a", true, 0},
			{0, "a", false, time.Second},
			{400 * time.Millisecond, "a", false, 600 * time.Millisecond},
			{600 * time.Millisecond, "a", true, 0},
			{0, "a", false, time.Second},
		}},
		{"idle refills to burst, not beyond", 1, 2, []step{
			{0, "a", true, 0}, {0, "a", true, 0},
			{time.Hour, "a", true, 0}, {0, "a", true, 0},
			{0, "a", false, time.Second},
		}},
		{"keys are independent", 1, 1, []step{
			{0, "a", true, 0}, {0, "a", false, time.Second},
			{0, "b", true, 0}, {0, "b", false, time.Second},
		}},
		{"slow rate", 0.5, 1, []step{
			{0, "a", true, 0},
			{time.Second, "a", false, time.Second},
			{time.Second, "a", true, 0},
		}},
		{"fast rate", 100, 2, []step{
			{0, "a", true, 0}, {0, "a", true, 0},
			{0, "a", false, 10 * time.Millisecond},
			{10 * time.Millisecond, "a", true, 0},
		}},
		{"burst 0 means 1", 1, 0, []step{
			{0, "a", true, 0}, {0, "a", false, time.Second},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := newClock()
			k := NewKeyed(tt.rate, tt.burst, 0, c.Now)
			for i, s := range tt.steps {
				c.Advance(s.advance)
				ok, retry := k.Allow(s.key)
				if ok != s.ok || retry != s.retryWant {
					t.Errorf("step %d: Allow(%q) = %v, %v; want %v, %v", i, s.key, ok, retry, s.ok, s.retryWant)
				}
			}
		})
	}
}

func TestKeyedBoundedKeys(t *testing.T) {
	tests := []struct {
		name    string
		maxKeys int
	}{
		{"one shard", 100},
		{"many shards", 10_000},
		{"default", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := newClock()
			k := NewKeyed(1, 2, tt.maxKeys, c.Now)
			limit := tt.maxKeys
			if limit == 0 {
				limit = DefaultMaxKeys
			}
			k.Allow("hot")
			k.Allow("hot")
			for i := range 100_000 {
				k.Allow("flood-" + strconv.Itoa(i))
				if i%10 == 0 {
					if ok, _ := k.Allow("hot"); ok {
						t.Fatalf("hot key allowed after %d flood keys: it was evicted while in use", i)
					}
				}
			}
			if n := k.Len(); n > limit {
				t.Errorf("Len = %d after 100k distinct keys, want at most %d", n, limit)
			}
		})
	}
}

func TestKeyedDropsIdleKeys(t *testing.T) {
	c := newClock()
	k := NewKeyed(1, 1, 1000, c.Now)
	for i := range 500 {
		k.Allow("old-" + strconv.Itoa(i))
	}
	c.Advance(time.Second) // every bucket is full again
	for i := range 500 {
		k.Allow("new-" + strconv.Itoa(i))
	}
	if n := k.Len(); n > 600 {
		t.Errorf("Len = %d, want the refilled old keys dropped (about 500)", n)
	}
}

func TestKeyedConcurrent(t *testing.T) {
	c := newClock()
	k := NewKeyed(1, 100, 0, c.Now)
	var allowed atomic.Int32
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 1000 {
				if ok, _ := k.Allow("shared"); ok {
					allowed.Add(1)
				}
			}
		})
	}
	wg.Wait()
	if got := allowed.Load(); got != 100 {
		t.Errorf("allowed %d of 8000 concurrent requests, want the burst of 100", got)
	}
}

func TestNewKeyedPanics(t *testing.T) {
	for _, rate := range []float64{0, -1} {
		t.Run(strconv.FormatFloat(rate, 'g', -1, 64), func(t *testing.T) {
			defer func() {
				if recover() == nil {
					t.Errorf("NewKeyed(%v) did not panic", rate)
				}
			}()
			NewKeyed(rate, 1, 1, nil)
		})
	}
}

func benchKeys(n int) []string {
	keys := make([]string, n)
	for i := range keys {
		keys[i] = "203.0.113." + strconv.Itoa(i)
	}
	return keys
}

func BenchmarkKeyedAllow(b *testing.B) {
	k := NewKeyed(1000, 10, 0, nil)
	keys := benchKeys(4096)
	i := 0
	for b.Loop() {
		k.Allow(keys[i&4095])
		i++
	}
}

// BenchmarkKeyedAllowFlood measures a flood of distinct keys in a full table:
// every call evicts.
func BenchmarkKeyedAllowFlood(b *testing.B) {
	k := NewKeyed(1, 1, 10_000, nil)
	keys := benchKeys(1 << 16)
	i := 0
	for b.Loop() {
		k.Allow(keys[i&(1<<16-1)])
		i++
	}
}

func BenchmarkKeyedAllowParallel(b *testing.B) {
	k := NewKeyed(1000, 10, 0, nil)
	keys := benchKeys(4096)
	var next atomic.Int64
	b.RunParallel(func(pb *testing.PB) {
		i := int(next.Add(1000))
		for pb.Next() {
			k.Allow(keys[i&4095])
			i++
		}
	})
}
