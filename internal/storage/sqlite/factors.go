package sqlite

import (
	"context"
	"fmt"
	"time"

	"github.com/hubauth/hubauth/internal/storage"
)

// BeginTOTP stores a pending authenticator, replacing a pending one;
// ErrAlreadyExists when the user has a confirmed one.
func (s *Store) BeginTOTP(ctx context.Context, t storage.TOTP) error {
	const op = "begin totp"
	return s.write(ctx, op, func(tx querier) error {
		var confirmed int64
		err := tx.QueryRowContext(ctx, `SELECT count(*) FROM user_totp WHERE user_id = ? AND confirmed_at <> 0`,
			t.UserID).Scan(&confirmed)
		if err != nil {
			return s.wrap(op, err)
		}
		if confirmed != 0 {
			return fmt.Errorf("sqlite: %s: %w", op, storage.ErrAlreadyExists)
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO user_totp (user_id, secret, last_step, created_at, confirmed_at, owner, attempts)
			VALUES (?, ?, 0, ?, 0, ?, 0) ON CONFLICT (user_id) DO UPDATE SET secret = excluded.secret,
			last_step = 0, created_at = excluded.created_at, owner = excluded.owner, attempts = 0`,
			t.UserID, t.Secret, nanos(t.CreatedAt), t.Owner)
		return s.wrap(op, err)
	})
}

// GetTOTP returns the user's authenticator; ErrNotFound when none.
func (s *Store) GetTOTP(ctx context.Context, userID string) (storage.TOTP, error) {
	t := totpRow{storage.TOTP{UserID: userID}}
	err := s.rq.QueryRowContext(ctx, `SELECT `+totpCols+` FROM user_totp
		WHERE user_id = ?`, userID).Scan(t.scanDest()...)
	return t.TOTP, s.wrap("get totp", err)
}

// AttemptTOTPSetup counts a code against the pending set-up of owner
// started after since, in the statement that returns it; ErrNotFound when
// there is none or its attempts are spent.
func (s *Store) AttemptTOTPSetup(ctx context.Context, userID, owner string, since time.Time) (storage.TOTP, error) {
	const op = "attempt totp set-up"
	release, err := s.enter(ctx)
	if err != nil {
		return storage.TOTP{}, s.wrap(op, err)
	}
	defer release()
	t := totpRow{storage.TOTP{UserID: userID}}
	err = s.wq.QueryRowContext(ctx, `UPDATE user_totp SET attempts = attempts + 1
		WHERE user_id = ? AND owner = ? AND confirmed_at = 0 AND created_at > ? AND attempts < ?
		RETURNING `+totpCols, userID, owner, nanos(since), storage.MaxCodeAttempts).Scan(t.scanDest()...)
	return t.TOTP, s.wrap(op, err)
}

const totpCols = `secret, last_step, created_at, confirmed_at, owner, attempts`

type totpRow struct{ storage.TOTP }

func (t *totpRow) scanDest() []any {
	return []any{&t.Secret, &t.LastStep, timeCol{&t.CreatedAt}, timeCol{&t.ConfirmedAt}, &t.Owner, &t.Attempts}
}

// ConfirmTOTP confirms the pending authenticator of this secret and
// replaces the recovery codes, in one transaction.
func (s *Store) ConfirmTOTP(ctx context.Context, userID, secret string, step int64, recoveryHashes []string, now time.Time) error {
	const op = "confirm totp"
	return s.write(ctx, op, func(tx querier) error {
		err := s.execOneIn(ctx, tx, op, `UPDATE user_totp SET confirmed_at = ?, last_step = ?
			WHERE user_id = ? AND secret = ? AND confirmed_at = 0`, nanos(now), step, userID, secret)
		if err != nil {
			return err
		}
		return s.replaceRecoveryCodes(ctx, tx, op, userID, recoveryHashes, now)
	})
}

// UseTOTPStep raises the last accepted step to step in one statement;
// ErrNotFound when there is no confirmed authenticator or step is not
// after the last accepted one.
func (s *Store) UseTOTPStep(ctx context.Context, userID string, step int64) error {
	return s.execOne(ctx, "use totp step", `UPDATE user_totp SET last_step = ?
		WHERE user_id = ? AND confirmed_at <> 0 AND last_step < ?`, step, userID, step)
}

// DeleteTOTP deletes the authenticator, and nothing else.
func (s *Store) DeleteTOTP(ctx context.Context, userID string) error {
	return s.execOne(ctx, "delete totp", `DELETE FROM user_totp WHERE user_id = ?`, userID)
}

// ReplaceRecoveryCodes replaces the user's recovery codes by hashes.
func (s *Store) ReplaceRecoveryCodes(ctx context.Context, userID string, hashes []string, now time.Time) error {
	const op = "replace recovery codes"
	return s.write(ctx, op, func(tx querier) error {
		return s.replaceRecoveryCodes(ctx, tx, op, userID, hashes, now)
	})
}

func (s *Store) replaceRecoveryCodes(ctx context.Context, tx querier, op, userID string, hashes []string, now time.Time) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM recovery_codes WHERE user_id = ?`, userID); err != nil {
		return s.wrap(op, err)
	}
	for _, h := range hashes {
		if _, err := tx.ExecContext(ctx, `INSERT INTO recovery_codes (user_id, hash, created_at) VALUES (?, ?, ?)`,
			userID, h, nanos(now)); err != nil {
			return s.wrap(op, err)
		}
	}
	return nil
}

// ConsumeRecoveryCode deletes the recovery code of this hash in one
// statement; ErrNotFound when unknown.
func (s *Store) ConsumeRecoveryCode(ctx context.Context, userID, hash string) error {
	return s.execOne(ctx, "consume recovery code", `DELETE FROM recovery_codes WHERE user_id = ? AND hash = ?`, userID, hash)
}

// GetSecondFactors says which second factors the user has.
func (s *Store) GetSecondFactors(ctx context.Context, userID string) (storage.SecondFactors, error) {
	var f storage.SecondFactors
	err := s.rq.QueryRowContext(ctx, `SELECT
		EXISTS (SELECT 1 FROM user_totp WHERE user_id = ? AND confirmed_at <> 0),
		(SELECT count(*) FROM passkeys WHERE user_id = ?),
		(SELECT count(*) FROM recovery_codes WHERE user_id = ?)`, userID, userID, userID).Scan(&f.TOTP, &f.Passkeys, &f.RecoveryCodes)
	return f, s.wrap("get second factors", err)
}
