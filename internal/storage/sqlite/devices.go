package sqlite

import (
	"context"

	"github.com/hubauth/hubauth/internal/storage"
)

const deviceAuthCols = `device_code_hash, user_code, client_id, scopes, state, user_id,
	auth_time, amr, created_at, expires_at, session_name, resources`

func scanDeviceAuth(sc scanner) (storage.DeviceAuth, error) {
	var d storage.DeviceAuth
	err := sc.Scan(&d.DeviceCodeHash, &d.UserCode, &d.ClientID, listCol{&d.Scopes}, &d.State,
		&d.UserID, timeCol{&d.AuthTime}, listCol{&d.AMR}, timeCol{&d.CreatedAt}, timeCol{&d.ExpiresAt}, &d.SessionName,
		listCol{&d.Resources})
	return d, err
}

// CreateDeviceAuth stores a new device authorization. A user code is unique
// among stored rows: a row holding it that expired by d.CreatedAt is
// replaced, a live one gives ErrAlreadyExists (as does a taken device code).
func (s *Store) CreateDeviceAuth(ctx context.Context, d storage.DeviceAuth) error {
	const op = "create device auth"
	return s.write(ctx, op, func(tx querier) error {
		_, err := tx.ExecContext(ctx, `DELETE FROM device_auths WHERE user_code = ? AND expires_at <= ?`,
			d.UserCode, nanos(d.CreatedAt))
		if err != nil {
			return s.wrap(op, err)
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO device_auths (`+deviceAuthCols+`)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			d.DeviceCodeHash, d.UserCode, d.ClientID, list(d.Scopes), d.State, d.UserID,
			nanos(d.AuthTime), list(d.AMR), nanos(d.CreatedAt), nanos(d.ExpiresAt), d.SessionName,
			list(d.Resources))
		return s.wrap(op, err)
	})
}

// GetDeviceAuthByDeviceCode returns the authorization whose device code has
// this hash, expired or not.
func (s *Store) GetDeviceAuthByDeviceCode(ctx context.Context, deviceCodeHash string) (storage.DeviceAuth, error) {
	return s.getDeviceAuth(ctx, s.rq, `device_code_hash = ?`, deviceCodeHash)
}

// GetDeviceAuthByUserCode returns the authorization with this (normalized)
// user code, expired or not.
func (s *Store) GetDeviceAuthByUserCode(ctx context.Context, userCode string) (storage.DeviceAuth, error) {
	return s.getDeviceAuth(ctx, s.rq, `user_code = ?`, userCode)
}

func (s *Store) getDeviceAuth(ctx context.Context, q querier, where string, arg any) (storage.DeviceAuth, error) {
	d, err := scanDeviceAuth(q.QueryRowContext(ctx,
		`SELECT `+deviceAuthCols+` FROM device_auths WHERE `+where, arg))
	return d, s.wrap("get device auth", err)
}

// UpdateDeviceAuth applies update to the authorization with this user code
// inside one write transaction, like UpdateUser. The device and user codes
// cannot change.
func (s *Store) UpdateDeviceAuth(ctx context.Context, userCode string, update func(storage.DeviceAuth) (storage.DeviceAuth, error)) error {
	const op = "update device auth"
	return s.write(ctx, op, func(tx querier) error {
		old, err := s.getDeviceAuth(ctx, tx, `user_code = ?`, userCode)
		if err != nil {
			return err
		}
		d, err := update(old)
		if err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `UPDATE device_auths SET client_id = ?, scopes = ?, state = ?,
			user_id = ?, auth_time = ?, amr = ?, created_at = ?, expires_at = ? WHERE device_code_hash = ?`,
			d.ClientID, list(d.Scopes), d.State, d.UserID, nanos(d.AuthTime), list(d.AMR),
			nanos(d.CreatedAt), nanos(d.ExpiresAt), old.DeviceCodeHash)
		return s.wrap(op, err)
	})
}

// ConsumeDeviceAuth moves an approved authorization to consumed in one
// statement and returns it; ErrNotFound unless it was approved, so a device
// code is exchanged once. Expiry is the caller's to check.
func (s *Store) ConsumeDeviceAuth(ctx context.Context, deviceCodeHash string) (storage.DeviceAuth, error) {
	const op = "consume device auth"
	release, err := s.enter(ctx)
	if err != nil {
		return storage.DeviceAuth{}, s.wrap(op, err)
	}
	defer release()
	d, err := scanDeviceAuth(s.wq.QueryRowContext(ctx, `UPDATE device_auths SET state = ?
		WHERE device_code_hash = ? AND state = ? RETURNING `+deviceAuthCols,
		storage.DeviceConsumed, deviceCodeHash, storage.DeviceApproved))
	return d, s.wrap(op, err)
}
