package cli

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/hubauth/hubauth/internal/cli/admincmd"
)

func TestKeysRotateAndList(t *testing.T) {
	h := newTestHub(t)
	first := strings.TrimSpace(h.mustRun("", "admin", "keys", "rotate"))
	h.now = testNow.Add(time.Hour)
	second := strings.TrimSpace(h.mustRun("", "admin", "keys", "rotate"))
	if first == "" || first == second {
		t.Fatalf("rotate printed %q then %q; want two key ids", first, second)
	}

	s := h.store()
	stored, err := s.ListSigningKeys(t.Context())
	if err != nil || len(stored) != 2 {
		t.Fatalf("ListSigningKeys = %d keys, %v; want 2", len(stored), err)
	}
	if e := lastAudit(t, s); e.Detail != "rotate signing keys: new key "+second {
		t.Errorf("audit detail = %q", e.Detail)
	}

	out := h.mustRun("", "admin", "keys", "list", "--json")
	var got []admincmd.KeyJSON
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatal(err)
	}
	t1, t2 := testNow, h.now
	want := []admincmd.KeyJSON{
		{ID: second, Algorithm: "ES256", CreatedAt: &t2},
		{ID: first, Algorithm: "ES256", CreatedAt: &t1, RetiredAt: &t2},
	}
	if diff := cmp.Diff(want, got, cmp.Comparer(func(a, b time.Time) bool { return a.Equal(b) })); diff != "" {
		t.Errorf("keys list --json mismatch (-want +got):\n%s", diff)
	}
	table := h.mustRun("", "admin", "keys", "list")
	for _, text := range []string{out, table} {
		if strings.Contains(text, "PRIVATE KEY") {
			t.Errorf("keys list shows a private key:\n%s", text)
		}
	}
	if !strings.Contains(table, first) || !strings.Contains(table, "RETIRED") {
		t.Errorf("keys list = %q", table)
	}
}
