package provider

import (
	"sync"
	"time"
)

// pollTracker remembers when each device code last polled, to answer
// slow_down (RFC 8628 §3.5). It is per node: a device that alternates
// between nodes is slowed by each node separately, which the RFC permits
// (the interval is the client's duty; this only enforces it).
type pollTracker struct {
	mu       sync.Mutex
	interval time.Duration
	max      int
	codes    map[string]*pollState
}

type pollState struct {
	last     time.Time
	interval time.Duration
	expires  time.Time
}

// pollTolerance forgives network jitter: a poll up to this much early is
// not yet "too fast".
const pollTolerance = 500 * time.Millisecond

func newPollTracker(interval time.Duration, max int) *pollTracker {
	return &pollTracker{interval: interval, max: max, codes: make(map[string]*pollState)}
}

// allow records a poll at now and reports whether it respected the interval;
// when it did not, the code's interval grows by 5 seconds.
func (p *pollTracker) allow(code string, now, expires time.Time) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	st, ok := p.codes[code]
	if !ok {
		p.makeRoom(now)
		p.codes[code] = &pollState{last: now, interval: p.interval, expires: expires}
		return true
	}
	if now.Sub(st.last) < st.interval-pollTolerance {
		st.interval += 5 * time.Second
		st.last = now
		return false
	}
	st.last = now
	return true
}

// forget drops a code that has been used.
func (p *pollTracker) forget(code string) {
	p.mu.Lock()
	delete(p.codes, code)
	p.mu.Unlock()
}

// makeRoom removes expired codes once the table is full; if it is still
// full, the oldest entries go (a forgotten code merely polls unchecked once).
func (p *pollTracker) makeRoom(now time.Time) {
	if len(p.codes) < p.max {
		return
	}
	for code, st := range p.codes {
		if now.After(st.expires) {
			delete(p.codes, code)
		}
	}
	for code := range p.codes {
		if len(p.codes) < p.max {
			return
		}
		delete(p.codes, code)
	}
}
