// Package hubtest holds what the tests that start a real hub share. It is
// imported by tests only.
package hubtest

import (
	"sync"
	"time"
)

// Clock is real time plus a settable offset: tokens checked by independent
// libraries against the real clock stay valid while the hub's (or a
// client's) clock moves. With Base set it stands still at Base plus the
// offset, for tests of code no outside library checks, which then depend
// on no wall-clock timing at all.
type Clock struct {
	Base   time.Time
	mu     sync.Mutex
	offset time.Duration
}

// Now returns the real time (or Base) plus the offset.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.Base.IsZero() {
		return c.Base.Add(c.offset)
	}
	return time.Now().Add(c.offset)
}

// Advance moves the clock by d.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	c.offset += d
	c.mu.Unlock()
}
