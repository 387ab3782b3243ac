package postgres

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/hubauth/hubauth/internal/storage"
)

const opRotate = "rotate refresh token"

// RotateRefreshToken applies the refresh token rotation rule (RFC 9700
// §4.14.2) in one transaction:
//
//   - an unknown or expired token, or one whose session is revoked or
//     expired, gives ErrNotFound;
//   - a token never rotated is marked rotated at now and next is stored in
//     its session (Rotated);
//   - a token rotated at most grace ago has next stored in its session
//     (GraceReissued), so parallel clients sharing it are not logged out;
//   - a token rotated longer ago is being reused: the session is revoked at
//     now and a "refresh_reuse" audit event is written (ReuseDetected, with no
//     error, and next is not stored).
//
// The transaction first locks the session row (FOR NO KEY UPDATE, which
// still lets new refresh tokens reference it) and then the token row (FOR
// UPDATE), and reads both after taking the locks. So simultaneous rotations
// of one token, on any number of servers, queue on the locks and each sees
// what the one before it committed: exactly one Rotated. Locking the session
// before its tokens is the order in which deleting a session cascades to
// them, so rotation and garbage collection cannot deadlock.
//
// check sees the session first; its error is returned unchanged with
// nothing changed. The session's LastUsedAt becomes now when next is
// stored. The result holds the session as it is after the call.
func (s *Store) RotateRefreshToken(ctx context.Context, hash string, next storage.RefreshToken, now time.Time, grace time.Duration, check func(storage.Session) error) (storage.RotateResult, error) {
	var res storage.RotateResult
	err := s.write(ctx, opRotate, func(tx pgx.Tx) error {
		t, x, err := s.lockedToken(ctx, tx, hash, now)
		if err != nil {
			return err
		}
		if check != nil {
			if err := check(x); err != nil {
				return err
			}
		}
		b := &pgx.Batch{}
		switch {
		case t.RotatedAt.IsZero():
			res.Outcome = storage.Rotated
			b.Queue(`UPDATE refresh_tokens SET rotated_at = $1 WHERE hash = $2`, nanos(now), hash)
		case t.InGrace(now, grace):
			res.Outcome = storage.GraceReissued
		default:
			res.Outcome = storage.ReuseDetected
			x.RevokedAt = now
			res.Session = x
			return s.revokeReused(ctx, tx, x)
		}
		next.SessionID = x.ID
		x.LastUsedAt = now
		res.Session = x
		b.Queue(`INSERT INTO refresh_tokens (`+refreshTokenCols+`) VALUES ($1, $2, $3, $4, $5)`,
			next.Hash, next.SessionID, nanos(next.CreatedAt), nanos(next.ExpiresAt), nanos(next.RotatedAt))
		b.Queue(`UPDATE sessions SET last_used_at = $1 WHERE id = $2`, nanos(now), x.ID)
		return s.wrap(opRotate, tx.SendBatch(ctx, b).Close())
	})
	if err != nil {
		return storage.RotateResult{}, err
	}
	return res, nil
}

// lockedToken locks and reads a token's session and then the token, and
// returns them if both are usable at now, ErrNotFound otherwise.
func (s *Store) lockedToken(ctx context.Context, tx pgx.Tx, hash string, now time.Time) (storage.RefreshToken, storage.Session, error) {
	var t storage.RefreshToken
	x, err := scanSession(tx.QueryRow(ctx, `SELECT `+sessionCols+` FROM sessions
		WHERE id = (SELECT session_id FROM refresh_tokens WHERE hash = $1) FOR NO KEY UPDATE`, hash))
	if err != nil {
		return t, x, s.wrap(opRotate, err)
	}
	err = tx.QueryRow(ctx, `SELECT `+refreshTokenCols+` FROM refresh_tokens WHERE hash = $1 FOR UPDATE`, hash).
		Scan(tokenDest(&t)...)
	if err != nil {
		return t, x, s.wrap(opRotate, err)
	}
	if !t.Live(x, now) {
		return t, x, notFound(opRotate)
	}
	return t, x, nil
}

// revokeReused revokes the session x of a reused token at x.RevokedAt and
// audits it.
func (s *Store) revokeReused(ctx context.Context, tx pgx.Tx, x storage.Session) error {
	b := &pgx.Batch{}
	b.Queue(`UPDATE sessions SET revoked_at = $1 WHERE id = $2`, nanos(x.RevokedAt), x.ID)
	b.Queue(insertAudit, nanos(x.RevokedAt), storage.AuditRefreshReuse, x.UserID, x.ClientID, "", "session "+x.ID)
	return s.wrap(opRotate, tx.SendBatch(ctx, b).Close())
}
