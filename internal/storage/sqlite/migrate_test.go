package sqlite

import (
	"database/sql"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/hubauth/hubauth/internal/storage"
)

func TestReopenKeepsDataAndSchema(t *testing.T) {
	path := filepath.Join(t.TempDir(), "hub.db")
	s := openTest(t, path)
	u := storage.User{ID: "u-1", Username: "zoe", CreatedAt: base}
	if err := s.CreateUser(t.Context(), u); err != nil {
		t.Fatalf("CreateUser: %v", err)
	}
	s.Close()

	for range 2 {
		s = openTest(t, path)
		if _, err := s.GetUser(t.Context(), "u-1"); err != nil {
			t.Errorf("GetUser after reopening: %v", err)
		}
		var n, top int
		err := s.r.QueryRowContext(t.Context(), `SELECT count(*), max(version) FROM schema_migrations`).Scan(&n, &top)
		ms, _ := loadMigrations()
		if err != nil || n != len(ms) || top != len(ms) {
			t.Errorf("schema_migrations: %d rows up to version %d (err %v), want %d", n, top, err, len(ms))
		}
		s.Close()
	}
}

// TestConcurrentOpen opens one new file from several goroutines at once, as
// two processes starting together would: each migration runs once.
func TestConcurrentOpen(t *testing.T) {
	path := filepath.Join(t.TempDir(), "hub.db")
	stores := make([]*Store, 4)
	var wg sync.WaitGroup
	for i := range stores {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s, err := Open(t.Context(), path)
			if err != nil {
				t.Errorf("Open (goroutine %d): %v", i, err)
			}
			stores[i] = s
		}()
	}
	wg.Wait()
	ms, _ := loadMigrations()
	for _, s := range stores {
		if s == nil {
			continue
		}
		var n int
		if err := s.r.QueryRowContext(t.Context(), `SELECT count(*) FROM schema_migrations`).Scan(&n); err != nil || n != len(ms) {
			t.Errorf("schema_migrations rows = %d (err %v), want %d", n, err, len(ms))
		}
		s.Close()
	}
}

func TestNewerSchemaRefused(t *testing.T) {
	path := filepath.Join(t.TempDir(), "hub.db")
	s := openTest(t, path)
	_, err := s.w.ExecContext(t.Context(), `INSERT INTO schema_migrations (version, name, applied_at) VALUES (999, 'future', 0)`)
	s.Close()
	if err != nil {
		t.Fatal(err)
	}
	if s, err := Open(t.Context(), path); err == nil {
		s.Close()
		t.Errorf("Open(database from a newer program) succeeded, want an error")
	}
}

// TestClientsBeforeScopesStayUnrestricted: a client registered before
// scopes were per client (migration 5) may still ask for any scope.
func TestClientsBeforeScopesStayUnrestricted(t *testing.T) {
	path := migratedTo(t, 4, `INSERT INTO clients (id, name, secret_hash, public, redirect_uris,
		grant_types, first_party, disabled, created_at) VALUES ('web', 'Web', '', 0, '[]', '[]', 0, 0, 0)`)
	s := openTest(t, path)
	defer s.Close()
	c, err := s.GetClient(t.Context(), "web")
	if err != nil || c.RestrictScopes || len(c.AllowedScopes) != 0 {
		t.Errorf("client from before migration 5: RestrictScopes %t, AllowedScopes %q (err %v); want unrestricted", c.RestrictScopes, c.AllowedScopes, err)
	}
}

// TestEmailsBeforeVerificationFlag: migration 9 counts an address stored
// before it as verified only for a user with no upstream identity (an
// administrator set it), never for one an upstream may have sent.
func TestEmailsBeforeVerificationFlag(t *testing.T) {
	path := migratedTo(t, 8,
		`INSERT INTO users (id, username, name, email, password_hash, admin, disabled, created_at) VALUES
			('u-admin-set', 'ada', '', 'ada@example.org', 'x', 0, 0, 0),
			('u-upstream', 'bob', '', 'bob@example.org', '', 0, 0, 0),
			('u-none', 'cy', '', '', 'x', 0, 0, 0)`,
		`INSERT INTO identity_providers (name, display_name, issuer, client_id, client_secret, scopes, username_claim,
			groups_claim, groups_prefix, provision, link_verified_email, disabled, created_at)
			VALUES ('up', 'Up', 'https://up.example', 'c', 's', '[]', 'sub', '', '', 'auto', 1, 0, 0)`,
		`INSERT INTO user_identities (provider, subject, user_id, created_at, last_login_at) VALUES ('up', 's1', 'u-upstream', 0, 0)`)
	s := openTest(t, path)
	defer s.Close()
	for id, want := range map[string]bool{"u-admin-set": true, "u-upstream": false, "u-none": false} {
		u, err := s.GetUser(t.Context(), id)
		if err != nil || u.EmailVerified != want {
			t.Errorf("user %s after migration 9: EmailVerified %t (err %v), want %t", id, u.EmailVerified, err, want)
		}
	}
}

