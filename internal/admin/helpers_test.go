package admin_test

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hubauth/hubauth/internal/admin"
	"github.com/hubauth/hubauth/internal/password"
	"github.com/hubauth/hubauth/internal/storage"
	"github.com/hubauth/hubauth/internal/storage/sqlite"
)

// now is the pinned clock of these tests.
var now = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

// newAdmin returns an Admin over a new SQLite database, and the database.
func newAdmin(t *testing.T) (*admin.Admin, storage.Storage) {
	t.Helper()
	s, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "hub.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	h := password.NewHasher(password.Params{Memory: 64, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}, 1, 0)
	t.Cleanup(h.Close)
	return admin.New(s, func() time.Time { return now }, h.Hash), s
}

// lastAudit returns the newest audit event.
func lastAudit(t *testing.T, s storage.Storage) storage.AuditEvent {
	t.Helper()
	events, err := s.ListAudit(context.Background(), 1)
	if err != nil || len(events) != 1 {
		t.Fatalf("ListAudit = %v, %v; want one event", events, err)
	}
	return events[0]
}

// auditCount is the number of audit events.
func auditCount(t *testing.T, s storage.Storage) int {
	t.Helper()
	events, err := s.ListAudit(context.Background(), 1000)
	if err != nil {
		t.Fatal(err)
	}
	return len(events)
}

// wantErr checks that err says msg and matches target.
func wantErr(t *testing.T, what string, err error, msg string, target error) {
	t.Helper()
	if err == nil || !strings.Contains(err.Error(), msg) || !errors.Is(err, target) {
		t.Errorf("%s: error = %v, want one saying %q that is %v", what, err, msg, target)
	}
}
