package postgres

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/hubauth/hubauth/internal/storage"
)

const opRotate = "rotate refresh token"

// RotateRefreshToken implements storage.Sessions.RotateRefreshToken; tokens
// are keyed by hash here, and the key's session is checked
// (storage.RefreshKey.Finds).
// Rotations share transactions (rotationQueue): a group's transaction
// begins with every rotation's locking reads and ends with their writes
// and the COMMIT, two round trips in all, and each rotation is answered
// only after that commit.
//
// Each rotation first locks its session row (FOR NO KEY UPDATE, which
// still lets new refresh tokens reference it) and then its token row (FOR
// UPDATE), and reads both after taking the locks. So simultaneous rotations
// of one token, on any number of servers, queue on the locks and each sees
// what the one before it committed: exactly one Rotated. Within a group,
// a rotation whose session another rotation of the group has read waits
// for the next group, so that it too sees that one's writes. Locking the
// session before its tokens is the order in which deleting a session
// cascades to them, so rotation and garbage collection cannot deadlock;
// a group locks its sessions in the order of their ids first, so groups of
// several nodes do not deadlock on them, and so do the transactions that
// revoke several sessions (lockSessionTrees). A group that detects a
// reused token revokes what was exchanged from its session after it has
// taken its locks, in another order, so it may still deadlock with one of
// those: PostgreSQL ends one of the two after deadlock_timeout, and either
// runs again (a group, or writeRetried), up to three times in all.
func (s *Store) RotateRefreshToken(ctx context.Context, key storage.RefreshKey, next storage.RefreshToken, now time.Time, grace time.Duration, check func(storage.Session) error) (storage.RotateResult, error) {
	w := &rotation{key: key, next: next, now: now, grace: grace, check: check, done: make(chan struct{})}
	s.rotateGrouped(ctx, w)
	if w.panicked != nil {
		panic(w.panicked)
	}
	if w.err != nil {
		return storage.RotateResult{}, w.err
	}
	return w.r.Result(), nil
}

// readSession reads a rotation's session, which its group has locked
// (lockGroupSessions); lockToken locks and reads its token.
const (
	readSession = `SELECT ` + sessionCols + ` FROM sessions
		WHERE id = (SELECT session_id FROM refresh_tokens WHERE hash = $1)`
	lockToken = `SELECT ` + refreshTokenCols + ` FROM refresh_tokens WHERE hash = $1 FOR UPDATE`
)

// reissue stores the next token and marks the session used, and
// rotateAndReissue also marks the presented token rotated, each in one
// statement (data-modifying CTEs): a statement is a round of work for the
// server, and a rotation is the hottest write there is.
const (
	insertNext       = `next AS (INSERT INTO refresh_tokens (` + refreshTokenCols + `) VALUES ($1, $2, $3, $4, $5))`
	touchSession     = ` UPDATE sessions SET last_used_at = $6 WHERE id = $7`
	reissue          = `WITH ` + insertNext + touchSession
	rotateAndReissue = `WITH rotated AS (UPDATE refresh_tokens SET rotated_at = $8 WHERE hash = $9), ` + insertNext + touchSession
)

// queueRotation adds to b the statements that write r.
func queueRotation(b *pgx.Batch, r storage.Rotation) {
	x, a := r.Session, r.Audit
	if r.Revokes() {
		b.Queue(`UPDATE sessions SET revoked_at = $1 WHERE id = $2`, nanos(x.RevokedAt), x.ID)
		b.Queue(revokeTree, x.ID, nanos(x.RevokedAt)) // and what was exchanged from it, in the same transaction
		b.Queue(insertAudit, nanos(a.Time), a.Type, a.UserID, a.ClientID, a.Address, a.Detail)
		return
	}
	n := r.Next
	args := []any{n.Hash, n.SessionID, nanos(n.CreatedAt), nanos(n.ExpiresAt), nanos(n.RotatedAt), nanos(x.LastUsedAt), x.ID}
	if r.MarksRotated() {
		b.Queue(rotateAndReissue, append(args, nanos(r.Token.RotatedAt), r.Token.Hash)...)
		return
	}
	b.Queue(reissue, args...)
}
