package sqlite

import (
	"errors"
	"fmt"
	"math"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/hubauth/hubauth/internal/storage"
	"github.com/hubauth/hubauth/internal/storage/storagetest"
)

func TestConformance(t *testing.T) {
	storagetest.Run(t, func(t *testing.T) storage.Storage {
		return openTest(t, filepath.Join(t.TempDir(), "hub.db"))
	})
}

// openTest opens a Store on path; the caller closes it.
func openTest(t *testing.T, path string) *Store {
	t.Helper()
	s, err := Open(t.Context(), path)
	if err != nil {
		t.Fatalf("Open(%q): %v", path, err)
	}
	return s
}

var base = time.Date(2025, 6, 2, 9, 30, 0, 0, time.UTC)

func TestPragmas(t *testing.T) {
	s := openTest(t, filepath.Join(t.TempDir(), "hub.db"))
	defer s.Close()
	for _, db := range []struct {
		name string
		q    querier
	}{{"writer", s.w}, {"reader", s.r}} {
		var mode string
		var fk, busy, sync int
		row := db.q.QueryRowContext(t.Context(), `SELECT * FROM pragma_journal_mode, pragma_foreign_keys,
			pragma_busy_timeout, pragma_synchronous`)
		if err := row.Scan(&mode, &fk, &busy, &sync); err != nil {
			t.Fatalf("%s: %v", db.name, err)
		}
		if mode != "wal" || fk != 1 || busy != busyTimeoutMS || sync != 1 {
			t.Errorf("%s: journal_mode %s, foreign_keys %d, busy_timeout %d, synchronous %d; want wal, 1, %d, 1 (NORMAL)",
				db.name, mode, fk, busy, sync, busyTimeoutMS)
		}
	}
	if _, err := s.r.ExecContext(t.Context(), `DELETE FROM users`); err == nil {
		t.Errorf("reader pool accepted a write, want query_only")
	}
}

func TestZeroTimeStoredAsZero(t *testing.T) {
	s := openTest(t, filepath.Join(t.TempDir(), "hub.db"))
	defer s.Close()
	if err := s.CreateUser(t.Context(), storage.User{ID: "u-1", Username: "zoe"}); err != nil {
		t.Fatal(err)
	}
	var n int64
	if err := s.r.QueryRowContext(t.Context(), `SELECT created_at FROM users`).Scan(&n); err != nil || n != 0 {
		t.Errorf("created_at column = %d (err %v), want 0", n, err)
	}
	u, err := s.GetUser(t.Context(), "u-1")
	if err != nil || !u.CreatedAt.IsZero() {
		t.Errorf("GetUser: CreatedAt %v (err %v), want the zero time", u.CreatedAt, err)
	}
}

func TestClosedIsUnavailable(t *testing.T) {
	s := openTest(t, filepath.Join(t.TempDir(), "hub.db"))
	s.Close()
	if err := s.Close(); err != nil {
		t.Errorf("second Close() = %v, want nil", err)
	}
	if err := s.Ping(t.Context()); !errors.Is(err, storage.ErrUnavailable) {
		t.Errorf("Ping after Close = %v, want ErrUnavailable", err)
	}
	if _, err := s.GetClient(t.Context(), "web"); !errors.Is(err, storage.ErrUnavailable) {
		t.Errorf("GetClient after Close = %v, want ErrUnavailable", err)
	}
}

func TestOpenBadPath(t *testing.T) {
	path := filepath.Join(t.TempDir(), "missing-dir", "hub.db")
	if s, err := Open(t.Context(), path); err == nil {
		s.Close()
		t.Errorf("Open(%q) succeeded, want an error", path)
	} else if !errors.Is(err, storage.ErrUnavailable) {
		t.Errorf("Open(%q) = %v, want ErrUnavailable", path, err)
	}
}

