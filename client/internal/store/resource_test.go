package store

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"
)

func TestPutResourceToken(t *testing.T) {
	tok := func(resource string, i int) ResourceToken {
		return ResourceToken{Resource: resource, AccessToken: fmt.Sprintf("at-%s-%d", resource, i), TokenType: "Bearer",
			Expiry: created.Add(time.Hour), ObtainedAt: created.Add(time.Duration(i) * time.Second)}
	}
	tests := []struct {
		name string
		put  []ResourceToken
		want map[string]string // resource to access token; nil: none kept
	}{
		{"one", []ResourceToken{tok("a", 1)}, map[string]string{"a": "at-a-1"}},
		{"replaced", []ResourceToken{tok("a", 1), tok("b", 2), tok("a", 3)}, map[string]string{"a": "at-a-3", "b": "at-b-2"}},
		{"unknown expiry not kept", []ResourceToken{{Resource: "a", AccessToken: "x", ObtainedAt: created}}, nil},
		{"unknown expiry drops the old one", []ResourceToken{tok("a", 1), {Resource: "a", AccessToken: "x"}}, nil},
		{"exact URIs", []ResourceToken{tok("https://a.example", 1), tok("https://a.example/", 2)},
			map[string]string{"https://a.example": "at-https://a.example-1", "https://a.example/": "at-https://a.example/-2"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var s Session
			for _, p := range tt.put {
				s.PutResourceToken(p)
			}
			if len(s.ResourceTokens) != len(tt.want) {
				t.Fatalf("%d tokens kept, want %d", len(s.ResourceTokens), len(tt.want))
			}
			for r, at := range tt.want {
				if got, ok := s.ResourceToken(r); !ok || got.AccessToken != at {
					t.Errorf("ResourceToken(%q) = %q, %v; want %q", r, got.AccessToken, ok, at)
				}
			}
		})
	}
	t.Run("bounded, oldest dropped", func(t *testing.T) {
		var s Session
		for i := range MaxResourceTokens + 3 {
			s.PutResourceToken(tok(fmt.Sprintf("r%d", i), i))
		}
		s.PutResourceToken(tok("r3", 100))  // refreshed: now the newest
		s.PutResourceToken(tok("new", 101)) // drops r4, now the oldest
		if len(s.ResourceTokens) != MaxResourceTokens {
			t.Fatalf("%d tokens kept, want %d", len(s.ResourceTokens), MaxResourceTokens)
		}
		for i, kept := range map[int]bool{0: false, 2: false, 3: true, 4: false, 5: true, MaxResourceTokens + 2: true} {
			if _, ok := s.ResourceToken(fmt.Sprintf("r%d", i)); ok != kept {
				t.Errorf("r%d kept %v, want %v", i, ok, kept)
			}
		}
	})
}

// The tokens are kept in the file, dropped when the session is saved
// expired; a file written before they existed still loads.
func TestResourceTokensStored(t *testing.T) {
	const server = "https://hub.example.org"
	dir := t.TempDir()
	legacy := `{"version":1,"sessions":{"` + server + `":{"default":{"server":"` + server + `","profile":"default","client_id":"hubauth-cli","method":"password","access_token":"at","refresh_token":"rt","created_at":"2026-01-01T00:00:00Z"}}}}`
	if err := os.WriteFile(filepath.Join(dir, storeFile), []byte(legacy), 0o600); err != nil {
		t.Fatal(err)
	}
	s := Open(dir, false, nil)
	err := s.Update(server, "", func(cur Session, ok bool) (*Session, error) {
		if !ok || cur.RefreshToken != "rt" || cur.ResourceTokens != nil {
			return nil, fmt.Errorf("legacy session: ok %v, %+v", ok, cur)
		}
		cur.PutResourceToken(ResourceToken{Resource: "https://api.example", AccessToken: "api", Expiry: created.Add(time.Hour), ObtainedAt: created})
		return &cur, nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if got, _, _ := Open(dir, false, nil).Load(server, ""); len(got.ResourceTokens) != 1 || got.ResourceTokens[0].AccessToken != "api" {
		t.Fatalf("reloaded: %+v, want the API token", got.ResourceTokens)
	}
	err = s.Update(server, "", func(cur Session, ok bool) (*Session, error) {
		cur.Expired = true
		return &cur, nil
	})
	if got, _, _ := Open(dir, false, nil).Load(server, ""); err != nil || got.ResourceTokens != nil {
		t.Errorf("expired session: %v, %d API tokens kept; want none", err, len(got.ResourceTokens))
	}
}
