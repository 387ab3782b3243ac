package postgres

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/hubauth/hubauth/internal/storage"
)

// endStep is one statement of EndUserSessions; count, when not nil,
// receives the number of rows it changed.
type endStep struct {
	count *int64
	query string
	args  []any
}

// EndUserSessions revokes the user's live sessions, deletes their live
// browser sessions (and with personalTokens their live personal tokens) and
// their authorization requests whose code is not yet exchanged, and denies
// their approved device authorizations, in one transaction.
func (s *Store) EndUserSessions(ctx context.Context, userID string, now time.Time, personalTokens bool) (storage.EndedSessions, error) {
	const op = "end user sessions"
	n := nanos(now)
	var ended storage.EndedSessions
	steps := []endStep{
		{&ended.Sessions, `UPDATE sessions SET revoked_at = $1
			WHERE user_id = $2 AND revoked_at = 0 AND expires_at > $1`, []any{n, userID}},
		{&ended.BrowserSessions, `DELETE FROM browser_sessions WHERE user_id = $1 AND expires_at > $2`, []any{userID, n}},
		{nil, `DELETE FROM auth_requests WHERE user_id = $1 AND code_used_at = 0`, []any{userID}},
		{nil, `UPDATE device_auths SET state = $1 WHERE user_id = $2 AND state = $3`,
			[]any{storage.DeviceDenied, userID, storage.DeviceApproved}},
	}
	if personalTokens {
		steps = append(steps, endStep{&ended.PersonalTokens, `DELETE FROM personal_tokens
			WHERE user_id = $1 AND (expires_at = 0 OR expires_at > $2)`, []any{userID, n}})
	}
	err := s.writeRetried(ctx, op, func(tx pgx.Tx) error {
		if err := s.lockSessionTrees(ctx, tx, op, `SELECT id FROM sessions WHERE user_id = $1`, userID); err != nil {
			return err
		}
		for _, st := range steps {
			tag, err := tx.Exec(ctx, st.query, st.args...)
			if err != nil {
				return s.wrap(op, err)
			}
			if st.count != nil {
				*st.count = tag.RowsAffected()
			}
		}
		return nil
	})
	return ended, err
}
