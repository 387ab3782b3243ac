package sqlite

import (
	"context"
	"time"

	"github.com/hubauth/hubauth/internal/storage"
)

const mfaLoginCols = `token_hash, user_id, amr, auth_time, auth_request_id, user_code, next, created_at, expires_at, attempts, step_up_of`

func scanMFALogin(sc scanner) (storage.MFALogin, error) {
	var l storage.MFALogin
	err := sc.Scan(&l.TokenHash, &l.UserID, listCol{&l.AMR}, timeCol{&l.AuthTime}, &l.AuthRequestID,
		&l.UserCode, &l.Next, timeCol{&l.CreatedAt}, timeCol{&l.ExpiresAt}, &l.Attempts, &l.StepUpOf)
	return l, err
}

// CreateMFALogin stores a sign-in waiting for its second factor.
func (s *Store) CreateMFALogin(ctx context.Context, l storage.MFALogin) error {
	_, err := s.exec(ctx, "create mfa login", `INSERT INTO mfa_logins (`+mfaLoginCols+`)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, l.TokenHash, l.UserID, list(l.AMR), nanos(l.AuthTime),
		l.AuthRequestID, l.UserCode, l.Next, nanos(l.CreatedAt), nanos(l.ExpiresAt), l.Attempts, l.StepUpOf)
	return err
}

// GetMFALogin returns the waiting sign-in; ErrNotFound when unknown or
// expired at now.
func (s *Store) GetMFALogin(ctx context.Context, tokenHash string, now time.Time) (storage.MFALogin, error) {
	l, err := scanMFALogin(s.rq.QueryRowContext(ctx, `SELECT `+mfaLoginCols+` FROM mfa_logins
		WHERE token_hash = ? AND expires_at > ? AND attempts < ?`, tokenHash, nanos(now), storage.MaxCodeAttempts))
	return l, s.wrap("get mfa login", err)
}

// ConsumeMFALogin deletes the waiting sign-in and returns it in one
// statement; ErrNotFound when unknown or expired at now.
func (s *Store) ConsumeMFALogin(ctx context.Context, tokenHash string, now time.Time) (storage.MFALogin, error) {
	const op = "consume mfa login"
	release, err := s.enter(ctx)
	if err != nil {
		return storage.MFALogin{}, s.wrap(op, err)
	}
	defer release()
	l, err := scanMFALogin(s.wq.QueryRowContext(ctx, `DELETE FROM mfa_logins
		WHERE token_hash = ? RETURNING `+mfaLoginCols, tokenHash))
	if err != nil {
		return storage.MFALogin{}, s.wrap(op, err)
	}
	if !l.ExpiresAt.After(now) {
		return storage.MFALogin{}, notFound(op)
	}
	return l, nil
}

// AttemptMFALogin counts a code against the waiting sign-in in the
// statement that returns it; ErrNotFound when unknown, expired or spent.
func (s *Store) AttemptMFALogin(ctx context.Context, tokenHash string, now time.Time) (storage.MFALogin, error) {
	const op = "attempt mfa login"
	release, err := s.enter(ctx)
	if err != nil {
		return storage.MFALogin{}, s.wrap(op, err)
	}
	defer release()
	l, err := scanMFALogin(s.wq.QueryRowContext(ctx, `UPDATE mfa_logins SET attempts = attempts + 1
		WHERE token_hash = ? AND expires_at > ? AND attempts < ? RETURNING `+mfaLoginCols,
		tokenHash, nanos(now), storage.MaxCodeAttempts))
	return l, s.wrap(op, err)
}
