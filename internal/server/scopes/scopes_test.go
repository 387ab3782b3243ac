package scopes

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"

	"github.com/hubauth/hubauth/internal/storage"
	"github.com/hubauth/hubauth/internal/storage/sqlite"
)

var uploadsWrite = storage.Scope{Name: "uploads:write", Description: "create uploads"}

func TestSetCheck(t *testing.T) {
	set := NewSet([]storage.Scope{uploadsWrite})
	tests := []struct {
		name    string
		scopes  []string
		unknown string // "" when valid
	}{
		{"none", nil, ""},
		{"standard", []string{"openid", "profile", "email", "offline_access"}, ""},
		{"hub API", []string{"tokens:read", "tokens:write", "users:read", "groups:read", "groups"}, ""},
		{"registered", []string{"openid", "uploads:write"}, ""},
		{"unknown", []string{"openid", "uploads:read"}, "uploads:read"},
		{"reserved but not answered", []string{"phone"}, "phone"},
		{"case matters", []string{"OpenID"}, "OpenID"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := set.Check(tt.scopes)
			var ue *UnknownError
			switch {
			case tt.unknown == "" && err != nil:
				t.Fatalf("Check(%q) = %v, want nil", tt.scopes, err)
			case tt.unknown != "" && (!errors.As(err, &ue) || ue.Scope != tt.unknown):
				t.Fatalf("Check(%q) = %v, want an UnknownError for %q", tt.scopes, err, tt.unknown)
			case tt.unknown != "" && !strings.Contains(err.Error(), "valid scopes: openid profile email offline_access groups tokens:read tokens:write tokens:create tokens:delete users:read groups:read uploads:write"):
				t.Errorf("the message %q does not list the valid scopes", err)
			}
		})
	}
}

func TestSetKeepAndOrder(t *testing.T) {
	set := NewSet([]storage.Scope{uploadsWrite, {Name: "datasets:read", Description: "read datasets"}})
	if got := set.Keep([]string{"uploads:write", "removed", "openid", "uploads:write"}); !slices.Equal(got, []string{"uploads:write", "openid"}) {
		t.Errorf("Keep = %q, want [uploads:write openid]", got)
	}
	if names := set.Names(); !slices.Equal(names[len(names)-2:], []string{"datasets:read", "uploads:write"}) || names[0] != "openid" {
		t.Errorf("Names = %q, want the built-in ones, then the registered ones by name", names)
	}
}

// However many scopes are registered, an UnknownError stays short enough
// for a redirect URL and says where the full list is.
func TestUnknownErrorIsBounded(t *testing.T) {
	var many []storage.Scope
	for i := range 500 {
		many = append(many, storage.Scope{Name: fmt.Sprintf("dataset-%03d:read", i), Description: "x"})
	}
	err := NewSet(many).Check([]string{strings.Repeat("é", 100)})
	if msg := err.Error(); len(msg) > 2000 || !strings.Contains(msg, "more (scopes_supported in the discovery document)") || !utf8.ValidString(msg) {
		t.Errorf("message of %d bytes: %q", len(msg), msg)
	}
}

func TestSetDescribe(t *testing.T) {
	set := NewSet([]storage.Scope{uploadsWrite})
	got := set.Describe([]string{"openid", "uploads:write", "removed:since"})
	want := []storage.Scope{
		{Name: "openid", Description: "know who you are"},
		uploadsWrite,
		{Name: "removed:since", Description: "use this permission of the platform's API"},
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("Describe mismatch (-want +got):\n%s", d)
	}
}

func TestCheckNew(t *testing.T) {
	tests := []struct {
		name, scope, description string
		wantErr                  string // "" when valid
	}{
		{"valid", "uploads:write", "create uploads", ""},
		{"dots, slashes, dashes", "nmr.spectra/raw-data_v2", "read raw spectra", ""},
		{"longest name", strings.Repeat("a", 64), "x", ""},
		{"longest description", "a", strings.Repeat("é", MaxDescription), ""},
		{"empty name", "", "x", "invalid scope name"},
		{"name too long", strings.Repeat("a", 65), "x", "invalid scope name"},
		{"comma", "a,b", "x", "invalid scope name"},
		{"space", "a b", "x", "invalid scope name"},
		{"quote", `a"b`, "x", "invalid scope name"},
		{"leading colon", ":a", "x", "invalid scope name"},
		{"non-ASCII", "données", "x", "invalid scope name"},
		{"built in", "tokens:write", "x", "built into the hub"},
		{"reserved", "phone", "x", "reserved by OpenID Connect"},
		{"no description", "a", "", "1 to 200 characters"},
		{"description too long", "a", strings.Repeat("x", MaxDescription+1), "1 to 200 characters"},
		{"surrounding spaces", "a", " x", "1 to 200 characters"},
		{"newline", "a", "x\ny", "printable text on one line"},
		{"invalid UTF-8", "a", "x\xffy", "printable text on one line"},
		{"right-to-left override", "a", "x\u202ey", "printable text on one line"},
		{"non-breaking space", "a", "x\u00a0y", "printable text on one line"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := CheckNew(tt.scope, tt.description)
			if tt.wantErr == "" && err != nil || tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)) {
				t.Fatalf("CheckNew(%q, %q) = %v, want %q", tt.scope, tt.description, err, tt.wantErr)
			}
		})
	}
}

