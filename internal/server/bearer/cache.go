package bearer

import (
	"sync"
	"time"

	"github.com/hubauth/hubauth/internal/storage"
)

// VerifiedTTL bounds how long a node keeps honouring a personal token it
// verified without reading the database again: a token revoked or rotated
// on another node (or by `hubauth admin`), or its user disabled, stops
// working here within it. The node that revokes or rotates forgets the
// token at once (Forget).
const VerifiedTTL = time.Second

// maxVerified bounds the cache. Only valid tokens are cached, so only
// their owners can fill it (each user has at most account.MaxActiveTokens);
// when full, one entry makes room for the new one (evictOne).
const maxVerified = 10_000

// verifiedCache keeps recently verified personal tokens by hash: the
// token's check is one database read per token and node each VerifiedTTL
// rather than two per use.
type verifiedCache struct {
	mu      sync.RWMutex
	entries map[string]verified // by the token's hash
	// gen counts Forget calls: a lookup that started before one does not
	// store what it read, which may predate the revocation.
	gen uint64
}

// verified is a personal token as read from the database, with its user.
type verified struct {
	token storage.PersonalToken
	user  storage.User
	at    time.Time // when it was read
	until time.Time // at + VerifiedTTL, or the token's expiry if sooner
}

func newVerifiedCache() *verifiedCache {
	return &verifiedCache{entries: make(map[string]verified)}
}

// get returns the entry of hash when fresh at now, and the generation
// to pass to put after a miss.
func (c *verifiedCache) get(hash string, now time.Time) (verified, uint64, bool) {
	c.mu.RLock()
	e, ok := c.entries[hash]
	gen := c.gen
	c.mu.RUnlock()
	return e, gen, ok && !now.Before(e.at) && now.Before(e.until)
}

// put stores what a lookup that started at generation gen read at now,
// unless a token was forgotten since.
func (c *verifiedCache) put(hash string, gen uint64, t storage.PersonalToken, u storage.User, now time.Time) {
	e := verified{token: t, user: u, at: now, until: now.Add(VerifiedTTL)}
	if !t.ExpiresAt.IsZero() && t.ExpiresAt.Before(e.until) {
		e.until = t.ExpiresAt
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if gen != c.gen {
		return
	}
	if _, ok := c.entries[hash]; !ok && len(c.entries) >= maxVerified {
		c.evictOne(now)
	}
	c.entries[hash] = e
}

// evictOne drops an entry no longer fresh at now if the first few it
// looks at hold one, else the last of them: Go's map order makes it a
// random one, and the cost stays constant. Called with mu held.
func (c *verifiedCache) evictOne(now time.Time) {
	const look = 8
	var victim string
	n := 0
	for hash, e := range c.entries {
		victim = hash
		n++
		if !now.Before(e.until) || n >= look {
			break
		}
	}
	delete(c.entries, victim)
}

// forget drops the token id, whatever its hash (before and after a
// rotation).
func (c *verifiedCache) forget(id string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.gen++
	for hash, e := range c.entries {
		if e.token.ID == id {
			delete(c.entries, hash)
		}
	}
}
