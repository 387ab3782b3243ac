package postgres

import (
	"context"
	"time"

	"github.com/hubauth/hubauth/internal/storage"
)

const personalTokenCols = `id, user_id, name, hash, scopes, created_at, expires_at, last_used_at`

func scanPersonalToken(sc scanner) (storage.PersonalToken, error) {
	var p storage.PersonalToken
	err := sc.Scan(&p.ID, &p.UserID, &p.Name, &p.Hash, listCol{&p.Scopes},
		timeCol{&p.CreatedAt}, timeCol{&p.ExpiresAt}, timeCol{&p.LastUsedAt})
	return p, err
}

// CreatePersonalToken stores a new personal token; ErrAlreadyExists when the
// user has a token of that name, or the id or hash is taken.
func (s *Store) CreatePersonalToken(ctx context.Context, p storage.PersonalToken) error {
	_, err := s.exec(ctx, "create personal token", `INSERT INTO personal_tokens (`+personalTokenCols+`)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
		p.ID, p.UserID, p.Name, p.Hash, list(p.Scopes), nanos(p.CreatedAt), nanos(p.ExpiresAt), nanos(p.LastUsedAt))
	return err
}

// GetPersonalTokenByHash returns the token with this hash; ErrNotFound when
// unknown or expired at now. A zero ExpiresAt never expires.
func (s *Store) GetPersonalTokenByHash(ctx context.Context, hash string, now time.Time) (storage.PersonalToken, error) {
	p, err := scanPersonalToken(s.pool.QueryRow(ctx, `SELECT `+personalTokenCols+` FROM personal_tokens
		WHERE hash = $1 AND (expires_at = 0 OR expires_at > $2)`, hash, nanos(now)))
	return p, s.wrap("get personal token", err)
}

// ListPersonalTokens lists a user's tokens, expired ones included, newest
// first.
func (s *Store) ListPersonalTokens(ctx context.Context, userID string) ([]storage.PersonalToken, error) {
	rows, err := s.pool.Query(ctx, `SELECT `+personalTokenCols+` FROM personal_tokens
		WHERE user_id = $1 ORDER BY created_at DESC, id COLLATE "C" DESC`, userID)
	ps, err := scanAll(rows, err, scanPersonalToken)
	return ps, s.wrap("list personal tokens", err)
}

// TouchPersonalToken sets the token's LastUsedAt to now; ErrNotFound when
// unknown.
func (s *Store) TouchPersonalToken(ctx context.Context, id string, now time.Time) error {
	return s.execOne(ctx, "touch personal token",
		`UPDATE personal_tokens SET last_used_at = $1 WHERE id = $2`, nanos(now), id)
}

// DeletePersonalToken deletes a user's token; ErrNotFound when the token does
// not exist or belongs to another user.
func (s *Store) DeletePersonalToken(ctx context.Context, userID, id string) error {
	return s.execOne(ctx, "delete personal token",
		`DELETE FROM personal_tokens WHERE id = $1 AND user_id = $2`, id, userID)
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
