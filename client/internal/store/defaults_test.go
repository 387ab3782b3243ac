package store

import (
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// defaults returns, per server, the profiles marked Default.
func defaults(t *testing.T, s *Store) map[string][]string {
	t.Helper()
	list, err := s.List()
	if err != nil {
		t.Fatal(err)
	}
	got := map[string][]string{}
	for _, sess := range list {
		if sess.Default {
			got[sess.Server] = append(got[sess.Server], sess.Profile)
		}
	}
	return got
}

func TestSetDefault(t *testing.T) {
	const other = "https://other.example.org"
	tests := []struct {
		name  string
		steps func(t *testing.T, s *Store)
		want  map[string][]string
	}{
		{"none set", func(*testing.T, *Store) {}, map[string][]string{}},
		{"one server", func(t *testing.T, s *Store) { mustSetDefault(t, s, hub, "work", true) },
			map[string][]string{hub: {"work"}}},
		{"moved", func(t *testing.T, s *Store) {
			mustSetDefault(t, s, hub, "work", true)
			mustSetDefault(t, s, hub, "", true)
		}, map[string][]string{hub: {"default"}}},
		{"per server", func(t *testing.T, s *Store) {
			mustSetDefault(t, s, hub, "work", true)
			mustSetDefault(t, s, other, "default", true)
		}, map[string][]string{hub: {"work"}, other: {"default"}}},
		{"server spelled otherwise", func(t *testing.T, s *Store) { mustSetDefault(t, s, "HTTPS://HUB.example.org/", "work", true) },
			map[string][]string{hub: {"work"}}},
		{"unknown profile changes nothing", func(t *testing.T, s *Store) {
			mustSetDefault(t, s, hub, "work", true)
			mustSetDefault(t, s, hub, "play", false)
		}, map[string][]string{hub: {"work"}}},
		{"unknown server", func(t *testing.T, s *Store) { mustSetDefault(t, s, "https://nowhere.example.org", "work", false) },
			map[string][]string{}},
		{"kept when the session is replaced or refreshed", func(t *testing.T, s *Store) {
			mustSetDefault(t, s, hub, "work", true)
			if err := s.Save(session(hub, "work", "new")); err != nil {
				t.Fatal(err)
			}
			if err := s.Update(hub, "work", func(cur Session, _ bool) (*Session, error) { cur.Default = false; return &cur, nil }); err != nil {
				t.Fatal(err)
			}
		}, map[string][]string{hub: {"work"}}},
		{"gone with the session", func(t *testing.T, s *Store) {
			mustSetDefault(t, s, hub, "work", true)
			if _, err := s.Delete(hub, "work"); err != nil {
				t.Fatal(err)
			}
			if err := s.Save(session(hub, "work", "again")); err != nil {
				t.Fatal(err)
			}
		}, map[string][]string{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := Open(t.TempDir(), false, failOnWarn(t))
			for _, sess := range []Session{session(hub, "", "a"), session(hub, "work", "b"), session(other, "", "c")} {
				if err := s.Save(sess); err != nil {
					t.Fatal(err)
				}
			}
			tt.steps(t, s)
			if diff := cmp.Diff(tt.want, defaults(t, s)); diff != "" {
				t.Errorf("default profiles (-want +got):\n%s", diff)
			}
		})
	}
}

// The mark is one field of a session's entry, which a reader of the
// format before it ignores: the file keeps its shape and version.
func TestSetDefaultFileFormat(t *testing.T) {
	s := Open(t.TempDir(), false, failOnWarn(t))
	if err := s.Save(session(hub, "work", "b")); err != nil {
		t.Fatal(err)
	}
	mustSetDefault(t, s, hub, "work", true)
	data, err := os.ReadFile(s.Path())
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"version": 1`, `"default": true`} {
		if !strings.Contains(string(data), want) {
			t.Errorf("tokens.json lacks %s:\n%s", want, data)
		}
	}
	all, err := decode(s.Path(), data)
	if err != nil || !all[hub]["work"].Default {
		t.Errorf("decode = %v, %v; want work marked default", all, err)
	}
}

func mustSetDefault(t *testing.T, s *Store, server, profile string, want bool) {
	t.Helper()
	found, err := s.SetDefault(server, profile)
	if err != nil || found != want {
		t.Fatalf("SetDefault(%q, %q) = %t, %v; want %t", server, profile, found, err, want)
	}
}
