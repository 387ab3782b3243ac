package scopes

import (
	"context"
	"time"

	"github.com/hubauth/hubauth/internal/server/ttlcache"
	"github.com/hubauth/hubauth/internal/storage"
)

// CacheTTL bounds how long a node keeps using the registered scopes it
// read: a scope an operator adds or removes (on any node's database) is
// granted or refused everywhere within this time.
const CacheTTL = 2 * time.Second

// Catalog loads the current Set from storage, reading the registered
// scopes at most once per CacheTTL: every authorization and token request
// checks scopes, and they change rarely.
type Catalog struct {
	store storage.Scopes
	set   *ttlcache.Value[*Set]
}

// NewCatalog returns a catalog over store; now is the clock (time.Now when
// nil).
func NewCatalog(store storage.Scopes, now func() time.Time) *Catalog {
	return &Catalog{store: store, set: ttlcache.New[*Set](CacheTTL, now)}
}

// Load returns the current set. Storage errors are returned (wrapped
// storage.ErrUnavailable when the database is down), never cached.
func (c *Catalog) Load(ctx context.Context) (*Set, error) {
	return c.set.Load(ctx, c.read)
}

// read reads the registered scopes from storage.
func (c *Catalog) read(ctx context.Context) (*Set, error) {
	registered, err := c.store.ListScopes(ctx)
	if err != nil {
		return nil, err
	}
	return NewSet(registered), nil
}

// publishWait bounds how long Published waits for the database.
const publishWait = time.Second

// Published returns the set to publish in the discovery document: the
// current one, or when the database does not answer within publishWait
// the last one read (the built-in scopes before any), so discovery keeps
// answering during an outage.
func (c *Catalog) Published(ctx context.Context) *Set {
	ctx, cancel := context.WithTimeout(ctx, publishWait)
	defer cancel()
	if set, err := c.Load(ctx); err == nil {
		return set
	}
	if set, ok := c.set.Last(); ok {
		return set
	}
	return NewSet(nil)
}
