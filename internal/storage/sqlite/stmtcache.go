package sqlite

import (
	"context"
	"database/sql"
	"sync"
)

// stmtCache prepares each distinct query once per pool and reuses it:
// parsing and planning SQL is a third of a small statement's cost in the
// pure-Go driver, and the hub runs the same few statements all the time.
// The set of queries is fixed by the code, so the cache stays small.
type stmtCache struct {
	db    *sql.DB
	stmts sync.Map // query string → *sql.Stmt
}

func (c *stmtCache) stmt(ctx context.Context, query string) (*sql.Stmt, error) {
	if st, ok := c.stmts.Load(query); ok {
		return st.(*sql.Stmt), nil
	}
	st, err := c.db.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	if prev, loaded := c.stmts.LoadOrStore(query, st); loaded {
		st.Close()
		return prev.(*sql.Stmt), nil
	}
	return st, nil
}

// close closes every prepared statement.
func (c *stmtCache) close() {
	c.stmts.Range(func(_, st any) bool {
		st.(*sql.Stmt).Close()
		return true
	})
}

// ExecContext runs query as a cached prepared statement.
func (c *stmtCache) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	st, err := c.stmt(ctx, query)
	if err != nil {
		return nil, err
	}
	return st.ExecContext(ctx, args...)
}

// QueryContext runs query as a cached prepared statement.
func (c *stmtCache) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	st, err := c.stmt(ctx, query)
	if err != nil {
		return nil, err
	}
	return st.QueryContext(ctx, args...)
}

// QueryRowContext runs query as a cached prepared statement. A failure to
// prepare surfaces from Scan, as with *sql.DB.
func (c *stmtCache) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	st, err := c.stmt(ctx, query)
	if err != nil {
		return c.db.QueryRowContext(ctx, query, args...)
	}
	return st.QueryRowContext(ctx, args...)
}

// cachedTx runs a transaction's statements through the writer's cache. A
// query not yet prepared runs unprepared and is noted in misses, to be
// prepared once the transaction has ended: preparing on the writer pool
// inside a transaction would wait for the one connection the transaction
// holds.
type cachedTx struct {
	tx     *sql.Tx
	cache  *stmtCache
	misses *[]string
}

// prepared returns the transaction's copy of the cached statement for query,
// or nil after noting a miss.
func (t cachedTx) prepared(ctx context.Context, query string) *sql.Stmt {
	st, ok := t.cache.stmts.Load(query)
	if !ok {
		*t.misses = append(*t.misses, query)
		return nil
	}
	return t.tx.StmtContext(ctx, st.(*sql.Stmt))
}

func (t cachedTx) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	if st := t.prepared(ctx, query); st != nil {
		return st.ExecContext(ctx, args...)
	}
	return t.tx.ExecContext(ctx, query, args...)
}

func (t cachedTx) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	if st := t.prepared(ctx, query); st != nil {
		return st.QueryContext(ctx, args...)
	}
	return t.tx.QueryContext(ctx, query, args...)
}

func (t cachedTx) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	if st := t.prepared(ctx, query); st != nil {
		return st.QueryRowContext(ctx, args...)
	}
	return t.tx.QueryRowContext(ctx, query, args...)
}

// prepareMisses prepares the queries a transaction ran unprepared.
func (c *stmtCache) prepareMisses(ctx context.Context, misses []string) {
	for _, q := range misses {
		c.stmt(ctx, q) // a failure only means the next run is unprepared again
	}
}
