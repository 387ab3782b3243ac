package store

import (
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

const hub = "https://hub.example.org"

func skipWithoutUnixModes(t *testing.T) {
	t.Helper()
	if runtime.GOOS == "windows" {
		t.Skip("no Unix file modes on Windows")
	}
}

func TestStorePermissions(t *testing.T) {
	skipWithoutUnixModes(t)
	dir := filepath.Join(t.TempDir(), "new", "hubauth")
	s := Open(dir, false, failOnWarn(t))
	if err := s.Save(session(hub, "", "tok")); err != nil {
		t.Fatal(err)
	}
	for path, want := range map[string]os.FileMode{dir: 0o700, s.Path(): 0o600, s.Path() + ".lock": 0o600} {
		if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != want {
			t.Errorf("mode of %s = %v, %v; want %v", path, fi.Mode().Perm(), err, want)
		}
	}
	// Rewriting keeps the mode.
	if err := s.Save(session(hub, "work", "tok")); err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Stat(s.Path()); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("mode after rewrite = %v, %v; want 0600", fi.Mode().Perm(), err)
	}
}

func TestStoreRefusesInsecureFile(t *testing.T) {
	skipWithoutUnixModes(t)
	for _, mode := range []os.FileMode{0o644, 0o640, 0o606, 0o660} {
		t.Run(mode.String(), func(t *testing.T) {
			s := Open(t.TempDir(), false, failOnWarn(t))
			if err := s.Save(session(hub, "", "tok")); err != nil {
				t.Fatal(err)
			}
			if err := os.Chmod(s.Path(), mode); err != nil {
				t.Fatal(err)
			}
			before, _ := os.ReadFile(s.Path())
			ops := map[string]func() error{
				"Load":   func() error { _, _, err := s.Load(hub, ""); return err },
				"List":   func() error { _, err := s.List(); return err },
				"Save":   func() error { return s.Save(session(hub, "x", "tok")) },
				"Delete": func() error { _, err := s.Delete(hub, ""); return err },
				"Update": func() error { return s.Update(hub, "", increment) },
			}
			for name, op := range ops {
				err := op()
				if !errors.Is(err, ErrInsecureFile) {
					t.Fatalf("%s() = %v, want ErrInsecureFile", name, err)
				}
				if fix := "chmod 600 " + s.Path(); !strings.Contains(err.Error(), fix) {
					t.Errorf("%s() = %q; want it to say %q", name, err, fix)
				}
			}
			after, _ := os.ReadFile(s.Path())
			fi, _ := os.Stat(s.Path())
			if string(after) != string(before) || fi.Mode().Perm() != mode {
				t.Errorf("refused file was changed: mode %v, content\n%s", fi.Mode().Perm(), after)
			}
		})
	}
}

func TestStoreCorruptFile(t *testing.T) {
	tests := []struct{ name, content string }{
		{"truncated", `{"version":1,"sessions":{"https://hub.example.org":{"default":{"server":"https://hub.exa`},
		{"empty", ``},
		{"not JSON", "access_token=abc\n"},
		{"trailing garbage", `{"version":1,"sessions":{}}}`},
		{"wrong shape", `{"version":1,"sessions":["a"]}`},
		{"no version", `{"sessions":{}}`},
	}
	ops := map[string]func(*Store) error{
		"Load":   func(s *Store) error { _, _, err := s.Load(hub, ""); return err },
		"List":   func(s *Store) error { _, err := s.List(); return err },
		"Save":   func(s *Store) error { return s.Save(session(hub, "", "tok")) },
		"Update": func(s *Store) error { return s.Update(hub, "", increment) },
	}
	for _, tt := range tests {
		for opName, op := range ops {
			t.Run(tt.name+"/"+opName, func(t *testing.T) {
				dir := t.TempDir()
				s := Open(dir, false, failOnWarn(t))
				s.now = func() time.Time { return time.Date(2026, 3, 1, 12, 30, 5, 0, time.UTC) }
				if err := os.WriteFile(s.Path(), []byte(tt.content), 0o600); err != nil {
					t.Fatal(err)
				}
				aside := s.Path() + ".corrupt-20260301T123005Z"
				err := op(s)
				if !errors.Is(err, ErrCorruptStore) || !strings.Contains(err.Error(), s.Path()) || !strings.Contains(err.Error(), aside) {
					t.Fatalf("%s() = %v; want ErrCorruptStore naming %s and %s", opName, err, s.Path(), aside)
				}
				if got, err := os.ReadFile(aside); err != nil || string(got) != tt.content {
					t.Errorf("moved-aside file = %q, %v; want the corrupt content", got, err)
				}
				if _, err := os.Stat(s.Path()); !errors.Is(err, os.ErrNotExist) {
					t.Errorf("corrupt file still in place: %v", err)
				}
				// The store starts again empty, and works.
				if _, ok := mustLoad(t, s, hub, ""); ok {
					t.Error("session found after the file was moved aside")
				}
				if err := s.Save(session(hub, "", "new")); err != nil {
					t.Fatalf("Save after corruption: %v", err)
				}
				if got, ok := mustLoad(t, s, hub, ""); !ok || got.AccessToken != "new" {
					t.Errorf("Load after Save = %q, %v", got.AccessToken, ok)
				}
			})
		}
	}
}

