package sqlite

import (
	"context"
	"time"

	"github.com/hubauth/hubauth/internal/storage"
)

const passkeyCols = `id, user_id, credential_id, public_key, attestation_type, transports, aaguid, sign_count,
	user_verified, backup_eligible, backup_state, name, created_at, last_used_at`

// scanPasskey reads a row of passkeyCols.
func scanPasskey(sc scanner) (storage.Passkey, error) {
	var p storage.Passkey
	err := sc.Scan(&p.ID, &p.UserID, &p.CredentialID, &p.PublicKey, &p.AttestationType, listCol{&p.Transports},
		&p.AAGUID, &p.SignCount, &p.UserVerified, &p.BackupEligible, &p.BackupState, &p.Name,
		timeCol{&p.CreatedAt}, timeCol{&p.LastUsedAt})
	return p, err
}

// CreatePasskey stores a new passkey, and recoveryHashes when the user
// has no recovery codes, in one write transaction.
func (s *Store) CreatePasskey(ctx context.Context, p storage.Passkey, recoveryHashes []string) (bool, error) {
	const op = "create passkey"
	saved := false
	err := s.write(ctx, op, func(tx querier) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO passkeys (`+passkeyCols+`)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, p.ID, p.UserID, p.CredentialID, p.PublicKey,
			p.AttestationType, list(p.Transports), nonNil(p.AAGUID), p.SignCount, p.UserVerified, p.BackupEligible,
			p.BackupState, p.Name, nanos(p.CreatedAt), nanos(p.LastUsedAt))
		if err != nil || len(recoveryHashes) == 0 {
			return s.wrap(op, err)
		}
		var has bool
		if err := tx.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM recovery_codes WHERE user_id = ?)`, p.UserID).Scan(&has); err != nil || has {
			return s.wrap(op, err)
		}
		saved = true
		return s.replaceRecoveryCodes(ctx, tx, op, p.UserID, recoveryHashes, p.CreatedAt)
	})
	return saved && err == nil, err
}

// ListPasskeys lists the user's passkeys, oldest first.
func (s *Store) ListPasskeys(ctx context.Context, userID string) ([]storage.Passkey, error) {
	rows, err := s.rq.QueryContext(ctx, `SELECT `+passkeyCols+` FROM passkeys WHERE user_id = ?
		ORDER BY created_at, id`, userID)
	out, err := scanAll(rows, err, scanPasskey)
	return out, s.wrap("list passkeys", err)
}

// GetPasskeyByCredential returns the passkey of credential id cred.
func (s *Store) GetPasskeyByCredential(ctx context.Context, cred []byte) (storage.Passkey, error) {
	p, err := scanPasskey(s.rq.QueryRowContext(ctx, `SELECT `+passkeyCols+` FROM passkeys
		WHERE credential_id = ?`, cred))
	return p, s.wrap("get passkey", err)
}

// RenamePasskey renames the user's passkey id.
func (s *Store) RenamePasskey(ctx context.Context, userID, id, name string) error {
	return s.execOne(ctx, "rename passkey", `UPDATE passkeys SET name = ? WHERE id = ? AND user_id = ?`, name, id, userID)
}

// UsePasskey moves the counter of passkey id from old to count in one
// statement; ErrNotFound when it is gone or its counter moved meanwhile.
func (s *Store) UsePasskey(ctx context.Context, id string, old, count uint32, backupState bool, now time.Time) error {
	return s.execOne(ctx, "use passkey", `UPDATE passkeys SET sign_count = ?, backup_state = ?, last_used_at = ?
		WHERE id = ? AND sign_count = ?`, count, backupState, nanos(now), id, old)
}

// CreatePasskeyCeremony stores a ceremony under way.
func (s *Store) CreatePasskeyCeremony(ctx context.Context, c storage.PasskeyCeremony) error {
	_, err := s.exec(ctx, "create passkey ceremony", `INSERT INTO passkey_ceremonies
		(token_hash, kind, user_id, owner, name, session, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
		c.TokenHash, c.Kind, c.UserID, c.Owner, c.Name, nonNil(c.Session), nanos(c.CreatedAt), nanos(c.ExpiresAt))
	return err
}

// ConsumePasskeyCeremony deletes the ceremony and returns it in one
// statement; ErrNotFound when unknown, of another kind or expired.
func (s *Store) ConsumePasskeyCeremony(ctx context.Context, tokenHash, kind string, now time.Time) (storage.PasskeyCeremony, error) {
	const op = "consume passkey ceremony"
	release, err := s.enter(ctx)
	if err != nil {
		return storage.PasskeyCeremony{}, s.wrap(op, err)
	}
	defer release()
	c := storage.PasskeyCeremony{TokenHash: tokenHash}
	err = s.wq.QueryRowContext(ctx, `DELETE FROM passkey_ceremonies WHERE token_hash = ? AND kind = ?
		RETURNING kind, user_id, owner, name, session, created_at, expires_at`, tokenHash, kind).Scan(
		&c.Kind, &c.UserID, &c.Owner, &c.Name, &c.Session, timeCol{&c.CreatedAt}, timeCol{&c.ExpiresAt})
	if err != nil {
		return storage.PasskeyCeremony{}, s.wrap(op, err)
	}
	if !c.ExpiresAt.After(now) {
		return storage.PasskeyCeremony{}, notFound(op)
	}
	return c, nil
}

// nonNil keeps NOT NULL blob columns from a nil slice.
func nonNil(b []byte) []byte {
	if b == nil {
		return []byte{}
	}
	return b
}
