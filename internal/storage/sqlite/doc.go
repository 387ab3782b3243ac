// Package sqlite stores hubauth's data in one SQLite file through the pure-Go
// driver modernc.org/sqlite, so the server builds statically without cgo.
//
// Open applies the embedded, numbered migrations in migrations/ (one
// transaction each, recorded in schema_migrations) and returns a Store that
// implements storage.Storage.
//
// The database runs in WAL mode. A Store holds two connection pools on the
// same file: a single writer connection, which serializes every write and
// starts its transactions with BEGIN IMMEDIATE, and a read-only pool for plain
// reads, which WAL lets run beside the writer. Several Stores (the server and
// an admin command, say) may open the same file; SQLite's busy timeout queues
// their writers.
//
// Times are stored as INTEGER Unix nanoseconds in UTC, with 0 for the zero
// time; string lists are stored as JSON arrays.
package sqlite
