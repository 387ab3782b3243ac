package hubtest

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/hubauth/hubauth/internal/server/account"
	"github.com/hubauth/hubauth/internal/storage"
	"github.com/hubauth/hubauth/internal/storage/sqlite"
)

// SQLite opens a fresh SQLite store in t.TempDir(), closed when the test ends.
func SQLite(t testing.TB) *sqlite.Store {
	t.Helper()
	store, err := sqlite.Open(t.Context(), filepath.Join(t.TempDir(), "hub.db"))
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	t.Cleanup(func() { store.Close() })
	return store
}

// StorePersonalToken stores a personal token of userID straight in store,
// made as the hub's issuer makes them (account.NewPersonalToken) but
// without its checks, for tests of the code that reads them. A zero ttl never
// expires. It returns the secret and the stored record.
func StorePersonalToken(t testing.TB, store storage.PersonalTokens, userID, name string, scopes []string, ttl time.Duration, now time.Time) (string, storage.PersonalToken) {
	t.Helper()
	token, pt := account.NewPersonalToken(userID, name, scopes, ttl, now)
	if err := store.CreatePersonalToken(t.Context(), pt); err != nil {
		t.Fatalf("store personal token: %v", err)
	}
	return token, pt
}
