package postgres

import (
	"github.com/jackc/pgx/v5"

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
	return s.write(ctx, op, func(tx pgx.Tx) error { return s.insertSession(ctx, tx, op, x, first) })
}

// insertSession inserts x and, unless first.Hash is empty, its first
// refresh token, in tx.
func (s *Store) insertSession(ctx context.Context, tx pgx.Tx, op string, x storage.Session, first storage.RefreshToken) error {
	_, err := tx.Exec(ctx, `INSERT INTO sessions (`+sessionCols+`)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)`,
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
}

func (s *Store) insertToken(ctx context.Context, q querier, op string, t storage.RefreshToken) error {
	_, err := q.Exec(ctx, `INSERT INTO refresh_tokens (`+refreshTokenCols+`) VALUES ($1, $2, $3, $4, $5)`,
		t.Hash, t.SessionID, nanos(t.CreatedAt), nanos(t.ExpiresAt), nanos(t.RotatedAt))
	return s.wrap(op, err)
}

// GetSession returns the session with this id, revoked or expired or not.
func (s *Store) GetSession(ctx context.Context, id string) (storage.Session, error) {
	x, err := scanSession(s.pool.QueryRow(ctx, `SELECT `+sessionCols+` FROM sessions WHERE id = $1`, id))
	return x, s.wrap("get session", err)
}

// ListUserSessions lists a user's sessions that are neither revoked nor
// expired at now, newest first.
func (s *Store) ListUserSessions(ctx context.Context, userID string, now time.Time) ([]storage.Session, error) {
	rows, err := s.pool.Query(ctx, `SELECT `+sessionCols+` FROM sessions
		WHERE user_id = $1 AND revoked_at = 0 AND expires_at > $2
		ORDER BY created_at DESC, id COLLATE "C" DESC`, userID, nanos(now))
	xs, err := scanAll(rows, err, scanSession)
	return xs, s.wrap("list user sessions", err)
}

// GetRefreshToken returns a refresh token and its session, whatever their
// state; ErrNotFound when unknown.
// Tokens are keyed by hash here; the key's session is checked.
func (s *Store) GetRefreshToken(ctx context.Context, key storage.RefreshKey) (storage.RefreshToken, storage.Session, error) {
	var t storage.RefreshToken
	var x storage.Session
	err := s.pool.QueryRow(ctx, `SELECT `+prefixed("t.", refreshTokenCols)+`, `+prefixed("s.", sessionCols)+`
		FROM refresh_tokens t JOIN sessions s ON s.id = t.session_id WHERE t.hash = $1`, key.Hash).
		Scan(append(tokenDest(&t), sessionDest(&x)...)...)
	if err == nil && !key.Finds(t) {
		err = pgx.ErrNoRows
	}
	return t, x, s.wrap("get refresh token", err)
}

// RevokeSession revokes a session at now; a session revoked before keeps its
// RevokedAt. ErrNotFound when unknown.
func (s *Store) RevokeSession(ctx context.Context, id string, now time.Time) error {
	const op = "revoke session"
	return s.writeRetried(ctx, op, func(tx pgx.Tx) error {
		if err := s.lockSessionTrees(ctx, tx, op, `SELECT $1::text`, id); err != nil {
			return err
		}
		tag, err := tx.Exec(ctx, `UPDATE sessions
			SET revoked_at = CASE revoked_at WHEN 0 THEN $1 ELSE revoked_at END WHERE id = $2`, nanos(now), id)
		if err != nil {
			return s.wrap(op, err)
		}
		if tag.RowsAffected() == 0 {
			return notFound(op)
		}
		_, err = s.revokeExchanged(ctx, tx, op, []string{id}, now)
		return err
	})
}

// RevokeAccessToken records an access token id as revoked until expiresAt;
// revoking it again keeps the later expiry.
func (s *Store) RevokeAccessToken(ctx context.Context, tokenID string, expiresAt time.Time) error {
	_, err := s.exec(ctx, "revoke access token", `INSERT INTO revoked_access_tokens AS r (id, expires_at)
		VALUES ($1, $2) ON CONFLICT (id) DO UPDATE SET expires_at = greatest(r.expires_at, excluded.expires_at)`,
		tokenID, nanos(expiresAt))
	return err
}

// IsAccessTokenRevoked reports whether the access token id was revoked (and
// not yet collected).
func (s *Store) IsAccessTokenRevoked(ctx context.Context, tokenID string) (bool, error) {
	var revoked bool
	err := s.pool.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM revoked_access_tokens WHERE id = $1)`, tokenID).Scan(&revoked)
	return revoked, s.wrap("is access token revoked", err)
}
