package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/hubauth/hubauth/internal/storage"

	sqlitedrv "modernc.org/sqlite"
	sqlitelib "modernc.org/sqlite/lib"
)

// wrap turns a database error into one that callers can branch on: missing
// rows and foreign keys to storage.ErrNotFound, unique keys to
// storage.ErrAlreadyExists, and a closed, locked or unreadable database to
// storage.ErrUnavailable. Context errors stay errors.Is-able. nil stays nil.
func (s *Store) wrap(op string, err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, sql.ErrNoRows):
		return notFound(op)
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return fmt.Errorf("sqlite: %s: %w", op, err)
	case s.closed.Load(), errors.Is(err, sql.ErrConnDone):
		return fmt.Errorf("sqlite: %s: %w: %v", op, storage.ErrUnavailable, err)
	}
	var se *sqlitedrv.Error
	if !errors.As(err, &se) {
		return fmt.Errorf("sqlite: %s: %v", op, err)
	}
	if sentinel := codeError(se.Code()); sentinel != nil {
		return fmt.Errorf("sqlite: %s: %w: %v", op, sentinel, err)
	}
	return fmt.Errorf("sqlite: %s: %v", op, err)
}

// codeError maps an (extended) SQLite result code to a storage sentinel, or
// nil when callers have nothing to branch on.
func codeError(code int) error {
	switch code {
	case sqlitelib.SQLITE_CONSTRAINT_UNIQUE, sqlitelib.SQLITE_CONSTRAINT_PRIMARYKEY:
		return storage.ErrAlreadyExists
	case sqlitelib.SQLITE_CONSTRAINT_FOREIGNKEY:
		return storage.ErrNotFound
	}
	switch code & 0xff { // primary result code
	case sqlitelib.SQLITE_BUSY, sqlitelib.SQLITE_LOCKED, sqlitelib.SQLITE_CANTOPEN,
		sqlitelib.SQLITE_IOERR, sqlitelib.SQLITE_NOTADB, sqlitelib.SQLITE_FULL,
		sqlitelib.SQLITE_READONLY:
		return storage.ErrUnavailable
	}
	return nil
}
