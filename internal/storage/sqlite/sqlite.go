package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"runtime"
	"sync/atomic"

	"github.com/hubauth/hubauth/internal/storage"

	_ "modernc.org/sqlite" // registers the "sqlite" database/sql driver
)

// busyTimeoutMS is how long a connection waits for another connection's
// write lock (another Store on the same file) before it gives up.
const busyTimeoutMS = 5000

// Store is a storage.Storage kept in one SQLite file. It is safe for
// concurrent use.
type Store struct {
	w      *sql.DB // one connection: every write and write transaction
	r      *sql.DB // read-only pool for plain reads
	wq, rq *stmtCache
	// gate admits one writer at a time, first come first served: the
	// writer pool hands its one connection to a random waiter, which under
	// load stretches the tail latency of the unlucky ones.
	gate   chan struct{}
	group  group // rotations waiting for a group commit
	cp     *checkpointer
	closed atomic.Bool
}

var _ storage.Storage = (*Store)(nil)

// Open opens (creating if needed) the SQLite database file at path and
// brings its schema up to date. The caller must Close the Store. path must
// name a file: ":memory:" would give the writer and the readers two
// different databases. A new database is created private to its owner
// (0600, its -wal and -shm too); an existing one that other users may read
// or write is refused with ErrInsecureFile (see preparePrivate).
func Open(ctx context.Context, path string) (*Store, error) {
	if err := preparePrivate(path); err != nil {
		return nil, err
	}
	w, err := sql.Open("sqlite", dsn(path, false))
	if err != nil {
		return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
	}
	w.SetMaxOpenConns(1)
	w.SetMaxIdleConns(1)
	w.SetConnMaxLifetime(0)
	s := &Store{w: w, wq: &stmtCache{db: w}, gate: make(chan struct{}, 1)}
	if err := migrateWhenFree(ctx, w); err != nil {
		w.Close()
		return nil, s.wrap("open "+path, err)
	}
	r, err := sql.Open("sqlite", dsn(path, true))
	if err != nil {
		w.Close()
		return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
	}
	n := readers()
	r.SetMaxOpenConns(n)
	r.SetMaxIdleConns(n)
	r.SetConnMaxLifetime(0)
	s.r, s.rq = r, &stmtCache{db: r}
	if s.cp, err = startCheckpointer(path, s.enter); err != nil {
		r.Close()
		w.Close()
		return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
	}
	return s, nil
}

// readers is the size of the read pool: two connections per CPU, from 2 to 8.
func readers() int {
	return min(max(2*runtime.GOMAXPROCS(0), 2), 8)
}

// dsn builds the modernc.org/sqlite data source name. The pragmas are applied
// to every connection the pool opens; the writer begins its transactions
// with BEGIN IMMEDIATE so that a transaction that reads before it writes
// never fails to upgrade its lock against another Store's writer.
func dsn(path string, readOnly bool) string {
	q := url.Values{}
	q.Add("_pragma", fmt.Sprintf("busy_timeout(%d)", busyTimeoutMS))
	q.Add("_pragma", "foreign_keys(1)")
	q.Add("_pragma", "synchronous(NORMAL)")
	if readOnly {
		q.Add("_pragma", "query_only(1)")
	} else {
		q.Add("_pragma", "journal_mode(WAL)")
		// No automatic checkpoints: the checkpointer does them in the
		// background, and restarts the log past restartFrames (192 MiB);
		// the WAL file is cut back to 256 MiB after a checkpoint.
		q.Add("_pragma", "wal_autocheckpoint(0)")
		q.Add("_pragma", "journal_size_limit(268435456)")
		// A 32 MiB page cache (SQLite's default is 2 MiB) keeps the
		// B-trees' upper levels and recent leaves between the log's
		// restarts, which empty it (see checkpointEvery).
		q.Add("_pragma", "cache_size(-32768)")
		q.Set("_txlock", "immediate")
	}
	u := url.URL{Scheme: "file", Opaque: (&url.URL{Path: path}).EscapedPath(), RawQuery: q.Encode()}
	return u.String()
}

// Ping reports whether the database can be read.
func (s *Store) Ping(ctx context.Context) error {
	var n int
	err := s.rq.QueryRowContext(ctx, `SELECT count(*) FROM schema_migrations`).Scan(&n)
	return s.wrap("ping", err)
}

// Close closes both connection pools. Calls after the first do nothing.
func (s *Store) Close() error {
	if s.closed.Swap(true) {
		return nil
	}
	s.rq.close()
	s.wq.close()
	// The checkpointer's handle on the database file goes last: closing a
	// file drops every POSIX lock this process holds on it, and the
	// connections' locks must last as long as the connections.
	return errors.Join(s.cp.close(), s.r.Close(), s.w.Close(), s.cp.closeFile())
}

// querier is what *sql.DB and *sql.Tx have in common.
type querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// write runs fn in one write transaction and commits it unless fn fails.
// fn's error is returned unchanged, so fn wraps the database errors it meets
// and passes an update callback's error through as it is. The transaction
// is rolled back even if fn panics, so that the one writer connection is
// never left inside a transaction.
func (s *Store) write(ctx context.Context, op string, fn func(tx querier) error) error {
	release, err := s.enter(ctx)
	if err != nil {
		return s.wrap(op, err)
	}
	defer release()
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return s.wrap(op, err)
	}
	var misses []string
	defer func() { s.wq.prepareMisses(ctx, misses) }() // runs after the rollback below
	defer tx.Rollback()                                // after Commit: sql.ErrTxDone, ignored
	if err := fn(cachedTx{tx: tx, cache: s.wq, misses: &misses}); err != nil {
		return err
	}
	return s.wrap(op, tx.Commit())
}

// enter waits for the writer's turn (FIFO: blocked channel senders are
// served in order) and returns the function that ends it.
func (s *Store) enter(ctx context.Context) (func(), error) {
	select {
	case s.gate <- struct{}{}:
		return func() { <-s.gate }, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// exec runs one statement on the writer and returns the number of rows it
// changed.
func (s *Store) exec(ctx context.Context, op, query string, args ...any) (int64, error) {
	release, err := s.enter(ctx)
	if err != nil {
		return 0, s.wrap(op, err)
	}
	defer release()
	res, err := s.wq.ExecContext(ctx, query, args...)
	if err != nil {
		return 0, s.wrap(op, err)
	}
	n, err := res.RowsAffected()
	return n, s.wrap(op, err)
}

// execOne is exec for statements that must change a row: none is ErrNotFound.
func (s *Store) execOne(ctx context.Context, op, query string, args ...any) error {
	n, err := s.exec(ctx, op, query, args...)
	if err == nil && n == 0 {
		err = notFound(op)
	}
	return err
}

// execOneIn runs in tx a statement that must change a row: none is
// ErrNotFound.
func (s *Store) execOneIn(ctx context.Context, tx querier, op, query string, args ...any) error {
	res, err := tx.ExecContext(ctx, query, args...)
	if err != nil {
		return s.wrap(op, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return s.wrap(op, err)
	}
	if n == 0 {
		return notFound(op)
	}
	return nil
}

func notFound(op string) error {
	return fmt.Errorf("sqlite: %s: %w", op, storage.ErrNotFound)
}
