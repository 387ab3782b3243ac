package sqlite

import (
	"database/sql"
	"os"
	"path/filepath"
	"sync"
	"testing"

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
	path := filepath.Join(t.TempDir(), "hub.db")
	if err := os.WriteFile(path, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	db, err := sql.Open("sqlite", dsn(path, false))
	if err != nil {
		t.Fatal(err)
	}
	ms, _ := loadMigrations()
	_, err = db.ExecContext(t.Context(), `CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)`)
	for done := false; err == nil && !done; {
		done, err = migrateOne(t.Context(), db, ms[:4])
	}
	if err == nil {
		_, err = db.ExecContext(t.Context(), `INSERT INTO clients (id, name, secret_hash, public, redirect_uris,
			grant_types, first_party, disabled, created_at) VALUES ('web', 'Web', '', 0, '[]', '[]', 0, 0, 0)`)
	}
	db.Close()
	if err != nil {
		t.Fatal(err)
	}
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
	path := filepath.Join(t.TempDir(), "hub.db")
	if err := os.WriteFile(path, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	db, err := sql.Open("sqlite", dsn(path, false))
	if err != nil {
		t.Fatal(err)
	}
	ms, _ := loadMigrations()
	_, err = db.ExecContext(t.Context(), `CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)`)
	for done := false; err == nil && !done; {
		done, err = migrateOne(t.Context(), db, ms[:8])
	}
	for _, q := range []string{
		`INSERT INTO users (id, username, name, email, password_hash, admin, disabled, created_at) VALUES
			('u-admin-set', 'ada', '', 'ada@example.org', 'x', 0, 0, 0),
			('u-upstream', 'bob', '', 'bob@example.org', '', 0, 0, 0),
			('u-none', 'cy', '', '', 'x', 0, 0, 0)`,
		`INSERT INTO identity_providers (name, display_name, issuer, client_id, client_secret, scopes, username_claim,
			groups_claim, groups_prefix, provision, link_verified_email, disabled, created_at)
			VALUES ('up', 'Up', 'https://up.example', 'c', 's', '[]', 'sub', '', '', 'auto', 1, 0, 0)`,
		`INSERT INTO user_identities (provider, subject, user_id, created_at, last_login_at) VALUES ('up', 's1', 'u-upstream', 0, 0)`,
	} {
		if err == nil {
			_, err = db.ExecContext(t.Context(), q)
		}
	}
	db.Close()
	if err != nil {
		t.Fatal(err)
	}
	s := openTest(t, path)
	defer s.Close()
	for id, want := range map[string]bool{"u-admin-set": true, "u-upstream": false, "u-none": false} {
		u, err := s.GetUser(t.Context(), id)
		if err != nil || u.EmailVerified != want {
			t.Errorf("user %s after migration 9: EmailVerified %t (err %v), want %t", id, u.EmailVerified, err, want)
		}
	}
}
