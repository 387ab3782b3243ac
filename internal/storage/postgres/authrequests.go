package postgres

import (
	"github.com/jackc/pgx/v5"

	"context"
	"fmt"
	"strings"
	"time"

	"github.com/hubauth/hubauth/internal/storage"
)

const authRequestCols = `id, client_id, redirect_uri, scopes, state, nonce, response_type,
	response_mode, code_challenge, code_challenge_method, prompt, max_age_seconds, login_hint,
	user_id, auth_time, amr, browser_session_id, done, code_hash, code_used_at,
	issued_session_id, issued_token_id, created_at, expires_at, session_name, acr_values,
	resources`

var (
	// authRequestValues is "$1, …, $25" for an INSERT of authRequestCols.
	authRequestValues = placeholders(1, len(strings.Split(authRequestCols, ",")))
	// authRequestSet assigns every column but id from $1, … in
	// authRequestCols order; the id is the last parameter.
	authRequestSet = assignments(strings.TrimPrefix(authRequestCols, "id,"))
)

// placeholders returns "$from, …, $(from+n-1)".
func placeholders(from, n int) string {
	ps := make([]string, n)
	for i := range ps {
		ps[i] = fmt.Sprintf("$%d", from+i)
	}
	return strings.Join(ps, ", ")
}

// assignments turns a column list "a, b" into "a = $1, b = $2" for UPDATE.
func assignments(cols string) string {
	names := strings.Split(cols, ",")
	for i, n := range names {
		names[i] = fmt.Sprintf("%s = $%d", strings.TrimSpace(n), i+1)
	}
	return strings.Join(names, ", ")
}

func scanAuthRequest(sc scanner) (storage.AuthRequest, error) {
	var a storage.AuthRequest
	err := sc.Scan(&a.ID, &a.ClientID, &a.RedirectURI, listCol{&a.Scopes}, &a.State, &a.Nonce,
		&a.ResponseType, &a.ResponseMode, &a.CodeChallenge, &a.CodeChallengeMethod,
		listCol{&a.Prompt}, &a.MaxAgeSeconds, &a.LoginHint, &a.UserID, timeCol{&a.AuthTime},
		listCol{&a.AMR}, &a.BrowserSessionID, &a.Done, &a.CodeHash, timeCol{&a.CodeUsedAt},
		&a.IssuedSessionID, &a.IssuedTokenID, timeCol{&a.CreatedAt}, timeCol{&a.ExpiresAt}, &a.SessionName,
		listCol{&a.ACRValues}, listCol{&a.Resources})
	return a, err
}

// authRequestArgs lists a's columns in authRequestCols order.
func authRequestArgs(a storage.AuthRequest) []any {
	return []any{a.ID, a.ClientID, a.RedirectURI, list(a.Scopes), a.State, a.Nonce,
		a.ResponseType, a.ResponseMode, a.CodeChallenge, a.CodeChallengeMethod,
		list(a.Prompt), a.MaxAgeSeconds, a.LoginHint, a.UserID, nanos(a.AuthTime),
		list(a.AMR), a.BrowserSessionID, a.Done, a.CodeHash, nanos(a.CodeUsedAt),
		a.IssuedSessionID, a.IssuedTokenID, nanos(a.CreatedAt), nanos(a.ExpiresAt), a.SessionName,
		list(a.ACRValues), list(a.Resources)}
}

// CreateAuthRequest stores a new authorization request; ErrAlreadyExists
// when the id (or a non-empty CodeHash) is taken.
func (s *Store) CreateAuthRequest(ctx context.Context, a storage.AuthRequest) error {
	_, err := s.exec(ctx, "create auth request",
		`INSERT INTO auth_requests (`+authRequestCols+`) VALUES (`+authRequestValues+`)`,
		authRequestArgs(a)...)
	return err
}

// GetAuthRequest returns the authorization request with this id, expired or
// not.
func (s *Store) GetAuthRequest(ctx context.Context, id string) (storage.AuthRequest, error) {
	return s.getAuthRequest(ctx, s.pool, `WHERE id = $1`, id)
}

// getAuthRequest reads one request; where may end in FOR UPDATE.
func (s *Store) getAuthRequest(ctx context.Context, q querier, where string, arg any) (storage.AuthRequest, error) {
	a, err := scanAuthRequest(q.QueryRow(ctx, `SELECT `+authRequestCols+` FROM auth_requests `+where, arg))
	return a, s.wrap("get auth request", err)
}

// UpdateAuthRequest applies update to the stored request inside one
// transaction holding its row lock, like UpdateUser. The ID cannot change;
// ErrAlreadyExists when the new CodeHash is another request's.
func (s *Store) UpdateAuthRequest(ctx context.Context, id string, update func(storage.AuthRequest) (storage.AuthRequest, error)) error {
	const op = "update auth request"
	return s.write(ctx, op, func(tx pgx.Tx) error {
		old, err := s.getAuthRequest(ctx, tx, `WHERE id = $1 FOR UPDATE`, id)
		if err != nil {
			return err
		}
		a, err := update(old)
		if err != nil {
			return err
		}
		args := append(authRequestArgs(a)[1:], id)
		_, err = tx.Exec(ctx, `UPDATE auth_requests SET `+authRequestSet+
			fmt.Sprintf(` WHERE id = $%d`, len(args)), args...)
		return s.wrap(op, err)
	})
}

// ConsumeAuthCode marks the code with this hash used at now and returns the
// request as it was before, with replay false. A code used before is
// returned as stored, with replay true; an unknown code gives ErrNotFound.
// An error from check leaves the code unused.
// The row is locked, so of two simultaneous exchanges one sees a replay.
// Expiry is the caller's to check.
func (s *Store) ConsumeAuthCode(ctx context.Context, codeHash string, now time.Time, check func(storage.AuthRequest) error) (a storage.AuthRequest, replay bool, err error) {
	const op = "consume auth code"
	err = s.write(ctx, op, func(tx pgx.Tx) error {
		if a, err = s.getAuthRequest(ctx, tx, `WHERE code_hash = $1 AND code_hash <> '' FOR UPDATE`, codeHash); err != nil {
			return err
		}
		if !a.CodeUsedAt.IsZero() {
			replay = true
			return nil
		}
		if check != nil {
			if err := check(a); err != nil {
				return err
			}
		}
		_, err := tx.Exec(ctx, `UPDATE auth_requests SET code_used_at = $1 WHERE id = $2`, nanos(now), a.ID)
		return s.wrap(op, err)
	})
	if err != nil {
		return storage.AuthRequest{}, false, err
	}
	return a, replay, nil
}

// DeleteAuthRequest deletes the request; ErrNotFound when there is none.
func (s *Store) DeleteAuthRequest(ctx context.Context, id string) error {
	return s.execOne(ctx, "delete auth request", `DELETE FROM auth_requests WHERE id = $1`, id)
}
