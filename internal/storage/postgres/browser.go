package postgres

import (
	"github.com/jackc/pgx/v5"

	"context"
	"slices"
	"time"

	"github.com/hubauth/hubauth/internal/storage"
)

const browserSessionCols = `id, token_hash, user_id, auth_time, amr, address, user_agent, created_at, expires_at`

// CreateBrowserSession stores a new browser session; ErrAlreadyExists when
// the id or the token hash is taken.
func (s *Store) CreateBrowserSession(ctx context.Context, b storage.BrowserSession) error {
	_, err := s.exec(ctx, "create browser session", `INSERT INTO browser_sessions (`+browserSessionCols+`)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
		b.ID, b.TokenHash, b.UserID, nanos(b.AuthTime), list(b.AMR), b.Address, b.UserAgent,
		nanos(b.CreatedAt), nanos(b.ExpiresAt))
	return err
}

// GetBrowserSessionByToken returns the browser session whose cookie has this
// hash; ErrNotFound when unknown or expired at now.
func (s *Store) GetBrowserSessionByToken(ctx context.Context, tokenHash string, now time.Time) (storage.BrowserSession, error) {
	var b storage.BrowserSession
	err := s.pool.QueryRow(ctx, `SELECT `+browserSessionCols+` FROM browser_sessions
		WHERE token_hash = $1 AND expires_at > $2`, tokenHash, nanos(now)).
		Scan(&b.ID, &b.TokenHash, &b.UserID, timeCol{&b.AuthTime}, listCol{&b.AMR}, &b.Address,
			&b.UserAgent, timeCol{&b.CreatedAt}, timeCol{&b.ExpiresAt})
	return b, s.wrap("get browser session", err)
}

// EndBrowserSession deletes the browser session and, in the same
// transaction, revokes at now every unrevoked Session created from it. It
// returns the ids of the sessions it revoked, sorted; ErrNotFound when there
// is no such browser session.
func (s *Store) EndBrowserSession(ctx context.Context, id string, now time.Time) ([]string, error) {
	const op = "end browser session"
	var ids []string
	err := s.writeRetried(ctx, op, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `DELETE FROM browser_sessions WHERE id = $1`, id)
		if err != nil {
			return s.wrap(op, err)
		}
		if tag.RowsAffected() == 0 {
			return notFound(op)
		}
		if err := s.lockSessionTrees(ctx, tx, op, `SELECT id FROM sessions WHERE browser_session_id = $1`, id); err != nil {
			return err
		}
		rows, err := tx.Query(ctx, `UPDATE sessions SET revoked_at = $1
			WHERE browser_session_id = $2 AND revoked_at = 0 RETURNING id`, nanos(now), id)
		ids, err = scanAll(rows, err, func(sc scanner) (string, error) {
			var id string
			return id, sc.Scan(&id)
		})
		if err != nil {
			return s.wrap(op, err)
		}
		exchanged, err := s.revokeExchanged(ctx, tx, op, ids, now)
		ids = append(ids, exchanged...)
		return err
	})
	if err != nil {
		return nil, err
	}
	slices.Sort(ids)
	return ids, nil
}
