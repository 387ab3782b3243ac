package provider

import (
	"context"
	"sync"
	"time"

	"github.com/hubauth/hubauth/internal/storage"
)

// clientCacheTTL bounds how long a node keeps using a client row after an
// operator changed it (disabled it, say).
const clientCacheTTL = 2 * time.Second

// clientCache keeps recently read clients: every token request reads its
// client, and clients change rarely.
type clientCache struct {
	store storage.Clients
	now   func() time.Time

	mu      sync.Mutex
	entries map[string]cachedClient
}

type cachedClient struct {
	client storage.Client
	err    error
	at     time.Time
}

// maxCachedClients bounds the cache; unknown client ids from the network
// are cached too (as not found), so it must not grow without limit.
const maxCachedClients = 10_000

func newClientCache(store storage.Clients, now func() time.Time) *clientCache {
	return &clientCache{store: store, now: now, entries: make(map[string]cachedClient)}
}

// get returns the client, from the cache when fresh. Storage errors other
// than not-found are not cached.
func (c *clientCache) get(ctx context.Context, id string) (storage.Client, error) {
	now := c.now()
	c.mu.Lock()
	e, ok := c.entries[id]
	c.mu.Unlock()
	if ok && now.Sub(e.at) < clientCacheTTL && now.Sub(e.at) >= 0 {
		return e.client, e.err
	}
	cl, err := c.store.GetClient(ctx, id)
	if err != nil && !isNotFound(err) {
		return cl, err
	}
	c.mu.Lock()
	if len(c.entries) >= maxCachedClients {
		clear(c.entries)
	}
	c.entries[id] = cachedClient{client: cl, err: err, at: now}
	c.mu.Unlock()
	return cl, err
}
