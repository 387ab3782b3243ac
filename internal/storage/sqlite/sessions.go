package sqlite

import (
	"context"
	"time"

	"github.com/hubauth/hubauth/internal/storage"
)

const (
	sessionCols = `id, user_id, client_id, method, name, address, browser_session_id, scopes,
		auth_time, amr, created_at, last_used_at, expires_at, revoked_at, resources, parent_id, actors`
	refreshTokenCols = `hash, session_id, created_at, expires_at, rotated_at`
)

// sessionDest lists where a sessionCols row goes in x.
func sessionDest(x *storage.Session) []any {
	return []any{&x.ID, &x.UserID, &x.ClientID, &x.Method, &x.Name, &x.Address,
		&x.BrowserSessionID, listCol{&x.Scopes}, timeCol{&x.AuthTime}, listCol{&x.AMR},
		timeCol{&x.CreatedAt}, timeCol{&x.LastUsedAt}, timeCol{&x.ExpiresAt}, timeCol{&x.RevokedAt},
		listCol{&x.Resources}, &x.ParentID, listCol{&x.Actors}}
}

// tokenDest lists where a refreshTokenCols row goes in t.
func tokenDest(t *storage.RefreshToken) []any {
	return []any{&t.Hash, &t.SessionID, timeCol{&t.CreatedAt}, timeCol{&t.ExpiresAt}, timeCol{&t.RotatedAt}}
}

func scanSession(sc scanner) (storage.Session, error) {
	var x storage.Session
	return x, sc.Scan(sessionDest(&x)...)
}

// CreateSession stores a new session with its first refresh token, whose
// SessionID is set to s.ID, in one transaction.
func (s *Store) CreateSession(ctx context.Context, x storage.Session, first storage.RefreshToken) error {
	const op = "create session"
	return s.write(ctx, op, func(tx querier) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO sessions (`+sessionCols+`)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			x.ID, x.UserID, x.ClientID, x.Method, x.Name, x.Address, x.BrowserSessionID,
			list(x.Scopes), nanos(x.AuthTime), list(x.AMR), nanos(x.CreatedAt),
			nanos(x.LastUsedAt), nanos(x.ExpiresAt), nanos(x.RevokedAt),
			list(x.Resources), x.ParentID, list(x.Actors))
		if err != nil {
			return s.wrap(op, err)
		}
		if first.Hash == "" {
			return nil
		}
		first.SessionID = x.ID
		return s.insertToken(ctx, tx, op, first)
	})
}

func (s *Store) insertToken(ctx context.Context, tx querier, op string, t storage.RefreshToken) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO refresh_tokens (`+refreshTokenCols+`) VALUES (?, ?, ?, ?, ?)`,
		t.Hash, t.SessionID, nanos(t.CreatedAt), nanos(t.ExpiresAt), nanos(t.RotatedAt))
	return s.wrap(op, err)
}

// GetSession returns the session with this id, revoked or expired or not.
func (s *Store) GetSession(ctx context.Context, id string) (storage.Session, error) {
	x, err := scanSession(s.rq.QueryRowContext(ctx, `SELECT `+sessionCols+` FROM sessions WHERE id = ?`, id))
	return x, s.wrap("get session", err)
}

// ListUserSessions lists a user's sessions that are neither revoked nor
// expired at now, newest first.
func (s *Store) ListUserSessions(ctx context.Context, userID string, now time.Time) ([]storage.Session, error) {
	rows, err := s.rq.QueryContext(ctx, `SELECT `+sessionCols+` FROM sessions
		WHERE user_id = ? AND revoked_at = 0 AND expires_at > ?
		ORDER BY created_at DESC, id DESC`, userID, nanos(now))
	xs, err := scanAll(rows, err, scanSession)
	return xs, s.wrap("list user sessions", err)
}

// GetRefreshToken returns a refresh token and its session, whatever their
// state; ErrNotFound when unknown.
func (s *Store) GetRefreshToken(ctx context.Context, key storage.RefreshKey) (storage.RefreshToken, storage.Session, error) {
	t, x, err := s.getToken(ctx, s.rq, key)
	return t, x, s.wrap("get refresh token", err)
}

// getToken reads a refresh token and its session; a key without a session
// (a token issued before tokens named theirs) finds it through
// legacy_refresh_tokens.
func (s *Store) getToken(ctx context.Context, q querier, key storage.RefreshKey) (storage.RefreshToken, storage.Session, error) {
	var (
		t storage.RefreshToken
		x storage.Session
	)
	if key.SessionID == "" {
		err := q.QueryRowContext(ctx, legacySession, key.Hash).Scan(&key.SessionID)
		if err != nil {
			return t, x, err
		}
	}
	err := q.QueryRowContext(ctx, tokenWithSession, key.SessionID, key.Hash).Scan(append(tokenDest(&t), sessionDest(&x)...)...)
	return t, x, err
}

// legacySession reads the session of a token issued before tokens named it.
const legacySession = `SELECT session_id FROM legacy_refresh_tokens WHERE hash = ?`

// tokenWithSession reads a refresh token and its session in one statement
// (the foreign key keeps every token's session).
var tokenWithSession = `SELECT ` + prefixed("t.", refreshTokenCols) + `, ` + prefixed("s.", sessionCols) + `
	FROM refresh_tokens t JOIN sessions s ON s.id = t.session_id WHERE t.session_id = ? AND t.hash = ?`

// RevokeSession revokes a session at now; a session revoked before keeps its
// RevokedAt. ErrNotFound when unknown.
func (s *Store) RevokeSession(ctx context.Context, id string, now time.Time) error {
	const op = "revoke session"
	return s.write(ctx, op, func(tx querier) error {
		err := s.execOneIn(ctx, tx, op, `UPDATE sessions
			SET revoked_at = CASE revoked_at WHEN 0 THEN ? ELSE revoked_at END WHERE id = ?`, nanos(now), id)
		if err != nil {
			return err
		}
		_, err = s.revokeExchanged(ctx, tx, op, []string{id}, now)
		return err
	})
}

// RevokeAccessToken records an access token id as revoked until expiresAt;
// revoking it again keeps the later expiry.
func (s *Store) RevokeAccessToken(ctx context.Context, tokenID string, expiresAt time.Time) error {
	_, err := s.exec(ctx, "revoke access token", `INSERT INTO revoked_access_tokens (id, expires_at)
		VALUES (?, ?) ON CONFLICT (id) DO UPDATE SET expires_at = max(expires_at, excluded.expires_at)`,
		tokenID, nanos(expiresAt))
	return err
}

// IsAccessTokenRevoked reports whether the access token id was revoked (and
// not yet collected).
func (s *Store) IsAccessTokenRevoked(ctx context.Context, tokenID string) (bool, error) {
	var n int
	err := s.rq.QueryRowContext(ctx, `SELECT count(*) FROM revoked_access_tokens WHERE id = ?`, tokenID).Scan(&n)
	return n > 0, s.wrap("is access token revoked", err)
}
