package main

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"time"

	"github.com/hubauth/hubauth/internal/storage/sqlite"
)

// seedBatch is how many rows one transaction of the seed inserts.
const seedBatch = 50_000

// seedOptions are the flags of load seed.
type seedOptions struct {
	DB                            string
	Users, Sessions, PersonalToks int
}

// runSeed fills a hubauth SQLite database with users, live login sessions
// (each with its current refresh token) and live personal tokens, to
// measure the hot paths on a large database. The schema is brought up to
// date through the storage layer (sqlite.Open); the rows are inserted in
// big transactions of prepared statements, as the storage layer writes
// them, with secrets nobody knows (their hashes are of "seed-…" strings).
func runSeed(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	var o seedOptions
	fs := flag.NewFlagSet("load seed", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&o.DB, "db", "", "required: the hub's SQLite database file (created if missing)")
	fs.IntVar(&o.Users, "users", 100_000, "users to add")
	fs.IntVar(&o.Sessions, "sessions", 1_000_000, "live login sessions to add, each with its refresh token, spread over the users")
	fs.IntVar(&o.PersonalToks, "personal-tokens", 1_000_000, "live personal tokens to add, spread over the users")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		return exitUsage
	}
	if o.DB == "" || o.Users < 1 || o.Sessions < 0 || o.PersonalToks < 0 {
		fmt.Fprintln(stderr, "load seed: needs --db, --users ≥ 1, --sessions and --personal-tokens ≥ 0")
		return exitUsage
	}
	start := time.Now()
	if err := seed(ctx, o); err != nil {
		fmt.Fprintf(stderr, "load seed: %v\n", err)
		return exitError
	}
	fmt.Fprintf(stdout, "seeded %d users, %d sessions with their refresh tokens, %d personal tokens in %s\n",
		o.Users, o.Sessions, o.PersonalToks, time.Since(start).Round(time.Millisecond))
	return exitOK
}

func seed(ctx context.Context, o seedOptions) error {
	s, err := sqlite.Open(ctx, o.DB) // creates the file and its schema
	if err != nil {
		return err
	}
	if err := s.Close(); err != nil {
		return err
	}
	db, err := sql.Open("sqlite", "file:"+o.DB+"?_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)&_pragma=busy_timeout(5000)")
	if err != nil {
		return err
	}
	defer db.Close()
	now := time.Now().UnixNano()
	month := int64(30 * 24 * time.Hour)
	tables := []struct {
		n      int
		insert string
		row    func(i int) []any
	}{
		{o.Users, `INSERT INTO users (id, username, name, email, password_hash, admin, disabled, created_at) VALUES (?, ?, ?, '', '!', 0, 0, ?)`,
			func(i int) []any {
				return []any{fmt.Sprint("seed-u-", i), fmt.Sprint("seed", i), fmt.Sprint("Seed User ", i), now}
			}},
		{o.Sessions, `INSERT INTO sessions (id, user_id, client_id, method, name, address, browser_session_id, scopes, auth_time, amr, created_at, last_used_at, expires_at, revoked_at)
			VALUES (?, ?, 'hubauth-cli', 'password', '', '127.0.0.1', '', '["openid","offline_access"]', ?, '["pwd"]', ?, ?, ?, 0)`,
			func(i int) []any {
				return []any{fmt.Sprint("seed-s-", i), fmt.Sprint("seed-u-", i%o.Users), now, now, now, now + month}
			}},
		{o.Sessions, `INSERT INTO refresh_tokens (hash, session_id, created_at, expires_at, rotated_at) VALUES (?, ?, ?, ?, 0)`,
			func(i int) []any { return []any{seedHash("seed-rt-", i), fmt.Sprint("seed-s-", i), now, now + month} }},
		{o.PersonalToks, `INSERT INTO personal_tokens (id, user_id, name, description, hash, scopes, created_at, expires_at, last_used_at, revoked_at)
			VALUES (?, ?, ?, '', ?, '[]', ?, ?, 0, 0)`,
			func(i int) []any {
				return []any{fmt.Sprint("seed-p-", i), fmt.Sprint("seed-u-", i%o.Users), fmt.Sprint("seed-", i), seedHash("seed-pat-", i), now, now + month}
			}},
	}
	for _, t := range tables {
		if err := insertRows(ctx, db, t.n, t.insert, t.row); err != nil {
			return err
		}
	}
	_, err = db.ExecContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`)
	return err
}

// insertRows inserts n rows, seedBatch to a transaction.
func insertRows(ctx context.Context, db *sql.DB, n int, insert string, row func(int) []any) error {
	for from := 0; from < n; from += seedBatch {
		tx, err := db.BeginTx(ctx, nil)
		if err != nil {
			return err
		}
		st, err := tx.PrepareContext(ctx, insert)
		if err != nil {
			tx.Rollback()
			return err
		}
		for i := from; i < min(from+seedBatch, n); i++ {
			if _, err := st.ExecContext(ctx, row(i)...); err != nil {
				tx.Rollback()
				return err
			}
		}
		if err := tx.Commit(); err != nil {
			return err
		}
	}
	return nil
}

// seedHash is the stored hash of a seeded secret: SHA-256 hex, as
// internal/secret stores every token.
func seedHash(prefix string, i int) string {
	sum := sha256.Sum256(fmt.Append(nil, prefix, i))
	return hex.EncodeToString(sum[:])
}
