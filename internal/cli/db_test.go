package cli

import (
	"context"
	"crypto/rand"
	"errors"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/jackc/pgx/v5"

	"github.com/hubauth/hubauth/internal/storage"
)

func TestParseDB(t *testing.T) {
	tests := []struct {
		in      string
		want    DBSpec
		wantErr string
	}{
		{in: "sqlite:/var/lib/hubauth/hub.db", want: DBSpec{Driver: DriverSQLite, Path: "/var/lib/hubauth/hub.db"}},
		{in: "sqlite:hub.db", want: DBSpec{Driver: DriverSQLite, Path: "hub.db"}},
		{in: "sqlite:///abs/hub.db", want: DBSpec{Driver: DriverSQLite, Path: "/abs/hub.db"}},
		{in: "SQLite:hub.db", want: DBSpec{Driver: DriverSQLite, Path: "hub.db"}},
		{in: "/tmp/hub.db", want: DBSpec{Driver: DriverSQLite, Path: "/tmp/hub.db"}},
		{in: "hub.db", want: DBSpec{Driver: DriverSQLite, Path: "hub.db"}},
		{in: `C:\hubauth\hub.db`, want: DBSpec{Driver: DriverSQLite, Path: `C:\hubauth\hub.db`}},
		{in: "postgres://hub:pw@db.example.org/hub?sslmode=require", want: DBSpec{Driver: DriverPostgres, URL: "postgres://hub:pw@db.example.org/hub?sslmode=require"}},
		{in: "postgresql://db.example.org:5433/hub", want: DBSpec{Driver: DriverPostgres, URL: "postgresql://db.example.org:5433/hub"}},
		{in: "postgres:///hub?host=/run/postgresql", want: DBSpec{Driver: DriverPostgres, URL: "postgres:///hub?host=/run/postgresql"}},
		{in: "", wantErr: "empty database"},
		{in: "sqlite:", wantErr: "needs a file path"},
		{in: "postgres:///hub", wantErr: "names no host"},
		{in: "postgres://hub:p%zz@db/hub", wantErr: "invalid PostgreSQL URL"},
		{in: "mysql://db/hub", wantErr: `unsupported database "mysql"`},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseDB(tt.in)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("ParseDB(%q) = %+v, %v; want error containing %q", tt.in, got, err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("ParseDB(%q): %v", tt.in, err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("ParseDB(%q) mismatch (-want +got):\n%s", tt.in, diff)
			}
		})
	}
}

func TestDBSpecStringRedactsPassword(t *testing.T) {
	spec, err := ParseDB("postgres://hub:s3cret@db.example.org/hub")
	if err != nil {
		t.Fatal(err)
	}
	if s := spec.String(); strings.Contains(s, "s3cret") {
		t.Errorf("String() = %q, shows the password", s)
	}
}

func TestDataDir(t *testing.T) {
	home := func() (string, error) { return "/home/ada", nil }
	noHome := func() (string, error) { return "", errors.New("$HOME is not defined") }
	tests := []struct {
		name    string
		env     map[string]string
		goos    string
		home    func() (string, error)
		want    string
		wantErr string
	}{
		{name: "override", env: map[string]string{"HUBAUTH_DATA_DIR": "/srv/hub", "XDG_DATA_HOME": "/x"}, goos: "linux", home: noHome, want: "/srv/hub"},
		{name: "linux default", goos: "linux", home: home, want: "/home/ada/.local/share/hubauth"},
		{name: "linux XDG", env: map[string]string{"XDG_DATA_HOME": "/data"}, goos: "linux", home: home, want: "/data/hubauth"},
		{name: "relative XDG ignored", env: map[string]string{"XDG_DATA_HOME": "data"}, goos: "linux", home: home, want: "/home/ada/.local/share/hubauth"},
		{name: "macOS", goos: "darwin", home: home, want: filepath.Join("/home/ada", "Library", "Application Support", "hubauth")},
		{name: "windows", env: map[string]string{"LOCALAPPDATA": `C:\Users\ada\AppData\Local`}, goos: "windows", home: home, want: filepath.Join(`C:\Users\ada\AppData\Local`, "hubauth")},
		{name: "windows without LOCALAPPDATA", goos: "windows", home: home, wantErr: "set HUBAUTH_DATA_DIR"},
		{name: "no home", goos: "linux", home: noHome, wantErr: "set HUBAUTH_DATA_DIR"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := DataDir(func(k string) string { return tt.env[k] }, tt.goos, tt.home)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("DataDir() = %q, %v; want error containing %q", got, err, tt.wantErr)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Errorf("DataDir() = %q, %v; want %q", got, err, tt.want)
			}
		})
	}
}

func TestResolveDB(t *testing.T) {
	xdg := t.TempDir()
	tests := []struct {
		name, flag string
		env        map[string]string
		want       DBSpec
	}{
		{name: "flag wins", flag: "sqlite:/f.db", env: map[string]string{"HUBAUTH_DB": "/e.db"}, want: DBSpec{Driver: DriverSQLite, Path: "/f.db"}},
		{name: "env", env: map[string]string{"HUBAUTH_DB": "postgres://db/hub"}, want: DBSpec{Driver: DriverPostgres, URL: "postgres://db/hub"}},
		{name: "default", env: map[string]string{"XDG_DATA_HOME": xdg}, want: DBSpec{Driver: DriverSQLite, Path: filepath.Join(xdg, "hubauth", "hubauth.db")}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := NewFactory(Env{Getenv: func(k string) string { return tt.env[k] }, GOOS: "linux"})
			got, err := f.ResolveDB(tt.flag)
			if err != nil {
				t.Fatalf("ResolveDB(%q): %v", tt.flag, err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("ResolveDB(%q) mismatch (-want +got):\n%s", tt.flag, diff)
			}
		})
	}
}

