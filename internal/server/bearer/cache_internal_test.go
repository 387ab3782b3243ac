package bearer

import (
	"strconv"
	"testing"
	"time"

	"github.com/hubauth/hubauth/internal/storage"
)

// TestVerifiedCacheLookupRacingForget: a lookup that read the database
// before a Forget (say, just before the revocation committed) does not
// cache what it read.
func TestVerifiedCacheLookupRacingForget(t *testing.T) {
	c := newVerifiedCache()
	now := time.Now()
	pt := storage.PersonalToken{ID: "p-1", UserID: "u-1"}
	_, gen, _ := c.get("h-1", now) // the lookup starts
	c.forget("p-1")                // the token is revoked meanwhile
	c.put("h-1", gen, pt, storage.User{ID: "u-1"}, now)
	if _, _, ok := c.get("h-1", now); ok {
		t.Errorf("cached a lookup that raced a Forget")
	}
	_, gen, _ = c.get("h-1", now) // a lookup after it is cached
	c.put("h-1", gen, pt, storage.User{ID: "u-1"}, now)
	if _, _, ok := c.get("h-1", now); !ok {
		t.Errorf("a lookup after the Forget was not cached")
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
		c.put(strconv.Itoa(i), gen, storage.PersonalToken{ID: "p-" + strconv.Itoa(i)}, storage.User{}, now)
	}
	_, gen, _ := c.get("new", now)
	c.put("new", gen, storage.PersonalToken{ID: "p-new"}, storage.User{}, now)
	if got := len(c.entries); got != maxVerified {
		t.Errorf("entries after one more put into a full cache: %d, want %d", got, maxVerified)
	}
	if _, _, ok := c.get("new", now); !ok {
		t.Errorf("the new entry was not cached")
	}
}
