package postgres

import (
	"context"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/hubauth/hubauth/internal/storage"
)

const identityCols = `provider, subject, user_id, created_at, last_login_at`

const insertIdentity = `INSERT INTO user_identities (` + identityCols + `) VALUES ($1, $2, $3, $4, $5)`

func scanIdentity(sc scanner) (storage.UserIdentity, error) {
	var id storage.UserIdentity
	err := sc.Scan(&id.Provider, &id.Subject, &id.UserID, timeCol{&id.CreatedAt}, timeCol{&id.LastLoginAt})
	return id, err
}

// identityArgs are id's values in identityCols order.
func identityArgs(id storage.UserIdentity) []any {
	return []any{id.Provider, id.Subject, id.UserID, nanos(id.CreatedAt), nanos(id.LastLoginAt)}
}

// CreateUserIdentity links an identity to an existing user: ErrAlreadyExists
// when it is linked already, ErrNotFound when the user or the provider is
// unknown (a foreign key).
func (s *Store) CreateUserIdentity(ctx context.Context, id storage.UserIdentity) error {
	_, err := s.exec(ctx, "create user identity", insertIdentity, identityArgs(id)...)
	return err
}

// ProvisionUser creates u with identity id (linked to u whatever id.UserID
// says) in one transaction, so that either both exist or neither. Two
// transactions inserting the same username or identity meet on the unique
// index: the second waits for the first and fails if it commits.
func (s *Store) ProvisionUser(ctx context.Context, u storage.User, id storage.UserIdentity) error {
	const op = "provision user"
	id.UserID = u.ID
	return s.write(ctx, op, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `INSERT INTO users (`+userCols+`) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
			u.ID, u.Username, u.Name, u.Email, u.EmailVerified, u.PasswordHash, u.Admin, u.Disabled, nanos(u.CreatedAt))
		if err != nil {
			return s.wrap(op, err)
		}
		_, err = tx.Exec(ctx, insertIdentity, identityArgs(id)...)
		return s.wrap(op, err)
	})
}

// GetUserIdentity returns the identity (provider, subject).
func (s *Store) GetUserIdentity(ctx context.Context, provider, subject string) (storage.UserIdentity, error) {
	id, err := scanIdentity(s.pool.QueryRow(ctx, `SELECT `+identityCols+` FROM user_identities
		WHERE provider = $1 AND subject = $2`, provider, subject))
	return id, s.wrap("get user identity", err)
}

// ListUserIdentities lists a user's identities sorted by provider then
// subject (bytewise, whatever the database's collation).
func (s *Store) ListUserIdentities(ctx context.Context, userID string) ([]storage.UserIdentity, error) {
	ids, err := s.listIdentities(ctx, s.pool, userID)
	return ids, s.wrap("list user identities", err)
}

func (s *Store) listIdentities(ctx context.Context, q querier, userID string) ([]storage.UserIdentity, error) {
	rows, err := q.Query(ctx, `SELECT `+identityCols+` FROM user_identities
		WHERE user_id = $1 ORDER BY provider COLLATE "C", subject COLLATE "C"`, userID)
	return scanAll(rows, err, scanIdentity)
}

// CountProviderIdentities counts the identities linked through provider
// (the primary key's prefix).
func (s *Store) CountProviderIdentities(ctx context.Context, provider string) (int, error) {
	var n int
	err := s.pool.QueryRow(ctx, `SELECT count(*) FROM user_identities WHERE provider = $1`, provider).Scan(&n)
	return n, s.wrap("count provider identities", err)
}

// TouchUserIdentity sets the identity's LastLoginAt to now.
func (s *Store) TouchUserIdentity(ctx context.Context, provider, subject string, now time.Time) error {
	return s.execOne(ctx, "touch user identity", `UPDATE user_identities SET last_login_at = $1
		WHERE provider = $2 AND subject = $3`, nanos(now), provider, subject)
}

// DeleteUserIdentity unlinks a user's identity in one transaction that
// holds the user's row lock (SELECT … FOR UPDATE): two unlinks of the same
// user's identities run one after the other, so the second's check sees
// the first's result and both cannot pass storage.CheckUnlink.
func (s *Store) DeleteUserIdentity(ctx context.Context, userID, provider, subject string, check func(storage.User, []storage.UserIdentity) error) error {
	const op = "delete user identity"
	return s.write(ctx, op, func(tx pgx.Tx) error {
		u, err := s.getUser(ctx, tx, `WHERE id = $1 FOR UPDATE`, userID)
		if err != nil {
			return err
		}
		ids, err := s.listIdentities(ctx, tx, userID)
		if err != nil {
			return s.wrap(op, err)
		}
		if !hasIdentity(ids, provider, subject) {
			return notFound(op)
		}
		if check != nil {
			if err := check(u, ids); err != nil {
				return err
			}
		}
		_, err = tx.Exec(ctx, `DELETE FROM user_identities WHERE provider = $1 AND subject = $2`, provider, subject)
		return s.wrap(op, err)
	})
}

// hasIdentity reports whether ids holds the identity (provider, subject).
func hasIdentity(ids []storage.UserIdentity, provider, subject string) bool {
	return slices.ContainsFunc(ids, func(id storage.UserIdentity) bool {
		return id.Provider == provider && id.Subject == subject
	})
}
