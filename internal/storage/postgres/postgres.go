package postgres

import (
	"context"
	"fmt"
	"strings"
	"sync/atomic"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/hubauth/hubauth/internal/storage"
)

// Store is a storage.Storage kept in a PostgreSQL database. It is safe for
// concurrent use, also by several processes on the same database.
type Store struct {
	pool      *pgxpool.Pool
	closed    atomic.Bool
	rotations *rotationQueue
}

var _ storage.Storage = (*Store)(nil)

// defaultMaxConns is the pool size unless the connection string sets
// pool_max_conns. pgx's own default (4 on two cores) lets only 4
// transactions wait for their commit at once: PostgreSQL writes the WAL of
// all the commits waiting together with one flush, so a pool as large as
// the requests a node serves at once shares each flush among more of them.
const defaultMaxConns = 32

// Open connects to the PostgreSQL database that dsn names (a postgres://
// URL or a keyword/value string, as pgx reads them: pool_max_conns and the
// other pgxpool parameters included) and brings its schema up to date. The
// caller must Close the Store. The tables are created in the connection's
// current schema; set search_path in dsn to use another. A database that
// cannot be reached gives an error wrapping storage.ErrUnavailable.
func Open(ctx context.Context, dsn string) (*Store, error) {
	cfg, err := pgxpool.ParseConfig(dsn)
	if err != nil {
		return nil, fmt.Errorf("postgres: open: invalid connection string: %w", err)
	}
	if !strings.Contains(dsn, "pool_max_conns") {
		cfg.MaxConns = defaultMaxConns
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("postgres: open: %w", err)
	}
	s := &Store{pool: pool, rotations: newRotationQueue()}
	if err := migrate(ctx, pool); err != nil {
		pool.Close()
		return nil, s.wrap("open", err)
	}
	return s, nil
}

// Ping reports whether the database answers and holds hubauth's schema.
func (s *Store) Ping(ctx context.Context) error {
	var n int
	err := s.pool.QueryRow(ctx, `SELECT count(*) FROM schema_migrations`).Scan(&n)
	return s.wrap("ping", err)
}

// Close closes the connection pool, waiting for connections in use to be
// returned. Calls after the first do nothing.
func (s *Store) Close() error {
	if !s.closed.Swap(true) {
		s.pool.Close()
	}
	return nil
}

// querier is what *pgxpool.Pool and pgx.Tx have in common.
type querier interface {
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

// write runs fn in one transaction and commits it unless fn fails. fn's
// error is returned unchanged, so fn wraps the database errors it meets and
// passes an update callback's error through as it is. The transaction is
// rolled back even if fn panics, so its connection goes back to the pool
// clean.
func (s *Store) write(ctx context.Context, op string, fn func(tx pgx.Tx) error) error {
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return s.wrap(op, err)
	}
	defer tx.Rollback(ctx) // after Commit: pgx.ErrTxClosed, ignored
	if err := fn(tx); err != nil {
		return err
	}
	return s.wrap(op, tx.Commit(ctx))
}

// writeRetried is write for the transactions that revoke several
// sessions: run again, up to maxAttempts times in all, when
// PostgreSQL ends one for a deadlock or a serialization failure. They lock
// their sessions in the order a rotation group does (lockSessionTrees),
// but a group that detects a reused token revokes what was exchanged from
// it in another order, and a session exchanged after the lock was taken is
// locked by the UPDATE that finds it. fn must leave nothing of a failed
// run in what it captures.
func (s *Store) writeRetried(ctx context.Context, op string, fn func(tx pgx.Tx) error) error {
	for attempt := 1; ; attempt++ {
		err := s.write(ctx, op, fn)
		if attempt >= maxAttempts || !retryable(err) {
			return err
		}
	}
}

// exec runs one statement and returns the number of rows it changed.
func (s *Store) exec(ctx context.Context, op, query string, args ...any) (int64, error) {
	tag, err := s.pool.Exec(ctx, query, args...)
	if err != nil {
		return 0, s.wrap(op, err)
	}
	return tag.RowsAffected(), nil
}

// execOne is exec for statements that must change a row: none is ErrNotFound.
func (s *Store) execOne(ctx context.Context, op, query string, args ...any) error {
	n, err := s.exec(ctx, op, query, args...)
	if err == nil && n == 0 {
		err = notFound(op)
	}
	return err
}

func notFound(op string) error {
	return fmt.Errorf("postgres: %s: %w", op, storage.ErrNotFound)
}
