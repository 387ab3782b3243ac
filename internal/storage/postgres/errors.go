package postgres

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/hubauth/hubauth/internal/storage"
)

// wrap turns a database error into one that callers can branch on: missing
// rows and foreign keys to storage.ErrNotFound, unique keys to
// storage.ErrAlreadyExists, and a closed store, a failed connection or a
// server shutting down to storage.ErrUnavailable. Context errors stay
// errors.Is-able. nil stays nil.
func (s *Store) wrap(op string, err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, pgx.ErrNoRows):
		return notFound(op)
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return fmt.Errorf("postgres: %s: %w", op, err)
	case s.closed.Load():
		return fmt.Errorf("postgres: %s: %w: %v", op, storage.ErrUnavailable, err)
	}
	if sentinel := sentinelOf(err); sentinel != nil {
		return fmt.Errorf("postgres: %s: %w: %w", op, sentinel, err) // err too: writeRetried looks for its code
	}
	return fmt.Errorf("postgres: %s: %v", op, err)
}

// sentinelOf maps a pgx error to a storage sentinel, or nil when callers
// have nothing to branch on.
func sentinelOf(err error) error {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return codeError(pe.Code)
	}
	var ce *pgconn.ConnectError
	var ne net.Error
	switch {
	case errors.As(err, &ce), errors.As(err, &ne),
		errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, net.ErrClosed):
		return storage.ErrUnavailable
	case pgconn.SafeToRetry(err):
		// Failed before anything reached the server: a connection that
		// is closed, broken or busy.
		return storage.ErrUnavailable
	}
	return nil
}

// codeError maps a SQLSTATE to a storage sentinel, or nil.
func codeError(code string) error {
	switch {
	case code == "23505": // unique_violation
		return storage.ErrAlreadyExists
	case code == "23503": // foreign_key_violation: a missing group or user
		return storage.ErrNotFound
	case code == "22021": // character_not_in_repertoire: text that is not UTF-8 (or holds NUL)
		// No row can hold such text, so a lookup by it finds nothing, as
		// on SQLite; text a caller stores is checked before it gets here.
		return storage.ErrNotFound
	case strings.HasPrefix(code, "08"), // connection exception
		code == "57P01", code == "57P02", code == "57P03", // admin/crash shutdown, cannot connect now
		code == "53300", // too many connections
		// The server ended the transaction, and the same work may succeed
		// when tried again: a deadlock or serialization failure, a lock or
		// statement timeout set on the role.
		code == "40P01", code == "40001", code == "55P03", code == "57014":
		return storage.ErrUnavailable
	}
	return nil
}
