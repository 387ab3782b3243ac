package bearer

import (
	"slices"
	"sync"
	"time"
)

// VerifiedTTL bounds how long a node keeps honouring a token it verified
// without reading the database again: an access token or a personal token
// revoked, its session ended, its client or its user disabled on another
// node (or by `hubauth admin`, another process) stops working here within
// it. On the node that made the change the token is refused at once: the
// store the hub's handlers write through (Watch) empties the cache, and
// account.Issuer forgets a revoked or rotated personal token (Forget).
const VerifiedTTL = time.Second

// maxVerified bounds the cache. Only valid tokens are cached, so only
// their holders can fill it; when full, one entry makes room for the new
// one (evictOne).
const maxVerified = 10_000

// verifiedCache keeps recently verified tokens (access tokens and personal
// tokens) by hash: a token's check is a signature verification and one
// database read per token and node each VerifiedTTL rather than on every
// use.
type verifiedCache struct {
	mu      sync.RWMutex
	entries map[string]verified // by the token's hash
	// gen counts forget and forgetAll calls: a lookup that started before
	// one does not store what it read, which may predate the revocation.
	gen uint64
}

// verified is a token's principal as read from the database.
type verified struct {
	p        Principal
	lastUsed time.Time // a personal token's stored last use
	at       time.Time // when it was read
	until    time.Time // at + VerifiedTTL, or the token's expiry if sooner
}

func newVerifiedCache() *verifiedCache {
	return &verifiedCache{entries: make(map[string]verified)}
}

// get returns the entry of hash when fresh at now, and the generation
// to pass to put after a miss. The entry's principal is the caller's own
// copy (its user and scopes too).
func (c *verifiedCache) get(hash string, now time.Time) (verified, uint64, bool) {
	c.mu.RLock()
	e, ok := c.entries[hash]
	gen := c.gen
	c.mu.RUnlock()
	if !ok || now.Before(e.at) || !now.Before(e.until) {
		return verified{}, gen, false
	}
	e.p = e.p.clone()
	return e, gen, true
}

// put stores the principal p a lookup that started at generation gen read
// at now, unless a token was forgotten since; lastUsed is a personal
// token's stored last use.
func (c *verifiedCache) put(hash string, gen uint64, p Principal, lastUsed, now time.Time) {
	e := verified{p: p.clone(), lastUsed: lastUsed, at: now, until: now.Add(VerifiedTTL)}
	if !p.ExpiresAt.IsZero() && p.ExpiresAt.Before(e.until) {
		e.until = p.ExpiresAt
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

// forget drops the token id (a personal token's id or an access token's
// jti), whatever its hash (before and after a rotation).
func (c *verifiedCache) forget(id string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.gen++
	for hash, e := range c.entries {
		if e.p.TokenID == id {
			delete(c.entries, hash)
		}
	}
}

// forgetAll drops every entry: something that may end any token (a
// session, a client, a user) changed.
func (c *verifiedCache) forgetAll() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.gen++
	clear(c.entries)
}

// clone returns p with its own copy of the user and the scopes, which
// callers may change.
func (p Principal) clone() Principal {
	if p.User != nil {
		u := *p.User
		p.User = &u
	}
	p.Scopes = slices.Clone(p.Scopes)
	return p
}
