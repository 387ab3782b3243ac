package cli

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/hubauth/hubauth/internal/cli/admincmd"
)

func TestAudit(t *testing.T) {
	h := newTestHub(t)
	h.mustRun("pw\n", "admin", "user", "add", "ada", "--password-stdin")
	h.mustRun("", "admin", "group", "add", "staff")
	h.mustRun("", "admin", "group", "add-member", "staff", "ada")

	var got []admincmd.AuditJSON
	if err := json.Unmarshal([]byte(h.mustRun("", "admin", "audit", "--json", "--limit", "2")), &got); err != nil {
		t.Fatal(err)
	}
	var details []string
	for _, e := range got {
		if e.Type != "admin" || !e.Time.Equal(testNow) {
			t.Errorf("event %+v: want type admin at %v", e, testNow)
		}
		details = append(details, e.Detail)
	}
	want := []string{"add user ada to group staff", "add group staff"}
	if diff := cmp.Diff(want, details); diff != "" {
		t.Errorf("audit --limit 2 details mismatch (-want +got):\n%s", diff)
	}

	table := h.mustRun("", "admin", "audit")
	lines := strings.Split(strings.TrimSpace(table), "\n")
	if len(lines) != 4 || !strings.HasPrefix(lines[0], "ID") || !strings.Contains(lines[3], "add user ada") {
		t.Errorf("audit table = %q, want a header and 3 events, newest first", table)
	}
}

// TestAdminWhileServerRuns checks that admin commands work on a database
// that another process (here: an open store, as a server holds) is using.
func TestAdminWhileServerRuns(t *testing.T) {
	h := newTestHub(t)
	server := h.store()
	if _, err := server.ListUsers(t.Context()); err != nil {
		t.Fatal(err)
	}
	h.mustRun("pw\n", "admin", "user", "add", "ada", "--password-stdin")
	h.mustRun("", "admin", "keys", "rotate")
	if _, err := server.GetUserByUsername(t.Context(), "ada"); err != nil {
		t.Errorf("the running store does not see the new user: %v", err)
	}
	if keys, err := server.ListSigningKeys(t.Context()); err != nil || len(keys) != 1 {
		t.Errorf("the running store sees %d keys, %v; want 1", len(keys), err)
	}
}
