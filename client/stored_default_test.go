package client_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/hubauth/hubauth/client"
	"github.com/hubauth/hubauth/client/internal/store"
)

// SetDefaultProfile moves StoredSessions' Default mark among a server's
// profiles, and refuses a profile with no session.
func TestSetDefaultProfile(t *testing.T) {
	const a, b = "https://a.example.org", "https://b.example.org"
	tests := []struct {
		name    string
		server  string
		profile string
		wantErr error
		want    map[string]bool // server/profile → Default
	}{
		{"nothing chosen: default", "", "", nil,
			map[string]bool{a + "/default": true, a + "/work": false, b + "/work": false}},
		{"work on a", a, "work", nil,
			map[string]bool{a + "/default": false, a + "/work": true, b + "/work": false}},
		{"back to default", a, "", nil,
			map[string]bool{a + "/default": true, a + "/work": false, b + "/work": false}},
		{"work on b", b, "work", nil,
			map[string]bool{a + "/default": true, a + "/work": false, b + "/work": true}},
		{"no such profile", a, "play", client.ErrNotLoggedIn,
			map[string]bool{a + "/default": true, a + "/work": false, b + "/work": false}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			st := store.Open(dir, false, nil)
			for _, s := range []store.Session{{Server: a, AccessToken: "1"}, {Server: a, Profile: "work", AccessToken: "2"},
				{Server: b, Profile: "work", AccessToken: "3"}} {
				if err := st.Save(s); err != nil {
					t.Fatal(err)
				}
			}
			if tt.server != "" {
				if err := client.SetDefaultProfile(dir, tt.server, tt.profile); !errors.Is(err, tt.wantErr) {
					t.Fatalf("SetDefaultProfile = %v, want %v", err, tt.wantErr)
				}
			}
			list, err := client.StoredSessions(dir)
			if err != nil {
				t.Fatal(err)
			}
			got := map[string]bool{}
			for _, s := range list {
				got[s.Server+"/"+s.Profile] = s.Default
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Default marks (-want +got):\n%s", diff)
			}
			for _, server := range []string{a, b, "HTTPS://A.EXAMPLE.ORG/", "https://c.example.org"} {
				want := client.DefaultProfile
				for _, p := range []string{"default", "work"} {
					if got[strings.ToLower(strings.TrimSuffix(server, "/"))+"/"+p] {
						want = p
					}
				}
				if p, err := client.StoredDefaultProfile(dir, server); p != want || err != nil {
					t.Errorf("StoredDefaultProfile(%s) = %q, %v; want %q", server, p, err, want)
				}
			}
		})
	}
}
