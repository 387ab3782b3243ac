package store

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

var created = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

func session(server, profile, token string) Session {
	return Session{
		Server: server, Profile: profile, ClientID: "hubauth-cli", Method: "browser",
		Subject: "u-1", Username: "ada", AccessToken: token, TokenType: "Bearer",
		RefreshToken: "r-" + token, IDToken: "id-" + token, Expiry: created.Add(15 * time.Minute),
		Scopes: []string{"openid", "offline_access"}, CreatedAt: created,
	}
}

// stores returns a store on disk and a memory-only one, for tests that
// hold for both.
func stores(t *testing.T) map[string]*Store {
	t.Helper()
	return map[string]*Store{
		"disk":   Open(t.TempDir(), false, failOnWarn(t)),
		"memory": Open(filepath.Join(t.TempDir(), "absent"), true, failOnWarn(t)),
	}
}

func failOnWarn(t *testing.T) func(string) {
	return func(msg string) { t.Errorf("unexpected warning: %s", msg) }
}

func mustLoad(t *testing.T, s *Store, server, profile string) (Session, bool) {
	t.Helper()
	sess, ok, err := s.Load(server, profile)
	if err != nil {
		t.Fatalf("Load(%q, %q): %v", server, profile, err)
	}
	return sess, ok
}

func mustList(t *testing.T, s *Store) []Session {
	t.Helper()
	list, err := s.List()
	if err != nil {
		t.Fatalf("List(): %v", err)
	}
	return list
}

func TestStoreRoundTrip(t *testing.T) {
	dir := t.TempDir()
	saved := []Session{
		session("https://hub.example.org", "default", "a1"),
		session("https://hub.example.org", "work", "a2"),
		session("https://hub.example.org/realms/nmr", "default", "a3"),
		session("http://127.0.0.1:8080", "ci", "a4"),
		{Server: "https://other.example.org", Profile: "default", Method: "token", AccessToken: "a5", CreatedAt: created},
	}
	s := Open(dir, false, failOnWarn(t))
	for _, sess := range saved {
		if err := s.Save(sess); err != nil {
			t.Fatalf("Save(%s %s): %v", sess.Server, sess.Profile, err)
		}
	}
	// A second Store (another process, later) sees the same sessions.
	reopened := Open(dir, false, failOnWarn(t))
	want := []Session{saved[3], saved[0], saved[1], saved[2], saved[4]}
	if diff := cmp.Diff(want, mustList(t, reopened)); diff != "" {
		t.Errorf("List() mismatch (-want +got):\n%s", diff)
	}
	for _, sess := range saved {
		got, ok := mustLoad(t, reopened, sess.Server, sess.Profile)
		if diff := cmp.Diff(sess, got); !ok || diff != "" {
			t.Errorf("Load(%q, %q) = ok %v, mismatch (-want +got):\n%s", sess.Server, sess.Profile, ok, diff)
		}
	}
	if got, want := reopened.Path(), filepath.Join(dir, "tokens.json"); got != want {
		t.Errorf("Path() = %q, want %q", got, want)
	}
}

func TestStoreKeys(t *testing.T) {
	tests := []struct {
		name                string
		saveServer, profile string
		loadServer, loadAs  string
		want                bool
	}{
		{name: "same", saveServer: "https://hub.example.org", loadServer: "https://hub.example.org", want: true},
		{name: "trailing slash", saveServer: "https://hub.example.org/", loadServer: "https://hub.example.org", want: true},
		{name: "case of scheme and host", saveServer: "HTTPS://Hub.Example.ORG/realms/x/", loadServer: "https://hub.example.org/realms/x", want: true},
		{name: "empty profile is default", saveServer: "https://hub.example.org", profile: "", loadServer: "https://hub.example.org", loadAs: "default", want: true},
		{name: "other host", saveServer: "https://hub.example.org", loadServer: "https://hub.example.com"},
		{name: "other port", saveServer: "https://hub.example.org", loadServer: "https://hub.example.org:8443"},
		{name: "other scheme", saveServer: "https://hub.example.org", loadServer: "http://hub.example.org"},
		{name: "other path", saveServer: "https://hub.example.org/realms/a", loadServer: "https://hub.example.org/realms/b"},
		{name: "path is case-sensitive", saveServer: "https://hub.example.org/Realms/A", loadServer: "https://hub.example.org/realms/a"},
		{name: "prefix is another server", saveServer: "https://hub.example.org/realms/a", loadServer: "https://hub.example.org"},
		{name: "other profile", saveServer: "https://hub.example.org", profile: "work", loadServer: "https://hub.example.org", loadAs: "default"},
	}
	for name, s := range stores(t) {
		for _, tt := range tests {
			t.Run(name+"/"+tt.name, func(t *testing.T) {
				if err := s.Save(session(tt.saveServer, tt.profile, "tok")); err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { s.Delete(tt.saveServer, tt.profile) })
				got, ok := mustLoad(t, s, tt.loadServer, tt.loadAs)
				if ok != tt.want {
					t.Fatalf("Load(%q, %q) ok = %v, want %v", tt.loadServer, tt.loadAs, ok, tt.want)
				}
				wantProfile := tt.loadAs
				if wantProfile == "" {
					wantProfile = "default"
				}
				if ok && (got.Server != tt.loadServer || got.Profile != wantProfile) {
					t.Errorf("Load(%q, %q) = session of %q %q; want it keyed as asked", tt.loadServer, tt.loadAs, got.Server, got.Profile)
				}
			})
		}
	}
}

func TestStoreDelete(t *testing.T) {
	for name, s := range stores(t) {
		t.Run(name, func(t *testing.T) {
			const server = "https://hub.example.org"
			for _, p := range []string{"default", "work"} {
				if err := s.Save(session(server, p, p)); err != nil {
					t.Fatal(err)
				}
			}
			for _, step := range []struct {
				profile string
				want    bool
			}{{"", true}, {"default", false}, {"nope", false}} {
				if found, err := s.Delete(server+"/", step.profile); err != nil || found != step.want {
					t.Errorf("Delete(%q) = %v, %v; want %v, nil", step.profile, found, err, step.want)
				}
			}
			if diff := cmp.Diff([]Session{session(server, "work", "work")}, mustList(t, s)); diff != "" {
				t.Errorf("List() after Delete mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestStoreNoServer(t *testing.T) {
	s := Open(t.TempDir(), false, failOnWarn(t))
	if err := s.Save(Session{AccessToken: "x"}); err == nil {
		t.Error("Save without a server: no error")
	}
	if _, _, err := s.Load("", "default"); err == nil {
		t.Error("Load without a server: no error")
	}
}
