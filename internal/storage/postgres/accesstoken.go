package postgres

import (
	"context"

	"github.com/hubauth/hubauth/internal/storage"
)

// liveToken is the condition on an access token's id ($2) and session ($3;
// empty for none) that GetLiveAccessToken adds.
const liveToken = ` AND NOT EXISTS (SELECT 1 FROM revoked_access_tokens WHERE id = $2)
	AND ($3 = '' OR EXISTS (SELECT 1 FROM sessions WHERE id = $3 AND revoked_at = 0))`

var (
	liveUserToken = `SELECT ` + prefixed("c.", clientCols) + `, ` + memberCols + `
		FROM clients c JOIN users u ON u.id = $4
		WHERE c.id = $1 AND NOT c.disabled AND NOT u.disabled` + liveToken
	liveServiceToken = `SELECT ` + prefixed("c.", clientCols) + `
		FROM clients c WHERE c.id = $1 AND NOT c.disabled` + liveToken
)

// GetLiveAccessToken returns the client and the user of an access token
// the hub still honours, in one query; ErrNotFound for any other.
func (s *Store) GetLiveAccessToken(ctx context.Context, t storage.AccessTokenRefs) (storage.Client, storage.User, error) {
	var (
		c storage.Client
		u storage.User
	)
	query, dest, args := liveServiceToken, clientDest(&c), []any{t.ClientID, t.TokenID, t.SessionID}
	if t.UserID != "" {
		query, dest, args = liveUserToken, append(dest, userDest(&u)...), append(args, t.UserID)
	}
	if err := s.pool.QueryRow(ctx, query, args...).Scan(dest...); err != nil {
		return storage.Client{}, storage.User{}, s.wrap("get live access token", err)
	}
	return c, u, nil
}
