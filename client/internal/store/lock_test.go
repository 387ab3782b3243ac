package store

import (
	"strings"
	"testing"
	"time"

	"github.com/gofrs/flock"
)

func TestStoreLockTimeout(t *testing.T) {
	s := Open(t.TempDir(), false, failOnWarn(t))
	if err := s.Save(session(hub, "", "tok")); err != nil {
		t.Fatal(err)
	}
	s.lockWait = 50 * time.Millisecond
	other := flock.New(s.Path() + ".lock") // another process, as far as flock(2) is concerned
	if ok, err := other.TryLock(); !ok || err != nil {
		t.Fatalf("TryLock: %v, %v", ok, err)
	}
	defer other.Unlock()
	err := s.Save(session(hub, "", "new"))
	if err == nil || !strings.Contains(err.Error(), s.Path()+".lock") {
		t.Fatalf("Save while locked = %v; want an error naming the lock file", err)
	}
	// Reading needs no lock; the store is unchanged and still on disk.
	if got, ok := mustLoad(t, s, hub, ""); !ok || got.AccessToken != "tok" {
		t.Errorf("Load while locked = %q, %v; want tok", got.AccessToken, ok)
	}
	other.Unlock()
	if err := s.Save(session(hub, "", "new")); err != nil {
		t.Errorf("Save after unlock: %v", err)
	}
}
