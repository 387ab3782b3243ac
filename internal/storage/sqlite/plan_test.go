package sqlite

import (
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// hotQueries are the statements of the hot paths (refresh, introspection,
// the bearer check, the personal-token check), with placeholder arguments.
var hotQueries = []struct {
	name, query string
	args        []any
}{
	{"refresh token with its session", tokenWithSession, []any{"s", "h"}},
	{"session of a token issued before tokens named it", legacySession, []any{"h"}},
	{"session by id", `SELECT ` + sessionCols + ` FROM sessions WHERE id = ?`, []any{"s"}},
	{"mark rotated", markRotated, []any{1, "s", "h"}},
	{"session used", `UPDATE sessions SET last_used_at = ? WHERE id = ?`, []any{1, "s"}},
	{"live user token", liveUserToken, []any{"u", "c", "t", "s", "s"}},
	{"live service token", liveServiceToken, []any{"c", "t", "s", "s"}},
	{"personal token by hash", `SELECT ` + personalTokenCols + ` FROM personal_tokens
		WHERE hash = ? AND revoked_at = 0 AND (expires_at = 0 OR expires_at > ?)`, []any{"h", 1}},
	{"personal token used", `UPDATE personal_tokens SET last_used_at = ? WHERE id = ? AND last_used_at < ?`, []any{1, "p", 1}},
	{"user by id", `SELECT ` + userCols + ` FROM users WHERE id = ?`, []any{"u"}},
	{"client by id", `SELECT ` + clientCols + ` FROM clients WHERE id = ?`, []any{"c"}},
	{"sessions exchanged from one (revocation cascade)", revokeTree, []any{"s", 1}},
	{"second factors", `SELECT
		EXISTS (SELECT 1 FROM user_totp WHERE user_id = ? AND confirmed_at <> 0),
		(SELECT count(*) FROM recovery_codes WHERE user_id = ?)`, []any{"u", "u"}},
}

// notTables are the scans that read no table: a constant row, and the
// queue and result of the revocation cascade's recursive CTE (tree, t).
var notTables = []string{"SCAN CONSTANT ROW", "SCAN tree", "SCAN t"}

// TestHotQueriesUseIndexes: no statement of a hot path scans a table;
// each finds its rows through a primary key or an index, so its cost does
// not grow with the number of users, sessions or tokens.
func TestHotQueriesUseIndexes(t *testing.T) {
	s := openTest(t, filepath.Join(t.TempDir(), "hub.db"))
	defer s.Close()
	for _, q := range hotQueries {
		t.Run(q.name, func(t *testing.T) {
			rows, err := s.r.QueryContext(t.Context(), "EXPLAIN QUERY PLAN "+q.query, q.args...)
			if err != nil {
				t.Fatal(err)
			}
			defer rows.Close()
			var plan []string
			for rows.Next() {
				var id, parent, unused int
				var detail string
				if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
					t.Fatal(err)
				}
				plan = append(plan, detail)
			}
			for _, step := range plan {
				if strings.HasPrefix(step, "SCAN ") && !strings.Contains(step, "USING") && !slices.Contains(notTables, step) {
					t.Errorf("plan scans a table: %q (whole plan %q)", step, plan)
				}
			}
			t.Logf("%s", strings.Join(plan, "; "))
		})
	}
}
