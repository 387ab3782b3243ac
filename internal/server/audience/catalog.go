package audience

import (
	"context"
	"sync"
	"time"

	"github.com/hubauth/hubauth/internal/server/scopes"
	"github.com/hubauth/hubauth/internal/storage"
)

// Catalog loads the registered APIs, reading them at most once per
// scopes.CacheTTL (every token request asks; they change rarely): an API
// an operator adds or removes counts everywhere within that time.
type Catalog struct {
	store storage.APIs
	now   func() time.Time

	mu     sync.Mutex
	apis   *APIs
	loaded time.Time
}

// NewCatalog returns a catalog over store; now is the clock (time.Now when
// nil).
func NewCatalog(store storage.APIs, now func() time.Time) *Catalog {
	if now == nil {
		now = time.Now
	}
	return &Catalog{store: store, now: now}
}

// Load returns the current APIs. Storage errors are returned, never cached.
func (c *Catalog) Load(ctx context.Context) (*APIs, error) {
	now := c.now()
	c.mu.Lock()
	apis, age := c.apis, now.Sub(c.loaded)
	c.mu.Unlock()
	if apis != nil && age >= 0 && age < scopes.CacheTTL {
		return apis, nil
	}
	list, err := c.store.ListAPIs(ctx)
	if err != nil {
		return nil, err
	}
	apis = New(list)
	c.mu.Lock()
	c.apis, c.loaded = apis, now
	c.mu.Unlock()
	return apis, nil
}
