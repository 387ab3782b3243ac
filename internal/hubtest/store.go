package hubtest

import (
	"path/filepath"
	"testing"

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
