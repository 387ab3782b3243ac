package sqlite

import (
	"context"
	"time"

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
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		p.ID, p.UserID, p.Name, p.Description, p.Hash, list(p.Scopes),
		nanos(p.CreatedAt), nanos(p.ExpiresAt), nanos(p.LastUsedAt), nanos(p.RevokedAt))
	return err
}

// GetPersonalTokenByHash returns the token with this hash; ErrNotFound when
// unknown, revoked or expired at now. A zero ExpiresAt never expires.
func (s *Store) GetPersonalTokenByHash(ctx context.Context, hash string, now time.Time) (storage.PersonalToken, error) {
	p, err := scanPersonalToken(s.rq.QueryRowContext(ctx, `SELECT `+personalTokenCols+` FROM personal_tokens
		WHERE hash = ? AND revoked_at = 0 AND (expires_at = 0 OR expires_at > ?)`, hash, nanos(now)))
	return p, s.wrap("get personal token", err)
}

// GetPersonalToken returns a user's token, revoked or expired ones
// included; ErrNotFound when unknown or another user's.
func (s *Store) GetPersonalToken(ctx context.Context, userID, id string) (storage.PersonalToken, error) {
	return s.getPersonalToken(ctx, s.rq, userID, id)
}

func (s *Store) getPersonalToken(ctx context.Context, q querier, userID, id string) (storage.PersonalToken, error) {
	p, err := scanPersonalToken(q.QueryRowContext(ctx, `SELECT `+personalTokenCols+` FROM personal_tokens
		WHERE id = ? AND user_id = ?`, id, userID))
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
	rows, err := s.rq.QueryContext(ctx, `SELECT `+personalTokenCols+` FROM personal_tokens
		WHERE user_id = ? `+and+` ORDER BY created_at DESC, id DESC`, userID)
	ps, err := scanAll(rows, err, scanPersonalToken)
	return ps, s.wrap("list personal tokens", err)
}

// UpdatePersonalToken applies update to a user's token inside one write
// transaction; the ID and UserID cannot change.
func (s *Store) UpdatePersonalToken(ctx context.Context, userID, id string, update func(storage.PersonalToken) (storage.PersonalToken, error)) error {
	const op = "update personal token"
	return s.write(ctx, op, func(tx querier) error {
		old, err := s.getPersonalToken(ctx, tx, userID, id)
		if err != nil {
			return err
		}
		p, err := update(old)
		if err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `UPDATE personal_tokens SET name = ?, description = ?, hash = ?,
			scopes = ?, created_at = ?, expires_at = ?, last_used_at = ?, revoked_at = ? WHERE id = ?`,
			p.Name, p.Description, p.Hash, list(p.Scopes), nanos(p.CreatedAt), nanos(p.ExpiresAt),
			nanos(p.LastUsedAt), nanos(p.RevokedAt), id)
		if err != nil {
			return s.wrap(op, err)
		}
		if at, ends := storage.EndsExchanged(old, p); ends {
			_, err = s.revokeExchanged(ctx, tx, op, []string{storage.PersonalTokenParent(id)}, at)
		}
		return err
	})
}

// TouchPersonalTokens moves each token's LastUsedAt forward to its use,
// all in one transaction; unknown ids are skipped.
func (s *Store) TouchPersonalTokens(ctx context.Context, uses []storage.TokenUse) error {
	const op = "touch personal tokens"
	if len(uses) == 0 {
		return nil
	}
	return s.write(ctx, op, func(tx querier) error {
		for _, u := range uses {
			_, err := tx.ExecContext(ctx, `UPDATE personal_tokens SET last_used_at = ? WHERE id = ? AND last_used_at < ?`,
				nanos(u.At), u.ID, nanos(u.At))
			if err != nil {
				return s.wrap(op, err)
			}
		}
		return nil
	})
}

// DeletePersonalToken deletes a user's token and revokes, in the same
// transaction and at the time of the call, the sessions exchanged from it;
// ErrNotFound when the token does not exist or belongs to another user.
func (s *Store) DeletePersonalToken(ctx context.Context, userID, id string) error {
	const op = "delete personal token"
	return s.write(ctx, op, func(tx querier) error {
		err := s.execOneIn(ctx, tx, op, `DELETE FROM personal_tokens WHERE id = ? AND user_id = ?`, id, userID)
		if err != nil {
			return err
		}
		_, err = s.revokeExchanged(ctx, tx, op, []string{storage.PersonalTokenParent(id)}, time.Now().UTC())
		return err
	})
}

// AppendAudit appends e to the audit log; the store numbers it and ignores
// e.ID.
func (s *Store) AppendAudit(ctx context.Context, e storage.AuditEvent) error {
	return s.appendAudit(ctx, s.w, "append audit", e)
}

func (s *Store) appendAudit(ctx context.Context, q querier, op string, e storage.AuditEvent) error {
	_, err := q.ExecContext(ctx, `INSERT INTO audit_events (time, type, user_id, client_id, address, detail)
		VALUES (?, ?, ?, ?, ?, ?)`, nanos(e.Time), e.Type, e.UserID, e.ClientID, e.Address, e.Detail)
	return s.wrap(op, err)
}

// ListAudit lists at most limit events, newest (by Time, then by order of
// appending) first. A limit of 0 or less lists none.
func (s *Store) ListAudit(ctx context.Context, limit int) ([]storage.AuditEvent, error) {
	if limit <= 0 {
		return []storage.AuditEvent{}, nil
	}
	rows, err := s.rq.QueryContext(ctx, `SELECT id, time, type, user_id, client_id, address, detail
		FROM audit_events ORDER BY time DESC, id DESC LIMIT ?`, limit)
	es, err := scanAll(rows, err, func(sc scanner) (storage.AuditEvent, error) {
		var e storage.AuditEvent
		err := sc.Scan(&e.ID, timeCol{&e.Time}, &e.Type, &e.UserID, &e.ClientID, &e.Address, &e.Detail)
		return e, err
	})
	return es, s.wrap("list audit", err)
}
