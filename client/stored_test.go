package client_test

import (
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/hubauth/hubauth/client"
	"github.com/hubauth/hubauth/client/internal/store"
)

// StoredSessions describes what tokens.json holds, sorted, without a
// token, and refuses a file others can read as New does.
func TestStoredSessions(t *testing.T) {
	created := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	dir := t.TempDir()
	st := store.Open(dir, false, nil)
	for _, s := range []store.Session{
		{Server: "https://b.example.org", Profile: "work", ClientID: "cli", Method: client.MethodDevice, Username: "ada",
			AccessToken: "at-2", Scopes: []string{"openid"}, CreatedAt: created},
		{Server: "HTTPS://A.example.org/", ClientID: "cli", Method: client.MethodPassword, Subject: "u-1",
			AccessToken: "at-1", RefreshToken: "rt-1", Expiry: created.Add(time.Hour), CreatedAt: created},
	} {
		if err := st.Save(s); err != nil {
			t.Fatal(err)
		}
	}
	path := filepath.Join(dir, "tokens.json")
	tests := []struct {
		name string
		dir  string
		want []client.SessionInfo
	}{
		{"two servers", dir, []client.SessionInfo{
			{Server: "https://a.example.org", Profile: "default", ClientID: "cli", Method: client.MethodPassword, Subject: "u-1",
				Expiry: created.Add(time.Hour), Refreshable: true, CreatedAt: created, Source: path, Default: true},
			{Server: "https://b.example.org", Profile: "work", ClientID: "cli", Method: client.MethodDevice, Username: "ada",
				Scopes: []string{"openid"}, CreatedAt: created, Source: path},
		}},
		{"no file", t.TempDir(), []client.SessionInfo{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := client.StoredSessions(tt.dir)
			if err != nil {
				t.Fatalf("StoredSessions: %v", err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("StoredSessions (-want +got):\n%s", diff)
			}
		})
	}
	if runtime.GOOS == "windows" {
		return
	}
	t.Run("a file others can read", func(t *testing.T) {
		if err := os.Chmod(path, 0o644); err != nil {
			t.Fatal(err)
		}
		if _, err := client.StoredSessions(dir); !errors.Is(err, client.ErrInsecureFile) {
			t.Errorf("StoredSessions = %v, want ErrInsecureFile", err)
		}
	})
}
