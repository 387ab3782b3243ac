package postgres

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/hubauth/hubauth/internal/storage"
)

const opRotate = "rotate refresh token"

// RotateRefreshToken implements storage.Sessions.RotateRefreshToken in two
// round trips: the transaction begins with the locking reads, and the
// decision's rows are written in one batch with the COMMIT.
//
// The transaction first locks the session row (FOR NO KEY UPDATE, which
// still lets new refresh tokens reference it) and then the token row (FOR
// UPDATE), and reads both after taking the locks. So simultaneous rotations
// of one token, on any number of servers, queue on the locks and each sees
// what the one before it committed: exactly one Rotated. Locking the session
// before its tokens is the order in which deleting a session cascades to
// them, so rotation and garbage collection cannot deadlock.
func (s *Store) RotateRefreshToken(ctx context.Context, hash string, next storage.RefreshToken, now time.Time, grace time.Duration, check func(storage.Session) error) (storage.RotateResult, error) {
	conn, err := s.pool.Acquire(ctx)
	if err != nil {
		return storage.RotateResult{}, s.wrap(opRotate, err)
	}
	defer conn.Release()
	r, err := s.rotateOn(ctx, conn.Conn(), hash, next, now, grace, check)
	if err != nil {
		// Whatever the step that failed, end the transaction: a connection
		// goes back to the pool outside one (a broken one is closed).
		_, _ = conn.Exec(context.WithoutCancel(ctx), "ROLLBACK")
		return storage.RotateResult{}, err
	}
	return r.Result(), nil
}

// rotateOn runs the rotation on conn in two round trips: BEGIN with the
// locking reads (lockedToken), then the decision's writes with COMMIT.
func (s *Store) rotateOn(ctx context.Context, conn *pgx.Conn, hash string, next storage.RefreshToken, now time.Time, grace time.Duration, check func(storage.Session) error) (storage.Rotation, error) {
	t, x, err := s.lockedToken(ctx, conn, hash)
	if err != nil {
		return storage.Rotation{}, err
	}
	r, err := storage.DecideRotation(t, x, next, now, grace, check)
	if err != nil {
		return r, err
	}
	b := rotationBatch(r)
	b.Queue("COMMIT")
	return r, s.wrap(opRotate, conn.SendBatch(ctx, b).Close())
}

// lockedToken begins a transaction and locks and reads a token's session
// and then the token, in one round trip (a batch runs its statements in
// order); ErrNotFound when unknown.
func (s *Store) lockedToken(ctx context.Context, conn *pgx.Conn, hash string) (storage.RefreshToken, storage.Session, error) {
	var t storage.RefreshToken
	b := &pgx.Batch{}
	b.Queue("BEGIN")
	b.Queue(`SELECT `+sessionCols+` FROM sessions
		WHERE id = (SELECT session_id FROM refresh_tokens WHERE hash = $1) FOR NO KEY UPDATE`, hash)
	b.Queue(`SELECT `+refreshTokenCols+` FROM refresh_tokens WHERE hash = $1 FOR UPDATE`, hash)
	res := conn.SendBatch(ctx, b)
	_, err := res.Exec()
	var x storage.Session
	if err == nil {
		x, err = scanSession(res.QueryRow())
	}
	if err == nil {
		err = res.QueryRow().Scan(tokenDest(&t)...)
	}
	if cerr := res.Close(); err == nil {
		err = cerr
	}
	return t, x, s.wrap(opRotate, err)
}

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

// rotationBatch holds the statements that write r.
func rotationBatch(r storage.Rotation) *pgx.Batch {
	b := &pgx.Batch{}
	x, a := r.Session, r.Audit
	if r.Revokes() {
		b.Queue(`UPDATE sessions SET revoked_at = $1 WHERE id = $2`, nanos(x.RevokedAt), x.ID)
		b.Queue(revokeTree, x.ID, nanos(x.RevokedAt)) // and what was exchanged from it, in the same transaction
		b.Queue(insertAudit, nanos(a.Time), a.Type, a.UserID, a.ClientID, a.Address, a.Detail)
		return b
	}
	n := r.Next
	args := []any{n.Hash, n.SessionID, nanos(n.CreatedAt), nanos(n.ExpiresAt), nanos(n.RotatedAt), nanos(x.LastUsedAt), x.ID}
	if r.MarksRotated() {
		b.Queue(rotateAndReissue, append(args, nanos(r.Token.RotatedAt), r.Token.Hash)...)
		return b
	}
	b.Queue(reissue, args...)
	return b
}
