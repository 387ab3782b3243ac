package throttle

import (
	"time"
)

// DefaultMaxKeys is the number of keys a limiter keeps when its constructor
// is given 0: about 15 MB with keys the size of an address or a username.
const DefaultMaxKeys = 100_000

// Keyed is a token-bucket rate limiter with one bucket per key. Each bucket
// holds up to burst tokens and refills at rate tokens per second; a request
// takes one token. Its methods are safe for concurrent use.
//
// Keyed stores one time per key (the generic cell rate algorithm, GCRA, which
// is a token bucket without a token count) and keeps at most maxKeys keys,
// evicting the least recently used: an evicted key starts again with a full
// bucket.
type Keyed struct {
	interval  time.Duration // time to refill one token
	tolerance time.Duration // time to refill the whole bucket
	now       func() time.Time
	origin    time.Time
	t         *table[bucket]
}

// bucket is the state of one key: the theoretical arrival time of the next
// request (GCRA's TAT), as a duration since the limiter's origin. The bucket
// is full when tat is not after now.
type bucket struct {
	tat time.Duration
}

// NewKeyed returns a limiter that allows each key burst requests at once and
// rate requests per second after that, keeping at most maxKeys keys. burst
// below 1 means 1, maxKeys 0 or less means DefaultMaxKeys, and a nil now means
// time.Now. NewKeyed panics if rate is not positive.
func NewKeyed(rate float64, burst int, maxKeys int, now func() time.Time) *Keyed {
	if !(rate > 0) {
		panic("throttle: rate must be positive")
	}
	burst = max(burst, 1)
	if maxKeys <= 0 {
		maxKeys = DefaultMaxKeys
	}
	if now == nil {
		now = time.Now
	}
	interval := max(time.Duration(float64(time.Second)/rate), 1)
	return &Keyed{
		interval:  interval,
		tolerance: time.Duration(burst) * interval,
		now:       now,
		origin:    now(),
		t:         newTable(maxKeys, bucketIdle),
	}
}

func bucketIdle(b *bucket, now time.Duration) bool { return b.tat <= now }

// Allow takes a token from the bucket of key. When the bucket is empty it
// returns false and how long until the next token; the caller answers 429
// with Retry-After (rounded up to whole seconds).
func (k *Keyed) Allow(key string) (ok bool, retryAfter time.Duration) {
	now := k.now().Sub(k.origin)
	s := k.t.shard(key)
	defer s.mu.Unlock()
	e, created := s.lookup(key, now)
	b := &e.val
	if created || b.tat < now {
		b.tat = now
	}
	next := b.tat + k.interval
	if wait := next - now - k.tolerance; wait > 0 {
		return false, wait
	}
	b.tat = next
	return true, 0
}

// Len returns the number of keys the limiter holds, for metrics and tests.
func (k *Keyed) Len() int { return k.t.len() }