// migratedTo makes a database file with the first n migrations and the
// rows of inserts, as a hub of that version left it, and returns its path.
func migratedTo(t *testing.T, n int, inserts ...string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "hub.db")
	if err := os.WriteFile(path, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	db, err := sql.Open("sqlite", dsn(path, false))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ms, _ := loadMigrations()
	_, err = db.ExecContext(t.Context(), `CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)`)
	for done := false; err == nil && !done; {
		done, err = migrateOne(t.Context(), db, ms[:n])
	}
	for _, q := range inserts {
		if err == nil {
			_, err = db.ExecContext(t.Context(), q)
		}
	}
	if err != nil {
		t.Fatal(err)
	}
	return path
}

// TestRefreshTokensFromBeforeTheyNamedTheirSession: after migration 14 a
// refresh token issued before, whose key has no session, is still found
// and rotates into its session (reuse detected as before), the tokens
// still go with their session, and an entry of legacy_refresh_tokens is
// collected once its token expires.
func TestRefreshTokensFromBeforeTheyNamedTheirSession(t *testing.T) {
	const later = 4_000_000_000_000_000_000 // 2096, in ns
	path := migratedTo(t, 13,
		`INSERT INTO sessions (id, user_id, client_id, method, name, address, browser_session_id, scopes,
			auth_time, amr, created_at, last_used_at, expires_at, revoked_at)
			VALUES ('s-old', 'u', 'c', 'device', '', '', '', '[]', 0, '[]', 0, 0, 9000000000000000000, 0)`,
		`INSERT INTO refresh_tokens (hash, session_id, created_at, expires_at, rotated_at) VALUES
			('h-current', 's-old', 0, 9000000000000000000, 0),
			('h-used', 's-old', 0, 9000000000000000000, 1),
			('h-expired', 's-old', 0, 2, 0)`,
		`INSERT INTO sessions (id, user_id, client_id, method, name, address, browser_session_id, scopes,
			auth_time, amr, created_at, last_used_at, expires_at, revoked_at)
			VALUES ('s-deleted', 'u', 'c', 'device', '', '', '', '[]', 0, '[]', 0, 0, 9000000000000000000, 0)`,
		`INSERT INTO refresh_tokens (hash, session_id, created_at, expires_at, rotated_at) VALUES
			('h-of-deleted', 's-deleted', 0, 9000000000000000000, 0)`)
	s := openTest(t, path)
	defer s.Close()
	ctx := t.Context()
	tok, _, err := s.GetRefreshToken(ctx, storage.RefreshKey{Hash: "h-current"})
	if err != nil || tok.SessionID != "s-old" {
		t.Fatalf("GetRefreshToken(legacy h-current) = %+v, %v; want its session s-old", tok, err)
	}
	at := time.Unix(0, later)
	next := storage.RefreshToken{Hash: "h-next", CreatedAt: at, ExpiresAt: at.Add(time.Hour)}
	res, err := s.RotateRefreshToken(ctx, storage.RefreshKey{Hash: "h-current"}, next, at, 0, nil)
	if err != nil || res.Outcome != storage.Rotated {
		t.Fatalf("rotating the legacy token: %+v, %v; want Rotated", res, err)
	}
	if _, _, err := s.GetRefreshToken(ctx, storage.RefreshKey{SessionID: "s-old", Hash: "h-next"}); err != nil {
		t.Errorf("its successor, by session and hash: %v", err)
	}
	if _, _, err := s.GetRefreshToken(ctx, storage.RefreshKey{Hash: "h-next"}); !errors.Is(err, storage.ErrNotFound) {
		t.Errorf("its successor by hash alone: %v, want ErrNotFound (it names its session)", err)
	}
	res, err = s.RotateRefreshToken(ctx, storage.RefreshKey{SessionID: "s-old", Hash: "h-used"}, next, at, 0, nil)
	if err != nil || res.Outcome != storage.ReuseDetected {
		t.Errorf("the legacy token used before: %+v, %v; want ReuseDetected", res, err)
	}
	var broken int
	if err := s.r.QueryRowContext(ctx, `SELECT count(*) FROM pragma_foreign_key_check`).Scan(&broken); err != nil || broken != 0 {
		t.Errorf("foreign key check: %d rows, %v; want none", broken, err)
	}
	if _, err := s.w.ExecContext(ctx, `DELETE FROM sessions WHERE id = 's-deleted'`); err != nil {
		t.Fatal(err)
	}
	var orphans int
	if err := s.r.QueryRowContext(ctx, `SELECT count(*) FROM refresh_tokens WHERE session_id = 's-deleted'`).Scan(&orphans); err != nil || orphans != 0 {
		t.Errorf("tokens of a deleted session: %d, %v; want none (deleted with it)", orphans, err)
	}
	if _, err := s.GarbageCollect(ctx, time.Unix(0, 3)); err != nil {
		t.Fatal(err)
	}
	rows, err := s.r.QueryContext(ctx, `SELECT hash FROM legacy_refresh_tokens ORDER BY hash`)
	left, err := scanAll(rows, err, func(sc scanner) (string, error) {
		var h string
		return h, sc.Scan(&h)
	})
	if err != nil || !slices.Equal(left, []string{"h-current", "h-of-deleted", "h-used"}) {
		t.Errorf("legacy entries after garbage collection: %q, %v; want the unexpired h-current, h-of-deleted, h-used", left, err)
	}
}
