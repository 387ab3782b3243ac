package postgres

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/hubauth/hubauth/internal/storage"
)

// sessionTree is the recursive table tree(id) of the ids roots selects (a
// query of one column) and of every session exchanged from one of them,
// directly or through others. Its recursive term repeats the partial
// index's condition (a parent_id not empty) so that the planner may use
// sessions_parent.
func sessionTree(roots string) string {
	return `WITH RECURSIVE tree(id) AS (` + roots + `
		UNION SELECT s.id FROM sessions s JOIN tree t ON s.parent_id = t.id AND s.parent_id <> '')
	`
}

// revokeTree revokes at $2 every live session exchanged from $1,
// directly or through others (its roots repeat the index's condition too).
var revokeTree = sessionTree(`SELECT id FROM sessions WHERE parent_id = $1 AND parent_id <> ''`) +
	`UPDATE sessions SET revoked_at = $2 WHERE revoked_at = 0 AND id IN (SELECT id FROM tree)`

// lockSessionTrees locks, in the order of their ids, the live sessions
// named by roots (a query of one column of ids, with args) and every live
// session exchanged from them, directly or through others. A transaction
// that revokes several sessions calls it before it changes any: it then
// takes their row locks in the order a rotation group takes its own
// (lockGroupSessions), so the two cannot deadlock, whereas an UPDATE
// locks rows in the order of its scan.
func (s *Store) lockSessionTrees(ctx context.Context, tx pgx.Tx, op, roots string, args ...any) error {
	_, err := tx.Exec(ctx, sessionTree(roots)+
		`SELECT id FROM sessions WHERE id IN (SELECT id FROM tree) AND revoked_at = 0 ORDER BY id FOR NO KEY UPDATE`, args...)
	return s.wrap(op, err)
}

// revokeExchanged revokes at now, in tx, every live session exchanged
// from one of roots, directly or through others (Session.ParentID, RFC
// 8693), and returns their ids: a token exchanged from a login never
// outlives it.
func (s *Store) revokeExchanged(ctx context.Context, tx pgx.Tx, op string, roots []string, now time.Time) ([]string, error) {
	var ids []string
	for _, root := range roots {
		rows, err := tx.Query(ctx, revokeTree+` RETURNING id`, root, nanos(now))
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
// it locks the live parent row (a session, or a personal token:
// storage.ParentPersonalToken) FOR SHARE first, so a concurrent revocation
// waits for this transaction and its cascade then sees the child, or (if
// it committed first) the parent is no longer live and nothing is stored.
func (s *Store) CreateExchangedSession(ctx context.Context, x storage.Session, first storage.RefreshToken, now time.Time) error {
	const op = "create exchanged session"
	return s.write(ctx, op, func(tx pgx.Tx) error {
		var one int
		live, args := `SELECT 1 FROM sessions WHERE id = $1 AND revoked_at = 0 AND expires_at > $2 FOR SHARE`, []any{x.ParentID, nanos(now)}
		if pat, ok := storage.ParentPersonalToken(x.ParentID); ok {
			live, args = `SELECT 1 FROM personal_tokens WHERE id = $1 AND user_id = $3 AND revoked_at = 0
				AND (expires_at = 0 OR expires_at > $2) FOR SHARE`, []any{pat, nanos(now), x.UserID}
		}
		err := tx.QueryRow(ctx, live, args...).Scan(&one)
		if err != nil {
			return s.wrap(op, err)
		}
		return s.insertSession(ctx, tx, op, x, first)
	})
}
