package provider

import (
	"context"
	"errors"
	"sync"
	"time"

	"github.com/hubauth/hubauth/internal/storage"
)

// cacheTTL bounds how long a node keeps using a client or user row after an
// operator changed it (disabled it, say).
const cacheTTL = 2 * time.Second

// maxCached bounds each cache; ids that were not found are cached too (they
// come from the network), so the cache must not grow without limit.
const maxCached = 10_000

// rowCache keeps recently read rows for cacheTTL: every token request
// reads its client and most read a user, and both change rarely.
type rowCache[T any] struct {
	load func(context.Context, string) (T, error)
	now  func() time.Time

	mu      sync.Mutex
	entries map[string]cached[T]
}

type cached[T any] struct {
	row T
	err error
	at  time.Time
}

func newRowCache[T any](load func(context.Context, string) (T, error), now func() time.Time) *rowCache[T] {
	return &rowCache[T]{load: load, now: now, entries: make(map[string]cached[T])}
}

// get returns the row, from the cache when fresh. Storage errors other than
// not-found are not cached.
func (c *rowCache[T]) get(ctx context.Context, id string) (T, error) {
	now := c.now()
	c.mu.Lock()
	e, ok := c.entries[id]
	c.mu.Unlock()
	if ok && now.Sub(e.at) < cacheTTL && now.Sub(e.at) >= 0 {
		return e.row, e.err
	}
	row, err := c.load(ctx, id)
	if err != nil && !isNotFound(err) {
		return row, err
	}
	c.mu.Lock()
	if len(c.entries) >= maxCached {
		clear(c.entries)
	}
	c.entries[id] = cached[T]{row: row, err: err, at: now}
	c.mu.Unlock()
	return row, err
}

func isNotFound(err error) bool { return errors.Is(err, storage.ErrNotFound) }