// TestTwoStores is the admin CLI writing while the server runs: two Stores
// on one file see each other's writes, and their writers queue rather than
// fail, even on the rotation rule.
func TestTwoStores(t *testing.T) {
	path := filepath.Join(t.TempDir(), "hub.db")
	a, b := openTest(t, path), openTest(t, path)
	defer a.Close()
	defer b.Close()
	ctx := t.Context()
	x := storage.Session{ID: "s-1", UserID: "u-1", CreatedAt: base, ExpiresAt: base.Add(time.Hour)}
	rt := storage.RefreshToken{Hash: "rt-1", CreatedAt: base, ExpiresAt: base.Add(time.Hour)}
	if err := a.CreateSession(ctx, x, rt); err != nil {
		t.Fatal(err)
	}
	if _, err := b.GetSession(ctx, "s-1"); err != nil {
		t.Fatalf("GetSession on the other Store: %v", err)
	}

	var mu sync.Mutex
	outcomes := map[storage.RotateOutcome]int{}
	var wg sync.WaitGroup
	for i := range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s := []*Store{a, b}[i%2]
			next := storage.RefreshToken{Hash: fmt.Sprint("rt-next-", i), CreatedAt: base, ExpiresAt: base.Add(time.Hour)}
			res, err := s.RotateRefreshToken(ctx, storage.RefreshKey{SessionID: "s-1", Hash: "rt-1"}, next, base.Add(time.Minute), 10*time.Second, nil)
			if err != nil {
				t.Errorf("RotateRefreshToken on Store %d: %v", i%2, err)
			}
			if err := s.AppendAudit(ctx, storage.AuditEvent{Time: base, Type: "login"}); err != nil {
				t.Errorf("AppendAudit on Store %d: %v", i%2, err)
			}
			mu.Lock()
			outcomes[res.Outcome]++
			mu.Unlock()
		}()
	}
	wg.Wait()
	if outcomes[storage.Rotated] != 1 || outcomes[storage.GraceReissued] != 19 {
		t.Errorf("outcomes across two Stores = %v, want 1 Rotated and 19 GraceReissued", outcomes)
	}
}

func TestTimeEncoding(t *testing.T) {
	never := time.Date(9999, 12, 31, 0, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		in   time.Time
		want int64
	}{
		{time.Time{}, 0},
		{time.Unix(0, 1), 1},
		{base, base.UnixNano()},
		{base.In(time.FixedZone("CEST", 2*3600)), base.UnixNano()},
		{never, math.MaxInt64},
		{time.Date(1, 1, 2, 0, 0, 0, 0, time.UTC), math.MinInt64 + 1},
	} {
		if got := nanos(tc.in); got != tc.want {
			t.Errorf("nanos(%v) = %d, want %d", tc.in, got, tc.want)
		}
	}
	if got := fromNanos(0); !got.IsZero() {
		t.Errorf("fromNanos(0) = %v, want the zero time", got)
	}
	if got := fromNanos(base.UnixNano()); got != base {
		t.Errorf("fromNanos(%d) = %v, want %v in UTC", base.UnixNano(), got, base)
	}
	if !fromNanos(nanos(never)).After(base) {
		t.Errorf("a clamped far future time reads back before %v", base)
	}
}

// TestGarbageCollectBatches collects more rows than one batch holds.
func TestGarbageCollectBatches(t *testing.T) {
	s := openTest(t, filepath.Join(t.TempDir(), "hub.db"))
	defer s.Close()
	const fill = `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < %d) `
	for _, q := range []string{
		fmt.Sprintf(fill, 2500) + `INSERT INTO revoked_access_tokens (id, expires_at) SELECT 'jti-' || i, 1 FROM n`,
		fmt.Sprintf(fill, 1500) + `INSERT INTO sessions (id, user_id, client_id, method, name, address,
			browser_session_id, scopes, auth_time, amr, created_at, last_used_at, expires_at, revoked_at)
			SELECT 's-' || i, 'u', 'c', 'device', '', '', '', '[]', 0, '[]', 0, 0, 1, 0 FROM n`,
		`INSERT INTO refresh_tokens (hash, session_id, created_at, expires_at, rotated_at)
			SELECT 'rt-a-' || id, id, 0, 9000000000000000000, 0 FROM sessions`,
		`INSERT INTO refresh_tokens (hash, session_id, created_at, expires_at, rotated_at)
			SELECT 'rt-b-' || id, id, 0, 9000000000000000000, 0 FROM sessions`,
	} {
		if _, err := s.w.ExecContext(t.Context(), q); err != nil {
			t.Fatal(err)
		}
	}
	got, err := s.GarbageCollect(t.Context(), time.Unix(0, 10))
	want := storage.GCResult{Sessions: 1500, RefreshTokens: 3000, RevokedTokens: 2500}
	if err != nil || got != want {
		t.Errorf("GarbageCollect = %+v, %v; want %+v, nil", got, err, want)
	}
}