func TestStoreCorruptFileNeverOverwritesAside(t *testing.T) {
	s := Open(t.TempDir(), false, failOnWarn(t))
	s.now = func() time.Time { return created }
	for i, content := range []string{"first", "second", "third"} {
		if err := os.WriteFile(s.Path(), []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		if _, _, err := s.Load(hub, ""); !errors.Is(err, ErrCorruptStore) {
			t.Fatalf("Load %d = %v, want ErrCorruptStore", i, err)
		}
	}
	matches, _ := filepath.Glob(s.Path() + ".corrupt-*")
	var got []string
	for _, m := range matches {
		b, _ := os.ReadFile(m)
		got = append(got, filepath.Base(m)+"="+string(b))
	}
	want := []string{
		"tokens.json.corrupt-20260301T120000Z=first",
		"tokens.json.corrupt-20260301T120000Z-2=second",
		"tokens.json.corrupt-20260301T120000Z-3=third",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("moved-aside files mismatch (-want +got):\n%s", diff)
	}
}

func TestStoreNewerVersionRefused(t *testing.T) {
	s := Open(t.TempDir(), false, failOnWarn(t))
	const content = `{"version":2,"sessions":{"https://hub.example.org":[{"new":"shape"}]}}`
	if err := os.WriteFile(s.Path(), []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	for name, op := range map[string]func() error{
		"Load": func() error { _, _, err := s.Load(hub, ""); return err },
		"Save": func() error { return s.Save(session(hub, "", "tok")) },
	} {
		err := op()
		if err == nil || errors.Is(err, ErrCorruptStore) || !strings.Contains(err.Error(), "version 2") || !strings.Contains(err.Error(), s.Path()) {
			t.Errorf("%s() = %v; want an error naming the file and version 2", name, err)
		}
	}
	if got, _ := os.ReadFile(s.Path()); string(got) != content {
		t.Errorf("file of a newer version changed:\n%s", got)
	}
}

// TestStoreUnwritableDirectory checks that a directory the store cannot
// write is not fatal. Tests run as root here, and root ignores the modes
// of a read-only directory, so the case that fails for everyone is a data
// directory below a regular file: creating it fails with ENOTDIR. As
// another user, a 0500 directory is tried as well.
func TestStoreUnwritableDirectory(t *testing.T) {
	dirs := map[string]func(t *testing.T) string{
		"below a regular file": func(t *testing.T) string {
			file := filepath.Join(t.TempDir(), "afile")
			if err := os.WriteFile(file, []byte("not a directory"), 0o600); err != nil {
				t.Fatal(err)
			}
			return filepath.Join(file, "hubauth")
		},
		"read-only directory": func(t *testing.T) string {
			skipWithoutUnixModes(t)
			if os.Geteuid() == 0 {
				t.Skip("root writes to read-only directories")
			}
			dir := t.TempDir()
			if err := os.Chmod(dir, 0o500); err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { os.Chmod(dir, 0o700) })
			return dir
		},
	}
	for name, mkdir := range dirs {
		t.Run(name, func(t *testing.T) {
			dir := mkdir(t)
			var warnings []string
			s := Open(dir, false, func(msg string) { warnings = append(warnings, msg) })
			first, second := session(hub, "default", "one"), session(hub, "work", "two")
			for _, sess := range []Session{first, second} {
				if err := s.Save(sess); err != nil {
					t.Fatalf("Save: %v", err)
				}
			}
			if err := s.Update(hub, "", increment); err == nil {
				t.Error("Update(increment) of a non-number: no error")
			}
			if diff := cmp.Diff([]Session{first, second}, mustList(t, s)); diff != "" {
				t.Errorf("sessions kept in memory mismatch (-want +got):\n%s", diff)
			}
			if got, ok := mustLoad(t, s, hub, "work"); !ok || got.AccessToken != "two" {
				t.Errorf("Load = %q, %v; want the session kept in memory", got.AccessToken, ok)
			}
			if len(warnings) != 1 || !strings.HasPrefix(warnings[0], "cannot write "+s.Path()+": ") ||
				!strings.HasSuffix(warnings[0], "; the session is kept in memory for this process") ||
				strings.Contains(warnings[0], "\n") {
				t.Errorf("warnings = %q; want one line about %s", warnings, s.Path())
			}
			if _, err := os.Stat(s.Path()); err == nil {
				t.Error("tokens.json was written")
			}
		})
	}
}
