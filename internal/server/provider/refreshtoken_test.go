package provider

import (
	"strings"
	"testing"
	"time"

	"github.com/hubauth/hubauth/internal/secret"
	"github.com/hubauth/hubauth/internal/storage"
)

// FuzzRefreshKey: any presented string gives the key of its whole hash,
// and the session it names is the text before its first dot (none
// without one: a token issued before tokens named their session).
func FuzzRefreshKey(f *testing.F) {
	for _, seed := range []string{"", ".", "s.", ".x", "4xkGfD2Lq0Q8m1vYb3nHcT.abc", secret.New(), "a.b.c"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, token string) {
		key := refreshKey(token)
		if key.Hash != secret.Hash(token) {
			t.Fatalf("refreshKey(%q).Hash is not the token's hash", token)
		}
		before, _, named := strings.Cut(token, ".")
		if (named && key.SessionID != before) || (!named && key.SessionID != "") {
			t.Fatalf("refreshKey(%q).SessionID = %q", token, key.SessionID)
		}
	})
}

// TestNewRefreshTokenFoundByItsKey: the key of a token newRefreshToken
// makes is its record's session and hash, and tokens differ.
func TestNewRefreshTokenFoundByItsKey(t *testing.T) {
	s := &Storage{cfg: Config{RefreshTokenTTL: time.Hour}}
	now := time.Unix(1_800_000_000, 0)
	token, rec := s.newRefreshToken("DwA4R3Vu2hvN02JQVMYKB2", now)
	if got, want := refreshKey(token), (storage.RefreshKey{SessionID: rec.SessionID, Hash: rec.Hash}); got != want || rec.SessionID != "DwA4R3Vu2hvN02JQVMYKB2" {
		t.Errorf("refreshKey(%q) = %+v, want %+v of session DwA4R3Vu2hvN02JQVMYKB2", token, got, want)
	}
	if !rec.CreatedAt.Equal(now) || !rec.ExpiresAt.Equal(now.Add(time.Hour)) || !rec.RotatedAt.IsZero() {
		t.Errorf("record %+v: want created now, expiring in the TTL, not rotated", rec)
	}
	if again, _ := s.newRefreshToken("DwA4R3Vu2hvN02JQVMYKB2", now); again == token {
		t.Error("two tokens of one session are equal")
	}
}
