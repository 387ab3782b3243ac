package sqlite

import (
	"context"
	"fmt"

	"github.com/hubauth/hubauth/internal/storage"
)

// DeleteFactorUnlessLast removes one of the user's second factors unless
// keepOne and it is the last, and the recovery codes with the last, in
// one write transaction (BEGIN IMMEDIATE: the writer's lock is taken
// before the count, so two removals at once are serialised).
func (s *Store) DeleteFactorUnlessLast(ctx context.Context, userID, kind, id string, keepOne bool) error {
	const op = "delete second factor"
	var del string
	var args []any
	switch kind {
	case storage.FactorTOTP:
		del, args = `DELETE FROM user_totp WHERE user_id = ? RETURNING confirmed_at <> 0`, []any{userID}
	case storage.FactorPasskey:
		del, args = `DELETE FROM passkeys WHERE user_id = ? AND id = ? RETURNING 1`, []any{userID, id}
	default:
		return fmt.Errorf("sqlite: %s: unknown kind %q", op, kind)
	}
	return s.write(ctx, op, func(tx querier) error {
		var n int
		err := tx.QueryRowContext(ctx, `SELECT (SELECT count(*) FROM user_totp WHERE user_id = ? AND confirmed_at <> 0)
			+ (SELECT count(*) FROM passkeys WHERE user_id = ?)`, userID, userID).Scan(&n)
		if err != nil {
			return s.wrap(op, err)
		}
		var factor bool
		if err := tx.QueryRowContext(ctx, del, args...).Scan(&factor); err != nil {
			return s.wrap(op, err) // no row: ErrNotFound
		}
		if !factor {
			return nil // a pending authenticator: no factor
		}
		if keepOne && n <= 1 {
			return fmt.Errorf("sqlite: %s: %w", op, storage.ErrLastFactor) // rolled back
		}
		if n <= 1 {
			_, err = tx.ExecContext(ctx, `DELETE FROM recovery_codes WHERE user_id = ?`, userID)
		}
		return s.wrap(op, err)
	})
}

// DeleteSecondFactors deletes the user's authenticator (pending or
// confirmed), passkeys and recovery codes in one transaction.
func (s *Store) DeleteSecondFactors(ctx context.Context, userID string) error {
	const op = "delete second factors"
	return s.write(ctx, op, func(tx querier) error {
		for _, q := range []string{`DELETE FROM user_totp WHERE user_id = ?`, `DELETE FROM passkeys WHERE user_id = ?`,
			`DELETE FROM recovery_codes WHERE user_id = ?`} {
			if _, err := tx.ExecContext(ctx, q, userID); err != nil {
				return s.wrap(op, err)
			}
		}
		return nil
	})
}