func TestDefaultDataDirIsPrivate(t *testing.T) {
	h := newTestHub(t)
	h.mustRun("", "admin", "user", "list")
	fi, err := os.Stat(h.dir)
	if err != nil {
		t.Fatal(err)
	}
	if perm := fi.Mode().Perm(); perm != 0o700 {
		t.Errorf("data directory mode = %v, want 0700", perm)
	}
	if _, err := os.Stat(dbPath(h.dir)); err != nil {
		t.Errorf("default database: %v", err)
	}
}

func TestDBFlagAndEnv(t *testing.T) {
	h := newTestHub(t)
	flagDB := filepath.Join(t.TempDir(), "flag.db")
	h.mustRun("pw\n", "admin", "--db", "sqlite:"+flagDB, "user", "add", "ada", "--password-stdin")
	if _, err := os.Stat(flagDB); err != nil {
		t.Errorf("--db database: %v", err)
	}
	h.env["HUBAUTH_DB"] = flagDB
	if out := h.mustRun("", "admin", "user", "list"); !strings.Contains(out, "ada") {
		t.Errorf("user list with HUBAUTH_DB = %q, want ada", out)
	}
	h.env["HUBAUTH_DB"] = unreachablePostgres
	r := h.run("", "admin", "user", "list")
	wantFailure(t, r, ExitError, "database unavailable")
	if strings.Contains(r.stderr, "s3cret") {
		t.Errorf("stderr shows the database password: %q", r.stderr)
	}
}

// TestAdminRefusesSharedDatabase: admin commands refuse an SQLite database
// other users may read (it holds the signing keys), saying how to fix it.
func TestAdminRefusesSharedDatabase(t *testing.T) {
	h := newTestHub(t)
	db := filepath.Join(t.TempDir(), "hub.db")
	h.mustRun("", "admin", "--db", db, "user", "list")
	if fi, err := os.Stat(db); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("new database: %v, %v; want mode 0600", fi, err)
	}
	if err := os.Chmod(db, 0o644); err != nil {
		t.Fatal(err)
	}
	wantFailure(t, h.run("", "admin", "--db", db, "user", "list"), ExitError, "fix it with: chmod 600 "+db)
}

// unreachablePostgres is a PostgreSQL URL where nothing listens.
const unreachablePostgres = "postgres://hub:s3cret@127.0.0.1:1/hub?sslmode=disable&connect_timeout=5"

func TestOpenDBPostgresUnreachable(t *testing.T) {
	s, err := OpenDB(t.Context(), DBSpec{Driver: DriverPostgres, URL: unreachablePostgres})
	if err == nil {
		s.Close()
		t.Fatal("OpenDB(unreachable PostgreSQL) succeeded, want an error")
	}
	if !errors.Is(err, storage.ErrUnavailable) || strings.Contains(err.Error(), "s3cret") {
		t.Errorf("OpenDB(unreachable PostgreSQL) = %v, want ErrUnavailable without the password", err)
	}
}

// TestAdminOnPostgres runs admin commands against a fresh schema of the
// PostgreSQL in HUBAUTH_TEST_POSTGRES.
func TestAdminOnPostgres(t *testing.T) {
	dsn := os.Getenv("HUBAUTH_TEST_POSTGRES")
	if dsn == "" {
		t.Skip("HUBAUTH_TEST_POSTGRES not set: set it to a PostgreSQL URL, e.g. postgres://postgres@127.0.0.1:5432/test?sslmode=disable")
	}
	h := newTestHub(t)
	h.env["HUBAUTH_DB"] = postgresSchema(t, dsn)
	h.mustRun("pw\n", "admin", "user", "add", "ada", "--password-stdin")
	if out := h.mustRun("", "admin", "user", "list"); !strings.Contains(out, "ada") {
		t.Errorf("user list on PostgreSQL = %q, want ada", out)
	}
	if _, err := os.Stat(dbPath(h.dir)); err == nil {
		t.Errorf("admin on PostgreSQL created the SQLite file %s", dbPath(h.dir))
	}
}

// postgresSchema creates a schema in dsn's database, dropped when the test
// ends, and returns dsn with search_path set to it.
func postgresSchema(t *testing.T, dsn string) string {
	t.Helper()
	name := "hubauth_cli_test_" + strings.ToLower(rand.Text()[:12])
	conn, err := pgx.Connect(context.Background(), dsn)
	if err != nil {
		t.Fatalf("connect to HUBAUTH_TEST_POSTGRES: %v", err)
	}
	defer conn.Close(context.Background())
	if _, err := conn.Exec(context.Background(), `CREATE SCHEMA `+name); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		conn, err := pgx.Connect(context.Background(), dsn)
		if err != nil {
			t.Errorf("connect to drop schema %s: %v", name, err)
			return
		}
		defer conn.Close(context.Background())
		if _, err := conn.Exec(context.Background(), `DROP SCHEMA `+name+` CASCADE`); err != nil {
			t.Errorf("drop schema %s: %v", name, err)
		}
	})
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", name)
	u.RawQuery = q.Encode()
	return u.String()
}
