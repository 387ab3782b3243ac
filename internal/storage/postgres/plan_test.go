package postgres

import (
	"strings"
	"testing"
)

// TestRevocationCascadeUsesIndex: the recursive query revoking the
// sessions exchanged from one can use the partial index sessions_parent
// in both of its terms (its condition, a parent_id not empty, is
// repeated). With sequential scans disabled, a query the index cannot
// serve still plans a Seq Scan on sessions.
func TestRevocationCascadeUsesIndex(t *testing.T) {
	s := openTest(t, freshSchema(t))
	defer s.Close()
	ctx := t.Context()
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback(ctx)
	if _, err := tx.Exec(ctx, `SET LOCAL enable_seqscan = off`); err != nil {
		t.Fatal(err)
	}
	rows, err := tx.Query(ctx, `EXPLAIN `+revokeTree, "s", int64(1))
	if err != nil {
		t.Fatal(err)
	}
	var plan []string
	for rows.Next() {
		var line string
		if err := rows.Scan(&line); err != nil {
			t.Fatal(err)
		}
		plan = append(plan, line)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	all := strings.Join(plan, "\n")
	if strings.Contains(all, "Seq Scan on sessions") || strings.Count(all, "sessions_parent") < 2 {
		t.Errorf("want both terms through sessions_parent, no Seq Scan on sessions; plan:\n%s", all)
	}
}
