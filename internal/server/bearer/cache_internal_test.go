package bearer

import (
	"strconv"
	"testing"
	"time"

	"github.com/hubauth/hubauth/internal/storage"
)

// TestVerifiedCacheLookupRacingForget: a lookup that read the database
// before a forget or a forgetAll (say, just before the revocation
// committed) does not cache what it read.
func TestVerifiedCacheLookupRacingForget(t *testing.T) {
	for name, forget := range map[string]func(*verifiedCache){
		"forget":    func(c *verifiedCache) { c.forget("p-1") },
		"forgetAll": func(c *verifiedCache) { c.forgetAll() },
	} {
		t.Run(name, func(t *testing.T) {
			c := newVerifiedCache()
			now := time.Now()
			p := Principal{TokenID: "p-1", Subject: "u-1", User: &storage.User{ID: "u-1"}}
			_, gen, _ := c.get("h-1", now) // the lookup starts
			forget(c)                      // the token is revoked meanwhile
			c.put("h-1", gen, p, time.Time{}, now)
			if _, _, ok := c.get("h-1", now); ok {
				t.Errorf("cached a lookup that raced a %s", name)
			}
			_, gen, _ = c.get("h-1", now) // a lookup after it is cached
			c.put("h-1", gen, p, time.Time{}, now)
			if _, _, ok := c.get("h-1", now); !ok {
				t.Errorf("a lookup after the %s was not cached", name)
			}
		})
	}
}

// TestVerifiedCacheNeverPastExpiry: an entry is fresh for VerifiedTTL at
// most, and never at or after the token's own expiry.
func TestVerifiedCacheNeverPastExpiry(t *testing.T) {
	now := time.Now()
	tests := []struct {
		name    string
		expires time.Time
		at      time.Duration
		want    bool
	}{
		{"fresh", time.Time{}, VerifiedTTL / 2, true},
		{"after the TTL", time.Time{}, VerifiedTTL, false},
		{"before expiry", now.Add(VerifiedTTL / 2), VerifiedTTL/2 - time.Millisecond, true},
		{"at expiry", now.Add(VerifiedTTL / 2), VerifiedTTL / 2, false},
		{"before it was read", time.Time{}, -time.Millisecond, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := newVerifiedCache()
			_, gen, _ := c.get("h", now)
			c.put("h", gen, Principal{TokenID: "t", ExpiresAt: tt.expires}, time.Time{}, now)
			if _, _, got := c.get("h", now.Add(tt.at)); got != tt.want {
				t.Errorf("fresh %v after reading: %v, want %v", tt.at, got, tt.want)
			}
		})
	}
}

// TestVerifiedCacheCopies: a caller changing the principal it got (its
// scopes, its user) does not change the cached one.
func TestVerifiedCacheCopies(t *testing.T) {
	c := newVerifiedCache()
	now := time.Now()
	_, gen, _ := c.get("h", now)
	c.put("h", gen, Principal{TokenID: "t", Scopes: []string{"a", "b"}, User: &storage.User{Name: "Ada"}}, time.Time{}, now)
	e, _, _ := c.get("h", now)
	e.p.Scopes[0], e.p.User.Name = "x", "Eve"
	e, _, _ = c.get("h", now)
	if e.p.Scopes[0] != "a" || e.p.User.Name != "Ada" {
		t.Errorf("cached principal changed through a copy: scopes %v, user %q", e.p.Scopes, e.p.User.Name)
	}
}

// TestVerifiedCacheFullEvictsOne: a full cache makes room by dropping one
// entry, not all of them: one user's many tokens cannot empty the cache of
// everyone else's.
func TestVerifiedCacheFullEvictsOne(t *testing.T) {
	c := newVerifiedCache()
	now := time.Now()
	for i := range maxVerified {
		_, gen, _ := c.get(strconv.Itoa(i), now)
		c.put(strconv.Itoa(i), gen, Principal{TokenID: "p-" + strconv.Itoa(i)}, time.Time{}, now)
	}
	_, gen, _ := c.get("new", now)
	c.put("new", gen, Principal{TokenID: "p-new"}, time.Time{}, now)
	if got := len(c.entries); got != maxVerified {
		t.Errorf("entries after one more put into a full cache: %d, want %d", got, maxVerified)
	}
	if _, _, ok := c.get("new", now); !ok {
		t.Errorf("the new entry was not cached")
	}
}
