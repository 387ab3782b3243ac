// Package ttlcache keeps one value read from storage for a short time, so
// a value every request asks for (registered scopes, APIs) is read at most
// once per TTL. Errors from the loader are returned and never cached.
package ttlcache

import (
	"context"
	"sync"
	"time"
)

// Value holds the last value loaded and when it was loaded. The zero value
// is not usable; call New.
type Value[T any] struct {
	ttl time.Duration
	now func() time.Time

	mu     sync.Mutex
	val    T
	ok     bool
	loaded time.Time
}

// New returns an empty Value that keeps what it loads for ttl; now is the
// clock (time.Now when nil).
func New[T any](ttl time.Duration, now func() time.Time) *Value[T] {
	if now == nil {
		now = time.Now
	}
	return &Value[T]{ttl: ttl, now: now}
}

// Load returns the value loaded less than the TTL ago, or calls load and
// keeps its result. A clock that went backwards counts as expired. An
// error from load is returned and the previous value kept (not replaced,
// not refreshed).
func (v *Value[T]) Load(ctx context.Context, load func(context.Context) (T, error)) (T, error) {
	now := v.now()
	v.mu.Lock()
	val, ok, age := v.val, v.ok, now.Sub(v.loaded)
	v.mu.Unlock()
	if ok && age >= 0 && age < v.ttl {
		return val, nil
	}
	val, err := load(ctx)
	if err != nil {
		var zero T
		return zero, err
	}
	v.mu.Lock()
	v.val, v.ok, v.loaded = val, true, now
	v.mu.Unlock()
	return val, nil
}

// Last returns the last value loaded, however old, and whether there is
// one.
func (v *Value[T]) Last() (T, bool) {
	v.mu.Lock()
	defer v.mu.Unlock()
	return v.val, v.ok
}
