package postgres

import (
	"context"
	"sync"
	"testing"

	"github.com/hubauth/hubauth/internal/storage"
)

// checkSchema checks that schema_migrations records every migration once.
func checkSchema(t *testing.T, s *Store) {
	t.Helper()
	ms, err := loadMigrations()
	if err != nil {
		t.Fatal(err)
	}
	var n, top int
	err = s.pool.QueryRow(t.Context(), `SELECT count(*), coalesce(max(version), 0) FROM schema_migrations`).Scan(&n, &top)
	if err != nil || n != len(ms) || top != len(ms) {
		t.Errorf("schema_migrations: %d rows up to version %d (err %v), want %d", n, top, err, len(ms))
	}
}

func TestReopenKeepsDataAndSchema(t *testing.T) {
	dsn := freshSchema(t)
	s := openTest(t, dsn)
	if err := s.CreateUser(t.Context(), storage.User{ID: "u-1", Username: "zoe", CreatedAt: base}); err != nil {
		t.Fatalf("CreateUser: %v", err)
	}
	s.Close()
	for range 2 {
		s = openTest(t, dsn)
		if _, err := s.GetUser(t.Context(), "u-1"); err != nil {
			t.Errorf("GetUser after reopening: %v", err)
		}
		checkSchema(t, s)
		s.Close()
	}
}

// TestConcurrentOpen opens one fresh schema from several goroutines at once,
// as servers starting together would: every Open succeeds and each
// migration is applied once (without the advisory lock, the losers of the
// race fail on the tables the winner is creating).
func TestConcurrentOpen(t *testing.T) {
	dsn := freshSchema(t)
	stores := make([]*Store, 4)
	var start, done sync.WaitGroup
	start.Add(1)
	for i := range stores {
		done.Add(1)
		go func() {
			defer done.Done()
			start.Wait()
			s, err := Open(context.Background(), dsn)
			if err != nil {
				t.Errorf("Open (goroutine %d): %v", i, err)
			}
			stores[i] = s
		}()
	}
	start.Done()
	done.Wait()
	for _, s := range stores {
		if s == nil {
			continue
		}
		checkSchema(t, s)
		s.Close()
	}
}

// TestMigrationLockReleased checks that Open leaves no advisory lock behind:
// none of the store's sessions holds it. (Trying to take the lock would race
// with other tests migrating other schemas of the same database, which share
// the lock by design.)
func TestMigrationLockReleased(t *testing.T) {
	s := openTest(t, freshSchema(t))
	defer s.Close()
	conns := s.pool.AcquireAllIdle(t.Context())
	if len(conns) == 0 {
		t.Fatal("no idle connection after Open: the migration's was not returned to the pool")
	}
	for _, c := range conns {
		var held int
		err := c.QueryRow(t.Context(), `SELECT count(*) FROM pg_locks
			WHERE locktype = 'advisory' AND pid = pg_backend_pid() AND granted
			AND ((classid::bigint << 32) | objid::bigint) = $1`, migrationLock).Scan(&held)
		c.Release()
		if err != nil || held != 0 {
			t.Fatalf("advisory locks held by a session of the store after Open = %d (err %v), want 0", held, err)
		}
	}
}

func TestNewerSchemaRefused(t *testing.T) {
	dsn := freshSchema(t)
	s := openTest(t, dsn)
	_, err := s.pool.Exec(t.Context(), `INSERT INTO schema_migrations (version, name, applied_at) VALUES (999, 'future', 0)`)
	s.Close()
	if err != nil {
		t.Fatal(err)
	}
	if s, err := Open(t.Context(), dsn); err == nil {
		s.Close()
		t.Errorf("Open(database from a newer program) succeeded, want an error")
	}
}
