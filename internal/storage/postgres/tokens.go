package postgres

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/hubauth/hubauth/internal/storage"
)

const personalTokenCols = `id, user_id, name, description, hash, scopes, created_at, expires_at, last_used_at, revoked_at`

func scanPersonalToken(sc scanner) (storage.PersonalToken, error) {
	var p storage.PersonalToken
	err := sc.Scan(&p.ID, &p.UserID, &p.Name, &p.Description, &p.Hash, listCol{&p.Scopes},
		timeCol{&p.CreatedAt}, timeCol{&p.ExpiresAt}, timeCol{&p.LastUsedAt}, timeCol{&p.RevokedAt})
	return p, err
}

// CreatePersonalToken stores a new personal token; ErrAlreadyExists when the
// user has a token of that name that is not revoked, or the id or hash is
// taken.
func (s *Store) CreatePersonalToken(ctx context.Context, p storage.PersonalToken) error {
	_, err := s.exec(ctx, "create personal token", `INSERT INTO personal_tokens (`+personalTokenCols+`)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
		p.ID, p.UserID, p.Name, p.Description, p.Hash, list(p.Scopes),
		nanos(p.CreatedAt), nanos(p.ExpiresAt), nanos(p.LastUsedAt), nanos(p.RevokedAt))
	return err
}

// GetPersonalTokenByHash returns the token with this hash; ErrNotFound when
// unknown, revoked or expired at now. A zero ExpiresAt never expires.
func (s *Store) GetPersonalTokenByHash(ctx context.Context, hash string, now time.Time) (storage.PersonalToken, error) {
	p, err := scanPersonalToken(s.pool.QueryRow(ctx, `SELECT `+personalTokenCols+` FROM personal_tokens
		WHERE hash = $1 AND revoked_at = 0 AND (expires_at = 0 OR expires_at > $2)`, hash, nanos(now)))
	return p, s.wrap("get personal token", err)
}

// GetPersonalToken returns a user's token, revoked or expired ones
// included; ErrNotFound when unknown or another user's.
func (s *Store) GetPersonalToken(ctx context.Context, userID, id string) (storage.PersonalToken, error) {
	return s.getPersonalToken(ctx, s.pool, ``, userID, id)
}

// getPersonalToken reads one token; lock may be FOR UPDATE.
func (s *Store) getPersonalToken(ctx context.Context, q querier, lock, userID, id string) (storage.PersonalToken, error) {
	p, err := scanPersonalToken(q.QueryRow(ctx, `SELECT `+personalTokenCols+` FROM personal_tokens
		WHERE id = $1 AND user_id = $2 `+lock, id, userID))
	return p, s.wrap("get personal token", err)
}

// ListPersonalTokens lists a user's tokens that are not revoked, expired
// ones included, newest first.
func (s *Store) ListPersonalTokens(ctx context.Context, userID string) ([]storage.PersonalToken, error) {
	return s.listPersonalTokens(ctx, userID, `AND revoked_at = 0`)
}

// ListAllPersonalTokens lists a user's tokens, revoked ones included,
// newest first.
func (s *Store) ListAllPersonalTokens(ctx context.Context, userID string) ([]storage.PersonalToken, error) {
	return s.listPersonalTokens(ctx, userID, ``)
}

func (s *Store) listPersonalTokens(ctx context.Context, userID, and string) ([]storage.PersonalToken, error) {
	rows, err := s.pool.Query(ctx, `SELECT `+personalTokenCols+` FROM personal_tokens
		WHERE user_id = $1 `+and+` ORDER BY created_at DESC, id COLLATE "C" DESC`, userID)
	ps, err := scanAll(rows, err, scanPersonalToken)
	return ps, s.wrap("list personal tokens", err)
}

// UpdatePersonalToken applies update to a user's token inside one
// transaction holding its row lock; the ID and UserID cannot change.
func (s *Store) UpdatePersonalToken(ctx context.Context, userID, id string, update func(storage.PersonalToken) (storage.PersonalToken, error)) error {
	const op = "update personal token"
	return s.writeRetried(ctx, op, func(tx pgx.Tx) error {
		old, err := s.getPersonalToken(ctx, tx, `FOR UPDATE`, userID, id)
		if err != nil {
			return err
		}
		p, err := update(old)
		if err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `UPDATE personal_tokens SET name = $1, description = $2, hash = $3,
			scopes = $4, created_at = $5, expires_at = $6, last_used_at = $7, revoked_at = $8 WHERE id = $9`,
			p.Name, p.Description, p.Hash, list(p.Scopes), nanos(p.CreatedAt), nanos(p.ExpiresAt),
			nanos(p.LastUsedAt), nanos(p.RevokedAt), id)
		if err != nil {
			return s.wrap(op, err)
		}
		if at, ends := storage.EndsExchanged(old, p); ends {
			err = s.revokeTokenTree(ctx, tx, op, id, at)
		}
		return err
	})
}

// TouchPersonalTokens moves each token's LastUsedAt forward to its use,
// all in one statement; unknown ids are skipped.
func (s *Store) TouchPersonalTokens(ctx context.Context, uses []storage.TokenUse) error {
	if len(uses) == 0 {
		return nil
	}
	ids, ats := make([]string, len(uses)), make([]int64, len(uses))
	for i, u := range uses {
		ids[i], ats[i] = u.ID, nanos(u.At)
	}
	_, err := s.exec(ctx, "touch personal tokens", `UPDATE personal_tokens AS p SET last_used_at = u.at
		FROM unnest($1::text[], $2::bigint[]) AS u(id, at) WHERE p.id = u.id AND p.last_used_at < u.at`, ids, ats)
	return err
}

// DeletePersonalToken deletes a user's token and revokes, in the same
// transaction and at the time of the call, the sessions exchanged from it;
// ErrNotFound when the token does not exist or belongs to another user.
func (s *Store) DeletePersonalToken(ctx context.Context, userID, id string) error {
	const op = "delete personal token"
	return s.writeRetried(ctx, op, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `DELETE FROM personal_tokens WHERE id = $1 AND user_id = $2`, id, userID)
		if err != nil {
			return s.wrap(op, err)
		}
		if tag.RowsAffected() == 0 {
			return notFound(op)
		}
		return s.revokeTokenTree(ctx, tx, op, id, time.Now().UTC())
	})
}

// revokeTokenTree revokes at now the sessions exchanged from personal
// token id, directly or through others, locking them first.
func (s *Store) revokeTokenTree(ctx context.Context, tx pgx.Tx, op, id string, now time.Time) error {
	parent := storage.PersonalTokenParent(id)
	if err := s.lockSessionTrees(ctx, tx, op, `SELECT $1::text`, parent); err != nil {
		return err
	}
	_, err := s.revokeExchanged(ctx, tx, op, []string{parent}, now)
	return err
}

// insertAudit appends an audit event; the database numbers it.
const insertAudit = `INSERT INTO audit_events (time, type, user_id, client_id, address, detail)
	VALUES ($1, $2, $3, $4, $5, $6)`

// AppendAudit appends e to the audit log; the store numbers it and ignores
// e.ID.
func (s *Store) AppendAudit(ctx context.Context, e storage.AuditEvent) error {
	_, err := s.exec(ctx, "append audit", insertAudit,
		nanos(e.Time), e.Type, e.UserID, e.ClientID, e.Address, e.Detail)
	return err
}

// ListAudit lists at most limit events, newest (by Time, then by order of
// appending) first. A limit of 0 or less lists none.
func (s *Store) ListAudit(ctx context.Context, limit int) ([]storage.AuditEvent, error) {
	if limit <= 0 {
		return []storage.AuditEvent{}, nil
	}
	rows, err := s.pool.Query(ctx, `SELECT id, time, type, user_id, client_id, address, detail
		FROM audit_events ORDER BY time DESC, id DESC LIMIT $1`, limit)
	es, err := scanAll(rows, err, func(sc scanner) (storage.AuditEvent, error) {
		var e storage.AuditEvent
		err := sc.Scan(&e.ID, timeCol{&e.Time}, &e.Type, &e.UserID, &e.ClientID, &e.Address, &e.Detail)
		return e, err
	})
	return es, s.wrap("list audit", err)
}
