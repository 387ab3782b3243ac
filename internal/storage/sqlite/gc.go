package sqlite

import (
	"context"
	"time"

	"github.com/hubauth/hubauth/internal/storage"
)

// gcBatch is how many rows one garbage collection statement deletes, so that
// the writer is never held for long.
const gcBatch = 1000

// gcStep deletes from table the rows whose key the query sel selects.
type gcStep struct {
	count *int64
	table string
	key   string // primary key column, or columns as a row value
	sel   string // selects keys of dead rows
	args  []any
}

// tokenKey is refresh_tokens' primary key.
const tokenKey = "(session_id, hash)"

// deadSession is the condition on a session s that GarbageCollect deletes at
// now (first parameter) with a day ago (second parameter).
const deadSession = `s.expires_at <= ? OR (s.revoked_at <> 0 AND s.revoked_at < ?)`

// GarbageCollect deletes what expired at or before now: auth requests,
// device authorizations, browser sessions, sessions (expired, or revoked
// more than a day before now) with their refresh tokens, expired refresh
// tokens, personal tokens (expired, or revoked more than a day before now),
// revoked access token ids and upstream logins, and expired entries of
// legacy_refresh_tokens. It deletes in batches of gcBatch rows, each its
// own transaction, so that writers never wait long; on error it returns
// what it counted so far.
func (s *Store) GarbageCollect(ctx context.Context, now time.Time) (storage.GCResult, error) {
	var r storage.GCResult
	n, dayAgo := nanos(now), nanos(now.Add(-24*time.Hour))
	steps := []gcStep{
		{&r.RefreshTokens, "refresh_tokens", tokenKey, `SELECT t.session_id, t.hash FROM sessions s
			JOIN refresh_tokens t ON t.session_id = s.id WHERE ` + deadSession, []any{n, dayAgo}},
		{&r.Sessions, "sessions", "id", `SELECT s.id FROM sessions s WHERE ` + deadSession, []any{n, dayAgo}},
		{&r.RefreshTokens, "refresh_tokens", tokenKey, `SELECT session_id, hash FROM refresh_tokens WHERE expires_at <= ?`, []any{n}},
		{new(int64), "legacy_refresh_tokens", "hash", // an index, not tokens: not counted
			`SELECT hash FROM legacy_refresh_tokens WHERE expires_at <= ?`, []any{n}},
		{&r.AuthRequests, "auth_requests", "id", `SELECT id FROM auth_requests WHERE expires_at <= ?`, []any{n}},
		{&r.DeviceAuths, "device_auths", "device_code_hash",
			`SELECT device_code_hash FROM device_auths WHERE expires_at <= ?`, []any{n}},
		{&r.BrowserSessions, "browser_sessions", "id", `SELECT id FROM browser_sessions WHERE expires_at <= ?`, []any{n}},
		{&r.PersonalTokens, "personal_tokens", "id",
			`SELECT id FROM personal_tokens WHERE (expires_at <> 0 AND expires_at <= ?)
			OR (revoked_at <> 0 AND revoked_at < ?)`, []any{n, dayAgo}},
		{&r.RevokedTokens, "revoked_access_tokens", "id",
			`SELECT id FROM revoked_access_tokens WHERE expires_at <= ?`, []any{n}},
		{&r.UpstreamLogins, "upstream_logins", "state_hash",
			`SELECT state_hash FROM upstream_logins WHERE expires_at <= ?`, []any{n}},
		{&r.MFALogins, "mfa_logins", "token_hash",
			`SELECT token_hash FROM mfa_logins WHERE expires_at <= ?`, []any{n}},
		{&r.PasskeyCeremonies, "passkey_ceremonies", "token_hash",
			`SELECT token_hash FROM passkey_ceremonies WHERE expires_at <= ?`, []any{n}},
	}
	for _, st := range steps {
		if err := s.gcTable(ctx, st); err != nil {
			return r, err
		}
	}
	return r, nil
}

// gcTable runs one step batch by batch until a batch comes back short.
func (s *Store) gcTable(ctx context.Context, st gcStep) error {
	q := `DELETE FROM ` + st.table + ` WHERE ` + st.key + ` IN (` + st.sel + ` LIMIT ?)`
	args := append(st.args, gcBatch)
	for {
		n, err := s.exec(ctx, "garbage collect "+st.table, q, args...)
		*st.count += n
		if err != nil || n < gcBatch {
			return err
		}
	}
}
