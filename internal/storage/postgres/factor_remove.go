package postgres

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/hubauth/hubauth/internal/storage"
)

// DeleteFactorUnlessLast removes one of the user's second factors unless
// keepOne and it is the last, and the recovery codes with the last, in
// one transaction that first locks the user's row (SELECT … FOR UPDATE),
// so two removals at once are serialised.
func (s *Store) DeleteFactorUnlessLast(ctx context.Context, userID, kind, id string, keepOne bool) error {
	const op = "delete second factor"
	var del string
	var args []any
	switch kind {
	case storage.FactorTOTP:
		del, args = `DELETE FROM user_totp WHERE user_id = $1 RETURNING confirmed_at <> 0`, []any{userID}
	case storage.FactorPasskey:
		del, args = `DELETE FROM passkeys WHERE user_id = $1 AND id = $2 RETURNING true`, []any{userID, id}
	default:
		return fmt.Errorf("postgres: %s: unknown kind %q", op, kind)
	}
	return s.write(ctx, op, func(tx pgx.Tx) error {
		if err := lockUser(ctx, tx, userID); err != nil {
			return s.wrap(op, err) // no such user: ErrNotFound
		}
		var n int64
		err := tx.QueryRow(ctx, `SELECT (SELECT count(*) FROM user_totp WHERE user_id = $1 AND confirmed_at <> 0)
			+ (SELECT count(*) FROM passkeys WHERE user_id = $1)`, userID).Scan(&n)
		if err != nil {
			return s.wrap(op, err)
		}
		var factor bool
		if err := tx.QueryRow(ctx, del, args...).Scan(&factor); err != nil {
			return s.wrap(op, err) // no row: ErrNotFound
		}
		if !factor {
			return nil // a pending authenticator: no factor
		}
		if keepOne && n <= 1 {
			return fmt.Errorf("postgres: %s: %w", op, storage.ErrLastFactor) // rolled back
		}
		if n <= 1 {
			_, err = tx.Exec(ctx, `DELETE FROM recovery_codes WHERE user_id = $1`, userID)
		}
		return s.wrap(op, err)
	})
}

// lockUser locks the user's row until the transaction ends: the changes
// of a user's second factors that count them first are serialised by it.
func lockUser(ctx context.Context, tx pgx.Tx, userID string) error {
	var id string
	return tx.QueryRow(ctx, `SELECT id FROM users WHERE id = $1 FOR UPDATE`, userID).Scan(&id)
}

// DeleteSecondFactors deletes the user's authenticator (pending or
// confirmed), passkeys and recovery codes in one transaction.
func (s *Store) DeleteSecondFactors(ctx context.Context, userID string) error {
	const op = "delete second factors"
	return s.write(ctx, op, func(tx pgx.Tx) error {
		for _, q := range []string{`DELETE FROM user_totp WHERE user_id = $1`, `DELETE FROM passkeys WHERE user_id = $1`,
			`DELETE FROM recovery_codes WHERE user_id = $1`} {
			if _, err := tx.Exec(ctx, q, userID); err != nil {
				return s.wrap(op, err)
			}
		}
		return nil
	})
}
