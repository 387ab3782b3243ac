package store

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

func TestStoreUpdate(t *testing.T) {
	const server = "https://hub.example.org"
	errRefused := errors.New("refused")
	tests := []struct {
		name    string
		initial *Session
		fn      func(cur Session, ok bool) (*Session, error)
		want    []Session
		wantErr error
	}{
		{
			name: "none yet",
			fn: func(cur Session, ok bool) (*Session, error) {
				if ok {
					return nil, fmt.Errorf("ok = true for %+v", cur)
				}
				s := session(server, "default", "new")
				return &s, nil
			},
			want: []Session{session(server, "default", "new")},
		},
		{
			name:    "replace",
			initial: ptr(session(server, "default", "old")),
			fn: func(cur Session, ok bool) (*Session, error) {
				if !ok || cur.AccessToken != "old" {
					return nil, fmt.Errorf("cur = %q, %v; want old", cur.AccessToken, ok)
				}
				next := session(server, "default", "new")
				next.Expired = true
				return &next, nil
			},
			want: []Session{func() Session { s := session(server, "default", "new"); s.Expired = true; return s }()},
		},
		{
			name:    "nil deletes",
			initial: ptr(session(server, "default", "old")),
			fn:      func(Session, bool) (*Session, error) { return nil, nil },
		},
		{
			name: "nil without session",
			fn:   func(Session, bool) (*Session, error) { return nil, nil },
		},
		{
			name:    "error changes nothing",
			initial: ptr(session(server, "default", "old")),
			fn: func(cur Session, _ bool) (*Session, error) {
				cur.Scopes[0] = "mutated" // a copy: must not leak into the store
				return &cur, errRefused
			},
			want:    []Session{session(server, "default", "old")},
			wantErr: errRefused,
		},
		{
			name: "stored under the key asked",
			fn: func(Session, bool) (*Session, error) {
				return ptr(session("https://elsewhere.example.org", "other", "new")), nil
			},
			want: []Session{session(server, "default", "new")},
		},
	}
	for _, tt := range tests {
		for name, s := range stores(t) {
			t.Run(tt.name+"/"+name, func(t *testing.T) {
				if tt.initial != nil {
					if err := s.Save(*tt.initial); err != nil {
						t.Fatal(err)
					}
				}
				if err := s.Update(server, "", tt.fn); !errors.Is(err, tt.wantErr) {
					t.Fatalf("Update() = %v, want %v", err, tt.wantErr)
				}
				if diff := cmp.Diff(tt.want, mustList(t, s), cmpopts.EquateEmpty()); diff != "" {
					t.Errorf("sessions after Update mismatch (-want +got):\n%s", diff)
				}
			})
		}
	}
}

func ptr[T any](v T) *T { return &v }

// TestStoreConcurrentGoroutines shares one Store between goroutines; with
// -race it checks the locking inside one process.
func TestStoreConcurrentGoroutines(t *testing.T) {
	const workers, rounds = 4, 20
	for name, s := range stores(t) {
		t.Run(name, func(t *testing.T) {
			var wg sync.WaitGroup
			for w := range workers {
				wg.Go(func() {
					for range rounds {
						if err := s.Update("https://hub.example.org", "shared", increment); err != nil {
							t.Error(err)
						}
						if _, _, err := s.Load("https://hub.example.org", fmt.Sprint(w)); err != nil {
							t.Error(err)
						}
					}
				})
			}
			wg.Wait()
			got, _ := mustLoad(t, s, "https://hub.example.org", "shared")
			if want := fmt.Sprint(workers * rounds); got.AccessToken != want {
				t.Errorf("counter = %q, want %s", got.AccessToken, want)
			}
		})
	}
}

func TestStoreMemoryOnly(t *testing.T) {
	dir := t.TempDir()
	// A session on disk is neither read nor changed by a memory-only store.
	disk := Open(dir, false, failOnWarn(t))
	if err := disk.Save(session("https://hub.example.org", "", "on disk")); err != nil {
		t.Fatal(err)
	}
	before, err := os.ReadFile(disk.Path())
	if err != nil {
		t.Fatal(err)
	}
	absent := filepath.Join(t.TempDir(), "absent")
	for _, d := range []string{dir, absent} {
		s := Open(d, true, failOnWarn(t))
		if s.Path() != "" {
			t.Errorf("Path() = %q, want \"\"", s.Path())
		}
		if _, ok := mustLoad(t, s, "https://hub.example.org", ""); ok {
			t.Error("memory-only store read the file on disk")
		}
		want := session("https://hub.example.org", "default", "41")
		if err := s.Save(want); err != nil {
			t.Fatal(err)
		}
		if err := s.Update(want.Server, "", increment); err != nil {
			t.Fatal(err)
		}
		want.AccessToken = "42"
		if diff := cmp.Diff([]Session{want}, mustList(t, s)); diff != "" {
			t.Errorf("List() mismatch (-want +got):\n%s", diff)
		}
	}
	if after, err := os.ReadFile(disk.Path()); err != nil || string(after) != string(before) {
		t.Errorf("tokens.json changed by a memory-only store: %v\n%s", err, after)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 2 { // tokens.json and its lock
		t.Errorf("data directory has %d entries, want 2", len(entries))
	}
	if _, err := os.Lstat(absent); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("memory-only store created its directory: %v", err)
	}
}

// increment treats the access token as a counter.
func increment(cur Session, _ bool) (*Session, error) {
	var n int
	if cur.AccessToken != "" {
		if _, err := fmt.Sscan(cur.AccessToken, &n); err != nil {
			return nil, err
		}
	}
	cur.AccessToken = fmt.Sprint(n + 1)
	return &cur, nil
}
