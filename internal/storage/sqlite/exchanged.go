package sqlite

import (
	"context"
	"time"

	"github.com/hubauth/hubauth/internal/storage"
)

// revokeTree revokes every live session exchanged from the first
// argument, directly or through others, at the second, returning their
// ids. Both terms repeat the partial index's condition (a parent_id not empty)
// so that SQLite may use sessions_parent for them.
const revokeTree = `WITH RECURSIVE tree(id) AS (
		SELECT id FROM sessions WHERE parent_id = ? AND parent_id <> ''
		UNION SELECT s.id FROM sessions s JOIN tree t ON s.parent_id = t.id AND s.parent_id <> '')
	UPDATE sessions SET revoked_at = ? WHERE revoked_at = 0 AND id IN (SELECT id FROM tree) RETURNING id`

// revokeExchanged revokes at now, in tx, every live session exchanged
// from one of roots, directly or through others (Session.ParentID, RFC
// 8693), and returns their ids: a token exchanged from a login never
// outlives it.
func (s *Store) revokeExchanged(ctx context.Context, tx querier, op string, roots []string, now time.Time) ([]string, error) {
	var ids []string
	for _, root := range roots {
		rows, err := tx.QueryContext(ctx, revokeTree, root, nanos(now))
		more, err := scanAll(rows, err, func(sc scanner) (string, error) {
			var id string
			return id, sc.Scan(&id)
		})
		if err != nil {
			return nil, s.wrap(op, err)
		}
		ids = append(ids, more...)
	}
	return ids, nil
}

// CreateExchangedSession implements storage.Sessions.CreateExchangedSession:
// the insert reads the parent (a session, or a personal token:
// storage.ParentPersonalToken) in the same write transaction (SQLite has
// one writer), so a revocation commits either before it (nothing is
// inserted) or after it (its cascade revokes the child).
func (s *Store) CreateExchangedSession(ctx context.Context, x storage.Session, first storage.RefreshToken, now time.Time) error {
	const op = "create exchanged session"
	return s.write(ctx, op, func(tx querier) error {
		live, args := `SELECT 1 FROM sessions WHERE id = ? AND revoked_at = 0 AND expires_at > ?`, []any{x.ParentID, nanos(now)}
		if pat, ok := storage.ParentPersonalToken(x.ParentID); ok {
			live, args = `SELECT 1 FROM personal_tokens WHERE id = ? AND user_id = ? AND revoked_at = 0
				AND (expires_at = 0 OR expires_at > ?)`, []any{pat, x.UserID, nanos(now)}
		}
		err := s.execOneIn(ctx, tx, op, `INSERT INTO sessions (`+sessionCols+`)
			SELECT ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?
			WHERE EXISTS (`+live+`)`, append([]any{
			x.ID, x.UserID, x.ClientID, x.Method, x.Name, x.Address, x.BrowserSessionID,
			list(x.Scopes), nanos(x.AuthTime), list(x.AMR), nanos(x.CreatedAt),
			nanos(x.LastUsedAt), nanos(x.ExpiresAt), nanos(x.RevokedAt),
			list(x.Resources), x.ParentID, list(x.Actors)}, args...)...)
		if err != nil {
			return err
		}
		if first.Hash == "" {
			return nil
		}
		first.SessionID = x.ID
		return s.insertToken(ctx, tx, op, first)
	})
}
