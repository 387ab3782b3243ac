package sqlite

import (
	"context"

	"github.com/hubauth/hubauth/internal/storage"
)

// liveToken is the condition on an access token's id and session (the
// session's id twice, empty for none) that GetLiveAccessToken adds.
const liveToken = ` AND NOT EXISTS (SELECT 1 FROM revoked_access_tokens WHERE id = ?)
	AND (? = '' OR EXISTS (SELECT 1 FROM sessions WHERE id = ? AND revoked_at = 0))`

var (
	liveUserToken = `SELECT ` + prefixed("c.", clientCols) + `, ` + memberCols + `
		FROM clients c JOIN users u ON u.id = ?
		WHERE c.id = ? AND c.disabled = 0 AND u.disabled = 0` + liveToken
	liveServiceToken = `SELECT ` + prefixed("c.", clientCols) + `
		FROM clients c WHERE c.id = ? AND c.disabled = 0` + liveToken
)

// GetLiveAccessToken returns the client and the user of an access token
// the hub still honours, in one query; ErrNotFound for any other.
func (s *Store) GetLiveAccessToken(ctx context.Context, t storage.AccessTokenRefs) (storage.Client, storage.User, error) {
	var (
		c storage.Client
		u storage.User
	)
	query, dest, args := liveServiceToken, clientDest(&c), []any{t.ClientID}
	if t.UserID != "" {
		query, dest, args = liveUserToken, append(dest, userDest(&u)...), []any{t.UserID, t.ClientID}
	}
	args = append(args, t.TokenID, t.SessionID, t.SessionID)
	err := s.rq.QueryRowContext(ctx, query, args...).Scan(dest...)
	if err != nil {
		return storage.Client{}, storage.User{}, s.wrap("get live access token", err)
	}
	return c, u, nil
}
