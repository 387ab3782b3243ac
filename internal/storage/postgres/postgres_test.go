package postgres

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/hubauth/hubauth/internal/storage"
	"github.com/hubauth/hubauth/internal/storage/storagetest"
)

// testDSN returns the PostgreSQL the tests use, from HUBAUTH_TEST_POSTGRES,
// or skips the test.
func testDSN(tb testing.TB) string {
	tb.Helper()
	dsn := os.Getenv("HUBAUTH_TEST_POSTGRES")
	if dsn == "" {
		tb.Skip("HUBAUTH_TEST_POSTGRES not set: set it to a PostgreSQL URL, e.g. postgres://postgres@127.0.0.1:5432/test?sslmode=disable")
	}
	return dsn
}

// freshSchema creates an empty schema in the test database, dropped when
// the test ends, and returns a DSN whose search_path selects it: each test
// sees only its own rows.
func freshSchema(tb testing.TB) string {
	tb.Helper()
	dsn := testDSN(tb)
	name := "hubauth_test_" + strings.ToLower(rand.Text()[:12])
	conn, err := pgx.Connect(context.Background(), dsn)
	if err != nil {
		tb.Fatalf("connect to HUBAUTH_TEST_POSTGRES: %v", err)
	}
	defer conn.Close(context.Background())
	if _, err := conn.Exec(context.Background(), `CREATE SCHEMA `+name); err != nil {
		tb.Fatalf("create schema: %v", err)
	}
	tb.Cleanup(func() {
		conn, err := pgx.Connect(context.Background(), dsn)
		if err != nil {
			tb.Errorf("connect to drop schema %s: %v", name, err)
			return
		}
		defer conn.Close(context.Background())
		if _, err := conn.Exec(context.Background(), `DROP SCHEMA `+name+` CASCADE`); err != nil {
			tb.Errorf("drop schema %s: %v", name, err)
		}
	})
	return withParam(tb, dsn, "search_path", name)
}

// withParam sets a query parameter of a postgres:// URL.
func withParam(tb testing.TB, dsn, key, value string) string {
	tb.Helper()
	u, err := url.Parse(dsn)
	if err != nil {
		tb.Fatalf("HUBAUTH_TEST_POSTGRES must be a postgres:// URL: %v", err)
	}
	q := u.Query()
	q.Set(key, value)
	u.RawQuery = q.Encode()
	return u.String()
}

// openTest opens a Store on dsn; the caller closes it.
func openTest(tb testing.TB, dsn string) *Store {
	tb.Helper()
	s, err := Open(context.Background(), dsn)
	if err != nil {
		tb.Fatalf("Open: %v", err)
	}
	return s
}

func TestConformance(t *testing.T) {
	testDSN(t)
	storagetest.Run(t, func(t *testing.T) storage.Storage {
		return openTest(t, freshSchema(t))
	})
}

var base = time.Date(2025, 6, 2, 9, 30, 0, 0, time.UTC)

func TestZeroTimeAndEmptyListsStored(t *testing.T) {
	s := openTest(t, freshSchema(t))
	defer s.Close()
	if err := s.CreateClient(t.Context(), storage.Client{ID: "c-1"}); err != nil {
		t.Fatal(err)
	}
	var n int64
	var uris []string
	err := s.pool.QueryRow(t.Context(), `SELECT created_at, redirect_uris FROM clients`).Scan(&n, &uris)
	if err != nil || n != 0 || uris == nil || len(uris) != 0 {
		t.Errorf("created_at, redirect_uris = %d, %#v (err %v); want 0, an empty array", n, uris, err)
	}
	c, err := s.GetClient(t.Context(), "c-1")
	if err != nil || !c.CreatedAt.IsZero() || c.RedirectURIs != nil {
		t.Errorf("GetClient: CreatedAt %v, RedirectURIs %#v (err %v); want the zero time and nil", c.CreatedAt, c.RedirectURIs, err)
	}
}

func TestClosedIsUnavailable(t *testing.T) {
	s := openTest(t, freshSchema(t))
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

// TestOpenUnreachable needs no database: nothing listens on port 1.
func TestOpenUnreachable(t *testing.T) {
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	s, err := Open(ctx, "postgres://hub@127.0.0.1:1/hub?sslmode=disable&connect_timeout=5")
	if err == nil {
		s.Close()
		t.Fatal("Open(nothing listening) succeeded, want an error")
	}
	if !errors.Is(err, storage.ErrUnavailable) {
		t.Errorf("Open(nothing listening) = %v, want ErrUnavailable", err)
	}
}

func TestOpenBadDSN(t *testing.T) {
	_, err := Open(t.Context(), "postgres://hub@db/hub?sslmode=bogus")
	if err == nil || !strings.HasPrefix(err.Error(), "postgres: ") {
		t.Errorf("Open(bad DSN) = %v, want an error prefixed postgres: ", err)
	}
}

// TestAdminShutdownIsUnavailable terminates the store's connections from
// another session, as a PostgreSQL restart does: the next call fails with
// ErrUnavailable (57P01 or a broken connection), and the pool recovers.
func TestAdminShutdownIsUnavailable(t *testing.T) {
	dsn := freshSchema(t)
	s := openTest(t, withParam(t, dsn, "application_name", "hubauth-shutdown-test"))
	defer s.Close()
	if err := s.Ping(t.Context()); err != nil {
		t.Fatal(err)
	}
	admin := openTest(t, dsn)
	defer admin.Close()
	_, err := admin.pool.Exec(t.Context(), `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
		WHERE application_name = 'hubauth-shutdown-test' AND pid <> pg_backend_pid()`)
	if err != nil {
		t.Fatal(err)
	}
	err = s.Ping(t.Context())
	if err != nil && !errors.Is(err, storage.ErrUnavailable) {
		t.Errorf("Ping on a terminated connection = %v, want ErrUnavailable", err)
	}
	if err := s.Ping(t.Context()); err != nil {
		t.Errorf("Ping after reconnecting = %v, want nil", err)
	}
}

func TestErrorMapping(t *testing.T) {
	s := &Store{}
	for _, tc := range []struct {
		err  error
		want error
	}{
		{pgx.ErrNoRows, storage.ErrNotFound},
		{fmt.Errorf("x: %w", &pgconn.PgError{Code: "23505"}), storage.ErrAlreadyExists},
		{&pgconn.PgError{Code: "23503"}, storage.ErrNotFound},
		{&pgconn.PgError{Code: "57P01"}, storage.ErrUnavailable},
		{&pgconn.PgError{Code: "08006"}, storage.ErrUnavailable},
		{&pgconn.PgError{Code: "40P01"}, storage.ErrUnavailable}, // deadlock_detected
		{&pgconn.PgError{Code: "40001"}, storage.ErrUnavailable}, // serialization_failure
		{&pgconn.PgError{Code: "55P03"}, storage.ErrUnavailable}, // lock_not_available
		{&pgconn.PgError{Code: "57014"}, storage.ErrUnavailable}, // query_canceled: statement_timeout
		{context.Canceled, context.Canceled},
	} {
		if got := s.wrap("op", tc.err); !errors.Is(got, tc.want) || !strings.HasPrefix(got.Error(), "postgres: op: ") {
			t.Errorf("wrap(%v) = %v, want errors.Is %v", tc.err, got, tc.want)
		}
	}
	if got := s.wrap("op", &pgconn.PgError{Code: "22001"}); errors.Is(got, storage.ErrUnavailable) ||
		errors.Is(got, storage.ErrNotFound) || errors.Is(got, storage.ErrAlreadyExists) {
		t.Errorf("wrap(string too long) = %v, want no sentinel", got)
	}
}
