package sqlite

import (
	"context"
	"time"

	"github.com/hubauth/hubauth/internal/storage"
)

const opRotate = "rotate refresh token"

// RotateRefreshToken implements storage.Sessions.RotateRefreshToken in one
// write transaction (SQLite has one writer at a time: no row locks), which
// it may share with other rotations (writeGrouped): it returns once the
// transaction is committed.
func (s *Store) RotateRefreshToken(ctx context.Context, key storage.RefreshKey, next storage.RefreshToken, now time.Time, grace time.Duration, check func(storage.Session) error) (storage.RotateResult, error) {
	var r storage.Rotation
	err := s.writeGrouped(ctx, opRotate, func(tx querier) (func(querier) error, error) {
		t, x, err := s.getToken(ctx, tx, key)
		if err != nil {
			return nil, s.wrap(opRotate, err)
		}
		if r, err = storage.DecideRotation(t, x, next, now, grace, check); err != nil {
			return nil, err
		}
		if r.Revokes() {
			return func(tx querier) error { return s.revokeReused(ctx, tx, r) }, nil
		}
		return func(tx querier) error { return s.reissue(ctx, tx, r) }, nil
	})
	if err != nil {
		return storage.RotateResult{}, err
	}
	return r.Result(), nil
}

// markRotated writes a token's RotatedAt.
const markRotated = `UPDATE refresh_tokens SET rotated_at = ? WHERE session_id = ? AND hash = ?`

// reissue marks the presented token rotated if r says so, stores r.Next
// and marks the session used.
func (s *Store) reissue(ctx context.Context, tx querier, r storage.Rotation) error {
	if r.MarksRotated() {
		_, err := tx.ExecContext(ctx, markRotated, nanos(r.Token.RotatedAt), r.Token.SessionID, r.Token.Hash)
		if err != nil {
			return s.wrap(opRotate, err)
		}
	}
	if err := s.insertToken(ctx, tx, opRotate, r.Next); err != nil {
		return err
	}
	_, err := tx.ExecContext(ctx, `UPDATE sessions SET last_used_at = ? WHERE id = ?`, nanos(r.Session.LastUsedAt), r.Session.ID)
	return s.wrap(opRotate, err)
}

// revokeReused revokes the family of a reused token and every session
// exchanged from it, and appends r.Audit.
func (s *Store) revokeReused(ctx context.Context, tx querier, r storage.Rotation) error {
	_, err := tx.ExecContext(ctx, `UPDATE sessions SET revoked_at = ? WHERE id = ?`, nanos(r.Session.RevokedAt), r.Session.ID)
	if err != nil {
		return s.wrap(opRotate, err)
	}
	if _, err := s.revokeExchanged(ctx, tx, opRotate, []string{r.Session.ID}, r.Session.RevokedAt); err != nil {
		return err
	}
	return s.appendAudit(ctx, tx, opRotate, r.Audit)
}
