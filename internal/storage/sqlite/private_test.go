//go:build !windows

package sqlite

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hubauth/hubauth/internal/storage"
)

// TestOpenCreatesPrivateFiles: a new database and its -wal and -shm files
// are private to the owner.
func TestOpenCreatesPrivateFiles(t *testing.T) {
	path := filepath.Join(t.TempDir(), "hub.db")
	s := openTest(t, path)
	defer s.Close()
	if err := s.CreateUser(t.Context(), storage.User{ID: "u-1", Username: "ada"}); err != nil {
		t.Fatal(err)
	}
	want := map[string]os.FileMode{path: 0o600, path + "-wal": 0o600, path + "-shm": 0o600}
	for p, mode := range want {
		fi, err := os.Stat(p)
		if err != nil {
			t.Errorf("%s: %v", p, err)
			continue
		}
		if got := fi.Mode().Perm(); got != mode {
			t.Errorf("%s: mode %04o, want %04o", p, got, mode)
		}
	}
}

// TestOpenRefusesSharedFiles: a database (or a companion file) that other
// users may read or write is refused, naming the chmod that fixes it.
func TestOpenRefusesSharedFiles(t *testing.T) {
	tests := []struct {
		name  string
		modes map[string]os.FileMode // suffix of the database path → mode
		open  []string               // suffixes the chmod must name
	}{
		{name: "world readable", modes: map[string]os.FileMode{"": 0o644}, open: []string{""}},
		{name: "group readable", modes: map[string]os.FileMode{"": 0o640}, open: []string{""}},
		{name: "others writable", modes: map[string]os.FileMode{"": 0o602}, open: []string{""}},
		{name: "wal readable", modes: map[string]os.FileMode{"": 0o600, "-wal": 0o644}, open: []string{"-wal"}},
		{name: "all three", modes: map[string]os.FileMode{"": 0o644, "-wal": 0o644, "-shm": 0o644}, open: []string{"", "-wal", "-shm"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "hub.db")
			openTest(t, path).Close()
			for suffix, mode := range tt.modes {
				if suffix != "" {
					if err := os.WriteFile(path+suffix, nil, 0o600); err != nil {
						t.Fatal(err)
					}
				}
				if err := os.Chmod(path+suffix, mode); err != nil {
					t.Fatal(err)
				}
			}
			s, err := Open(t.Context(), path)
			if err == nil {
				s.Close()
				t.Fatalf("Open(%s) succeeded, want ErrInsecureFile", tt.name)
			}
			var want []string
			for _, suffix := range tt.open {
				want = append(want, path+suffix)
			}
			fix := "fix it with: chmod 600 " + strings.Join(want, " ")
			if !errors.Is(err, ErrInsecureFile) || !strings.HasSuffix(err.Error(), fix) {
				t.Errorf("Open() = %v, want ErrInsecureFile ending %q", err, fix)
			}
		})
	}
}
