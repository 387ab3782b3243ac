package sqlite

import (
	"context"
	"time"

	"github.com/hubauth/hubauth/internal/storage"
)

// RotateRefreshToken applies the refresh token rotation rule (RFC 9700
// §4.14.2) in one write transaction:
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
// check sees the session first; its error is returned unchanged with
// nothing changed. The session's LastUsedAt becomes now when next is stored. The result holds
// the session as it is after the call.
func (s *Store) RotateRefreshToken(ctx context.Context, hash string, next storage.RefreshToken, now time.Time, grace time.Duration, check func(storage.Session) error) (storage.RotateResult, error) {
	var res storage.RotateResult
	err := s.write(ctx, opRotate, func(tx querier) error {
		t, x, err := s.lockedToken(ctx, tx, hash, now)
		if err != nil {
			return err
		}
		if check != nil {
			if err := check(x); err != nil {
				return err
			}
		}
		switch {
		case t.RotatedAt.IsZero():
			res.Outcome = storage.Rotated
			err = s.markRotated(ctx, tx, hash, now)
		case t.InGrace(now, grace):
			res.Outcome = storage.GraceReissued
		default:
			res.Outcome = storage.ReuseDetected
			x.RevokedAt = now
			res.Session = x
			return s.revokeReused(ctx, tx, x)
		}
		if err != nil {
			return err
		}
		next.SessionID = x.ID
		x.LastUsedAt = now
		res.Session = x
		return s.reissue(ctx, tx, next, now)
	})
	if err != nil {
		return storage.RotateResult{}, err
	}
	return res, nil
}

const opRotate = "rotate refresh token"

// lockedToken reads, inside the write transaction, a token and its session
// if both are usable at now, and ErrNotFound otherwise.
func (s *Store) lockedToken(ctx context.Context, tx querier, hash string, now time.Time) (storage.RefreshToken, storage.Session, error) {
	t, x, err := s.getToken(ctx, tx, hash)
	if err != nil {
		return t, x, s.wrap(opRotate, err)
	}
	if !t.Live(x, now) {
		return t, x, notFound(opRotate)
	}
	return t, x, nil
}

func (s *Store) markRotated(ctx context.Context, tx querier, hash string, now time.Time) error {
	_, err := tx.ExecContext(ctx, `UPDATE refresh_tokens SET rotated_at = ? WHERE hash = ?`, nanos(now), hash)
	return s.wrap(opRotate, err)
}

// reissue stores next and marks its session used at now.
func (s *Store) reissue(ctx context.Context, tx querier, next storage.RefreshToken, now time.Time) error {
	if err := s.insertToken(ctx, tx, opRotate, next); err != nil {
		return err
	}
	_, err := tx.ExecContext(ctx, `UPDATE sessions SET last_used_at = ? WHERE id = ?`, nanos(now), next.SessionID)
	return s.wrap(opRotate, err)
}

// revokeReused revokes the session x of a reused token at x.RevokedAt and
// audits it.
func (s *Store) revokeReused(ctx context.Context, tx querier, x storage.Session) error {
	_, err := tx.ExecContext(ctx, `UPDATE sessions SET revoked_at = ? WHERE id = ?`, nanos(x.RevokedAt), x.ID)
	if err != nil {
		return s.wrap(opRotate, err)
	}
	return s.appendAudit(ctx, tx, opRotate, storage.AuditEvent{
		Time:     x.RevokedAt,
		Type:     storage.AuditRefreshReuse,
		UserID:   x.UserID,
		ClientID: x.ClientID,
		Detail:   "session " + x.ID,
	})
}
