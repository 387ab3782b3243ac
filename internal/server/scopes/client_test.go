package scopes

import (
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/hubauth/hubauth/internal/storage"
	"github.com/hubauth/hubauth/internal/storage/sqlite"
)

// TestForClient: an unrestricted client may ask for every scope the hub
// grants; a restricted one for its allowed scopes the hub still grants,
// and a refusal names those.
func TestForClient(t *testing.T) {
	store, err := sqlite.Open(t.Context(), filepath.Join(t.TempDir(), "hub.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	if err := store.CreateScope(t.Context(), uploadsWrite); err != nil {
		t.Fatal(err)
	}
	c := NewCatalog(store, nil)
	tests := []struct {
		name      string
		client    storage.Client
		ask       []string
		refused   string   // "" when allowed
		wantValid []string // the names the refusal lists
	}{
		{name: "unrestricted", client: storage.Client{ID: "old"}, ask: []string{"openid", "tokens:write", "uploads:write"}},
		{name: "within its scopes", ask: []string{"openid", "uploads:write"},
			client: storage.Client{ID: "etl", RestrictScopes: true, AllowedScopes: []string{"uploads:write", "openid"}}},
		{name: "beyond its scopes", ask: []string{"openid", "tokens:write"}, refused: "tokens:write",
			client:    storage.Client{ID: "etl", RestrictScopes: true, AllowedScopes: []string{"uploads:write", "openid"}},
			wantValid: []string{"openid", "uploads:write"}},
		{name: "allowed but removed from the hub", ask: []string{"datasets:read"}, refused: "datasets:read",
			client:    storage.Client{ID: "etl", RestrictScopes: true, AllowedScopes: []string{"openid", "datasets:read"}},
			wantValid: []string{"openid"}},
		{name: "restricted to nothing", ask: []string{"openid"}, refused: "openid",
			client: storage.Client{ID: "none", RestrictScopes: true}, wantValid: []string{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			set, err := c.ForClient(t.Context(), tt.client)
			if err != nil {
				t.Fatal(err)
			}
			err = set.Check(tt.ask)
			if tt.refused == "" {
				if err != nil {
					t.Fatalf("Check(%q) = %v, want nil", tt.ask, err)
				}
				return
			}
			var ue *UnknownError
			if !errors.As(err, &ue) || ue.Scope != tt.refused || !ue.ForClient {
				t.Fatalf("Check(%q) = %v, want the client's refusal of %q", tt.ask, err, tt.refused)
			}
			if diff := cmp.Diff(tt.wantValid, ue.Valid); diff != "" {
				t.Errorf("allowed scopes named (-want +got):\n%s", diff)
			}
			if want := "scope \"" + tt.refused + "\" is not allowed for this client; allowed scopes: "; !strings.HasPrefix(err.Error(), want) {
				t.Errorf("message %q, want it to start %q", err, want)
			}
		})
	}
}

// TestForClientIsBuiltOnce: a restricted client's set is built once per
// catalog load and client row, not on every request; a change of the
// client's scopes or of the registered ones builds it anew.
func TestForClientIsBuiltOnce(t *testing.T) {
	store, err := sqlite.Open(t.Context(), filepath.Join(t.TempDir(), "hub.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	c := NewCatalog(store, func() time.Time { return now })
	etl := storage.Client{ID: "etl", RestrictScopes: true, AllowedScopes: []string{"openid", "uploads:write"}}
	forClient := func(cl storage.Client) *Set {
		t.Helper()
		set, err := c.ForClient(t.Context(), cl)
		if err != nil {
			t.Fatal(err)
		}
		return set
	}

	first := forClient(etl)
	if again := forClient(etl); again != first {
		t.Error("the same client and catalog load: a new set was built")
	}
	narrowed := etl
	narrowed.AllowedScopes = []string{"uploads:write"}
	if diff := cmp.Diff([]string{}, forClient(narrowed).Names()); diff != "" {
		t.Errorf("client narrowed (uploads:write not registered yet) (-want +got):\n%s", diff)
	}
	if err := store.CreateScope(t.Context(), uploadsWrite); err != nil {
		t.Fatal(err)
	}
	now = now.Add(CacheTTL)
	if diff := cmp.Diff([]string{"openid", "uploads:write"}, forClient(etl).Names()); diff != "" {
		t.Errorf("after the catalog reloaded with uploads:write registered (-want +got):\n%s", diff)
	}
}