// FuzzCheckNew: no input panics, and every accepted scope is one scope
// token that a set holding it grants.
func FuzzCheckNew(f *testing.F) {
	f.Add("uploads:write", "create uploads")
	f.Add("a,b", "x\n")
	f.Fuzz(func(t *testing.T, name, description string) {
		if CheckNew(name, description) != nil {
			return
		}
		if len(strings.Fields(name)) != 1 || strings.Contains(name, ",") {
			t.Fatalf("accepted %q, which is not one scope token", name)
		}
		if err := NewSet([]storage.Scope{{Name: name, Description: description}}).Check([]string{name}); err != nil {
			t.Fatalf("a set holding %q refuses it: %v", name, err)
		}
	})
}

// The catalog re-reads the registered scopes after CacheTTL, and
// Published keeps the last set while the store fails.
func TestCatalogReloadsAfterTTL(t *testing.T) {
	store, err := sqlite.Open(t.Context(), filepath.Join(t.TempDir(), "hub.db"))
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	c := NewCatalog(store, func() time.Time { return now })
	var ue *UnknownError
	if err := checkFor(t.Context(), c, storage.Client{}, []string{"uploads:write"}); !errors.As(err, &ue) {
		t.Fatalf("an unregistered scope: %v, want an UnknownError", err)
	}
	if err := store.CreateScope(t.Context(), uploadsWrite); err != nil {
		t.Fatal(err)
	}
	now = now.Add(CacheTTL - time.Millisecond)
	if err := checkFor(t.Context(), c, storage.Client{}, []string{"uploads:write"}); !errors.As(err, &ue) {
		t.Errorf("before CacheTTL: %v, want the cached set's UnknownError", err)
	}
	now = now.Add(time.Millisecond)
	if err := checkFor(t.Context(), c, storage.Client{}, []string{"uploads:write"}); err != nil {
		t.Errorf("after CacheTTL the new scope is still refused: %v", err)
	}

	store.Close()
	now = now.Add(CacheTTL)
	if _, err := c.Load(t.Context()); err == nil || errors.As(err, &ue) {
		t.Fatalf("Load on a closed store = %v, want the storage error", err)
	}
	if !c.Published(t.Context()).Has("uploads:write") {
		t.Error("Published while the store fails lost the last set read")
	}
	if set := NewCatalog(store, nil).Published(t.Context()); !set.Has("openid") || set.Has("uploads:write") {
		t.Errorf("Published with nothing read yet = %q, want the built-in scopes", set.Names())
	}
}

// checkFor checks names as every grant does: against what the client cl
// may ask for now.
func checkFor(ctx context.Context, c *Catalog, cl storage.Client, names []string) error {
	set, err := c.ForClient(ctx, cl)
	if err != nil {
		return err
	}
	return set.Check(names)
}

// BenchmarkCatalogCheck is the check every authorization and token
// request makes, with the registered scopes cached, for a client that may
// ask for any scope.
func BenchmarkCatalogCheck(b *testing.B) { benchmarkCheck(b, storage.Client{}) }

// BenchmarkCatalogCheckRestricted is the same check for a client an
// operator restricted to some scopes.
func BenchmarkCatalogCheckRestricted(b *testing.B) {
	benchmarkCheck(b, storage.Client{ID: "etl", RestrictScopes: true,
		AllowedScopes: []string{"openid", "profile", "email", "offline_access", "uploads:write"}})
}

func benchmarkCheck(b *testing.B, cl storage.Client) {
	store, err := sqlite.Open(b.Context(), filepath.Join(b.TempDir(), "hub.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer store.Close()
	for _, name := range []string{"uploads:read", "uploads:write", "datasets:read", "datasets:write"} {
		if err := store.CreateScope(b.Context(), storage.Scope{Name: name, Description: name}); err != nil {
			b.Fatal(err)
		}
	}
	c := NewCatalog(store, nil)
	names := []string{"openid", "profile", "offline_access", "uploads:write"}
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if err := checkFor(b.Context(), c, cl, names); err != nil {
				b.Error(err) // not Fatal: this is not the benchmark's goroutine
				return
			}
		}
	})
}
