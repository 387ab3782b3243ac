// Package postgres stores hubauth's data in PostgreSQL through pgx/v5, so
// that several hubauth servers can share one database.
//
// Open applies the embedded, numbered migrations in migrations/ (one
// transaction each, recorded in schema_migrations) under a session-level
// advisory lock, so servers starting at the same moment apply each migration
// once, and returns a Store that implements storage.Storage over a pgxpool
// connection pool.
//
// Read-modify-write methods (UpdateUser and the other update callbacks,
// RotateRefreshToken) run in one READ COMMITTED transaction that first
// locks the rows they change with SELECT … FOR UPDATE, so concurrent callers
// on any server queue on the row rather than overwrite each other.
//
// Times are stored as bigint Unix nanoseconds in UTC, with 0 for the zero
// time, exactly as the SQLite backend stores them; string lists are text[]
// columns. The tables live in the connection's current schema: the URL's
// search_path parameter chooses it.
package postgres
