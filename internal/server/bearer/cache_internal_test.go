package bearer

import (
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
