package sqlite

import (
	"context"
	"time"
)

// revokeExchanged revokes at now, in tx, every live session exchanged
// from one of roots, directly or through others (Session.ParentID, RFC
// 8693), and returns their ids: a token exchanged from a login never
// outlives it.
func (s *Store) revokeExchanged(ctx context.Context, tx querier, op string, roots []string, now time.Time) ([]string, error) {
	var ids []string
	for _, root := range roots {
		rows, err := tx.QueryContext(ctx, `WITH RECURSIVE tree(id) AS (
				SELECT id FROM sessions WHERE parent_id = ?
				UNION SELECT s.id FROM sessions s JOIN tree t ON s.parent_id = t.id)
			UPDATE sessions SET revoked_at = ? WHERE revoked_at = 0 AND id IN (SELECT id FROM tree) RETURNING id`,
			root, nanos(now))
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
