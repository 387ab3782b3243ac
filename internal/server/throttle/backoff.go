package throttle

import "time"

// BackoffConfig configures a Backoff. Zero fields take the defaults given
// beside them.
type BackoffConfig struct {
	// FreeFailures is how many failures a key may make before its attempts
	// are delayed (default 5).
	FreeFailures int
	// BaseDelay is the delay after the first failure beyond the free ones;
	// it doubles with each further failure (default 1s).
	BaseDelay time.Duration
	// MaxDelay caps the delay (default 60s).
	MaxDelay time.Duration
	// Window is how long after the last failure a key's failures are
	// forgotten (default 15m).
	Window time.Duration
	// MaxKeys bounds the keys kept (default DefaultMaxKeys).
	MaxKeys int
	// Now returns the current time (default time.Now).
	Now func() time.Time
}

// Backoff slows down failed attempts under one key, as LoginGuard does for
// each of its keys: once a key has used its free failures, its next attempt
// must wait BaseDelay after the last failure, and the wait doubles with each
// further failure up to MaxDelay. The key's failures are forgotten Window
// after the last one; success forgets nothing (a guesser who also holds a
// valid answer could otherwise wipe its record). Its methods are safe for
// concurrent use.
type Backoff struct {
	c *counters
	p policy
}

// NewBackoff returns a Backoff configured by cfg.
func NewBackoff(cfg BackoffConfig) *Backoff {
	return &Backoff{
		c: newCounters(cfg.BaseDelay, cfg.Window, cfg.MaxKeys, cfg.Now),
		p: policy{orDefault(cfg.FreeFailures, 5), orDefault(cfg.MaxDelay, time.Minute)},
	}
}

// Check returns how long the caller must wait before the next attempt under
// key, or 0 when it may go ahead. A caller that gets a wait answers 429 with
// Retry-After without making the attempt (and without calling Failed).
func (b *Backoff) Check(key string) (retryAfter time.Duration) {
	return b.c.wait(key, b.p, b.c.elapsed())
}

// Failed records a failed attempt under key.
func (b *Backoff) Failed(key string) { b.c.fail(key, b.c.elapsed()) }

// Len returns the number of keys held, for metrics and tests.
func (b *Backoff) Len() int { return b.c.t.len() }

// counters are failure counts per key in a bounded table, shared by
// LoginGuard and Backoff: each key delays attempts by the rule of a policy.
type counters struct {
	now          func() time.Time
	origin       time.Time
	base, window time.Duration
	t            *table[counter]
}

// policy is when a counter starts to delay and its cap.
type policy struct {
	free     int
	maxDelay time.Duration
}

// counter is the failures under one key and the time of the last one, as a
// duration since the origin.
type counter struct {
	failures int
	last     time.Duration
}

func newCounters(base, window time.Duration, maxKeys int, now func() time.Time) *counters {
	if now == nil {
		now = time.Now
	}
	c := &counters{now: now, origin: now(), base: orDefault(base, time.Second), window: orDefault(window, 15*time.Minute)}
	c.t = newTable(orDefault(maxKeys, DefaultMaxKeys), c.idle)
	return c
}

func orDefault[T int | time.Duration](v, def T) T {
	if v <= 0 {
		return def
	}
	return v
}

// elapsed is the current time as a duration since the origin.
func (c *counters) elapsed() time.Duration { return c.now().Sub(c.origin) }

// idle reports whether a counter no longer counts: no failures, or none for
// the window.
func (c *counters) idle(n *counter, now time.Duration) bool {
	return n.failures == 0 || now-n.last >= c.window
}

// wait returns how long an attempt under key must still wait at now.
func (c *counters) wait(key string, p policy, now time.Duration) time.Duration {
	s := c.t.shard(key)
	defer s.mu.Unlock()
	e := s.find(key)
	if e == nil || c.idle(&e.val, now) || e.val.failures <= p.free {
		return 0
	}
	d := c.base
	for i := p.free + 1; i < e.val.failures && d < p.maxDelay; i++ {
		d *= 2
	}
	return max(e.val.last+min(d, p.maxDelay)-now, 0)
}

// fail records a failure under key at now.
func (c *counters) fail(key string, now time.Duration) {
	s := c.t.shard(key)
	defer s.mu.Unlock()
	e, _ := s.lookup(key, now)
	if c.idle(&e.val, now) {
		e.val.failures = 0
	}
	e.val.failures++
	e.val.last = now
}
