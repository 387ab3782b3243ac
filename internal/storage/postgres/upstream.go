package postgres

import (
	"context"
	"time"

	"github.com/hubauth/hubauth/internal/storage"
)

const upstreamLoginCols = `state_hash, provider, auth_request_id, user_code, next, link_user_id,
	force_login, max_age, created_at, expires_at`

func scanUpstreamLogin(sc scanner) (storage.UpstreamLogin, error) {
	var l storage.UpstreamLogin
	err := sc.Scan(&l.StateHash, &l.Provider, &l.AuthRequestID, &l.UserCode, &l.Next, &l.LinkUserID,
		&l.ForceLogin, &l.MaxAgeSeconds, timeCol{&l.CreatedAt}, timeCol{&l.ExpiresAt})
	return l, err
}

// CreateUpstreamLogin stores a sign-in under way; ErrAlreadyExists when the
// state hash is taken.
func (s *Store) CreateUpstreamLogin(ctx context.Context, l storage.UpstreamLogin) error {
	_, err := s.exec(ctx, "create upstream login", `INSERT INTO upstream_logins (`+upstreamLoginCols+`)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`, l.StateHash, l.Provider, l.AuthRequestID, l.UserCode,
		l.Next, l.LinkUserID, l.ForceLogin, l.MaxAgeSeconds, nanos(l.CreatedAt), nanos(l.ExpiresAt))
	return err
}

// ConsumeUpstreamLogin deletes the login of this state hash and returns it,
// in one statement: of concurrent callers, on any server, only the one
// whose DELETE removes the row gets it. An expired login is deleted too,
// and gives ErrNotFound.
func (s *Store) ConsumeUpstreamLogin(ctx context.Context, stateHash string, now time.Time) (storage.UpstreamLogin, error) {
	const op = "consume upstream login"
	l, err := scanUpstreamLogin(s.pool.QueryRow(ctx, `DELETE FROM upstream_logins
		WHERE state_hash = $1 RETURNING `+upstreamLoginCols, stateHash))
	if err != nil {
		return storage.UpstreamLogin{}, s.wrap(op, err)
	}
	if !l.ExpiresAt.After(now) {
		return storage.UpstreamLogin{}, notFound(op)
	}
	return l, nil
}
