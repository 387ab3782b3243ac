package audience

import (
	"context"
	"time"

	"github.com/hubauth/hubauth/internal/server/scopes"
	"github.com/hubauth/hubauth/internal/server/ttlcache"
	"github.com/hubauth/hubauth/internal/storage"
)

// Catalog loads the registered APIs, reading them at most once per
// scopes.CacheTTL (every token request asks; they change rarely): an API
// an operator adds or removes counts everywhere within that time.
type Catalog struct {
	store storage.APIs
	apis  *ttlcache.Value[*APIs]
}

// NewCatalog returns a catalog over store; now is the clock (time.Now when
// nil).
func NewCatalog(store storage.APIs, now func() time.Time) *Catalog {
	return &Catalog{store: store, apis: ttlcache.New[*APIs](scopes.CacheTTL, now)}
}

// Load returns the current APIs. Storage errors are returned, never cached.
func (c *Catalog) Load(ctx context.Context) (*APIs, error) {
	return c.apis.Load(ctx, c.read)
}

// read reads the registered APIs from storage.
func (c *Catalog) read(ctx context.Context) (*APIs, error) {
	list, err := c.store.ListAPIs(ctx)
	if err != nil {
		return nil, err
	}
	return New(list), nil
}
