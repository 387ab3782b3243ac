package cli

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"

	"github.com/hubauth/hubauth/internal/storage"
	"github.com/hubauth/hubauth/internal/storage/postgres"
	"github.com/hubauth/hubauth/internal/storage/sqlite"
)

// Database drivers a DBSpec names.
const (
	DriverSQLite   = "sqlite"
	DriverPostgres = "postgres"
)

// DBSpec says which database to use: an SQLite file or a PostgreSQL URL.
type DBSpec struct {
	Driver string // DriverSQLite or DriverPostgres
	Path   string // SQLite: the database file
	URL    string // PostgreSQL: the connection URL, as given
}

// String returns the spec for messages and logs, with any PostgreSQL
// password redacted.
func (s DBSpec) String() string {
	if s.Driver != DriverPostgres {
		return "sqlite:" + s.Path
	}
	if u, err := url.Parse(s.URL); err == nil {
		return u.Redacted()
	}
	return "postgres://…"
}

// ParseDB parses a --db value or HUBAUTH_DB: "sqlite:PATH" (also
// "sqlite://PATH"), "postgres://…" or "postgresql://…", or a plain path to
// an SQLite file.
func ParseDB(s string) (DBSpec, error) {
	lower := strings.ToLower(s)
	switch {
	case s == "":
		return DBSpec{}, errors.New("empty database: use sqlite:PATH, a file path, or postgres://…")
	case strings.HasPrefix(lower, "postgres://"), strings.HasPrefix(lower, "postgresql://"):
		u, err := url.Parse(s)
		if err != nil {
			return DBSpec{}, errors.New("invalid PostgreSQL URL (check its escaping)")
		}
		if u.Host == "" && u.Query().Get("host") == "" {
			return DBSpec{}, fmt.Errorf("PostgreSQL URL %q names no host", u.Redacted())
		}
		return DBSpec{Driver: DriverPostgres, URL: s}, nil
	case strings.HasPrefix(lower, "sqlite:"):
		path := strings.TrimPrefix(s[len("sqlite:"):], "//")
		if path == "" {
			return DBSpec{}, errors.New("sqlite: needs a file path, e.g. sqlite:/var/lib/hubauth/hubauth.db")
		}
		return DBSpec{Driver: DriverSQLite, Path: path}, nil
	case strings.Contains(s, "://"):
		scheme, _, _ := strings.Cut(s, "://")
		return DBSpec{}, fmt.Errorf("unsupported database %q: use sqlite:PATH, a file path, or postgres://…", scheme)
	}
	return DBSpec{Driver: DriverSQLite, Path: s}, nil
}

// resolveDB chooses the database: dbFlag, else HUBAUTH_DB, else hubauth.db
// in the data directory.
func resolveDB(dbFlag string, getenv func(string) string, dataDir func() (string, error)) (DBSpec, error) {
	if dbFlag != "" {
		spec, err := ParseDB(dbFlag)
		if err != nil {
			return DBSpec{}, fmt.Errorf("--db: %w", err)
		}
		return spec, nil
	}
	if v := getenv("HUBAUTH_DB"); v != "" {
		spec, err := ParseDB(v)
		if err != nil {
			return DBSpec{}, fmt.Errorf("HUBAUTH_DB: %w", err)
		}
		return spec, nil
	}
	dir, err := dataDir()
	if err != nil {
		return DBSpec{}, err
	}
	return DBSpec{Driver: DriverSQLite, Path: dbPath(dir)}, nil
}

// OpenDB opens the database spec names, running its migrations. The caller
// closes it. Several processes (a server and admin commands) may open the
// same SQLite file or PostgreSQL database at once. A database that cannot
// be reached gives an error wrapping storage.ErrUnavailable.
func OpenDB(ctx context.Context, spec DBSpec) (storage.Storage, error) {
	switch spec.Driver {
	case DriverSQLite:
		s, err := sqlite.Open(ctx, spec.Path)
		if err != nil {
			return nil, err // not a nil *sqlite.Store in a non-nil interface
		}
		return s, nil
	case DriverPostgres:
		s, err := postgres.Open(ctx, spec.URL)
		if err != nil {
			return nil, err // not a nil *postgres.Store in a non-nil interface
		}
		return s, nil
	}
	return nil, fmt.Errorf("unknown database driver %q", spec.Driver)
}
