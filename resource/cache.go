package resource

import (
	"context"
	"crypto/sha256"
	"sync"
	"time"
)

// tokenKey is the cache key of a token: its SHA-256, so that no token is
// kept in memory longer than the request that carried it.
type tokenKey [sha256.Size]byte

func keyOf(token string) tokenKey { return sha256.Sum256([]byte(token)) }

// cache is a map of answers with an expiry each, bounded in size. When it
// is full, expired entries go first, then arbitrary ones (Go's map order):
// cheaper than an LRU on every hit, and an attacker cannot steer it.
type cache[V any] struct {
	mu      sync.RWMutex
	max     int
	entries map[tokenKey]cacheEntry[V]
}

type cacheEntry[V any] struct {
	value   V
	expires time.Time
}

// newCache returns a cache of at most max entries; max ≤ 0 keeps nothing.
func newCache[V any](max int) *cache[V] {
	return &cache[V]{max: max, entries: make(map[tokenKey]cacheEntry[V])}
}

// get returns the value stored for k if it has not expired at now.
func (c *cache[V]) get(k tokenKey, now time.Time) (V, bool) {
	c.mu.RLock()
	e, ok := c.entries[k]
	c.mu.RUnlock()
	if !ok || !now.Before(e.expires) {
		var zero V
		return zero, false
	}
	return e.value, true
}

// put stores v for k until expires (nothing when that is not after now).
func (c *cache[V]) put(k tokenKey, v V, expires, now time.Time) {
	if c.max <= 0 || !expires.After(now) {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.entries[k]; !ok && len(c.entries) >= c.max {
		c.evict(now)
	}
	c.entries[k] = cacheEntry[V]{value: v, expires: expires}
}

// evict removes the expired entries, and if that frees less than an
// eighth of the cache, arbitrary ones up to that eighth.
func (c *cache[V]) evict(now time.Time) {
	for k, e := range c.entries {
		if !now.Before(e.expires) {
			delete(c.entries, k)
		}
	}
	target := c.max - c.max/8 - 1
	for k := range c.entries {
		if len(c.entries) <= target {
			break
		}
		delete(c.entries, k)
	}
}

// len is the number of entries, expired or not.
func (c *cache[V]) len() int {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return len(c.entries)
}

// flight runs one outbound check per token at a time: concurrent requests
// with the same new token share the issuer's answer instead of each asking.
type flight[V any] struct {
	mu    sync.Mutex
	calls map[tokenKey]*call[V]
}

type call[V any] struct {
	done  chan struct{}
	value V
	err   error
}

// callTimeout bounds a shared call, which no single request's context
// may cancel for the others.
const callTimeout = 15 * time.Second

// do returns fn's result for k, calling fn once for all concurrent callers
// with the same k. A caller whose ctx ends stops waiting.
func (f *flight[V]) do(ctx context.Context, k tokenKey, fn func(context.Context) (V, error)) (V, error) {
	f.mu.Lock()
	if f.calls == nil {
		f.calls = make(map[tokenKey]*call[V])
	}
	c, ok := f.calls[k]
	if !ok {
		c = &call[V]{done: make(chan struct{})}
		f.calls[k] = c
		go f.run(context.WithoutCancel(ctx), k, c, fn)
	}
	f.mu.Unlock()
	select {
	case <-c.done:
		return c.value, c.err
	case <-ctx.Done():
		var zero V
		return zero, unavailable(ctx.Err(), "the request ended before the issuer answered")
	}
}

func (f *flight[V]) run(ctx context.Context, k tokenKey, c *call[V], fn func(context.Context) (V, error)) {
	ctx, cancel := context.WithTimeout(ctx, callTimeout)
	defer cancel()
	c.value, c.err = fn(ctx)
	f.mu.Lock()
	delete(f.calls, k)
	f.mu.Unlock()
	close(c.done)
}
