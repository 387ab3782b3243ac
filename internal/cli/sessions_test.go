package cli

import (
	"slices"
	"strings"
	"testing"
)

// TestSessionsCommands lists two logins of one user, marks the current
// one, and revokes the other.
func TestSessionsCommands(t *testing.T) {
	t.Parallel()
	h := newUserHub(t)
	h.login()
	h.login("--profile", "cluster", "--token-name", "cluster job")

	list := h.mustRun("", "sessions", "list")
	lines := strings.Split(strings.TrimSpace(list), "\n")
	if len(lines) != 3 || !strings.Contains(lines[0], "LAST-USED") {
		t.Fatalf("sessions list = %q, want a header and two sessions", list)
	}
	var marked []string
	for _, l := range lines[1:] {
		if strings.HasPrefix(l, "*") {
			marked = append(marked, l)
		}
	}
	if len(marked) != 1 || strings.Contains(marked[0], "cluster job") || !strings.Contains(list, "cluster job") {
		t.Errorf("sessions list = %q, want the current (unnamed) session marked with *", list)
	}

	var sessions []map[string]any
	mustJSON(t, h.mustRun("", "sessions", "list", "--json"), &sessions)
	want := []string{"acting_for", "actors", "address", "client_id", "client_name", "created_at", "current", "id", "last_used_at", "method", "name", "personal_token"}
	other := ""
	for _, s := range sessions {
		if got := jsonKeys(s); !slices.Equal(got, want) {
			t.Errorf("sessions list --json fields = %v, want %v", got, want)
		}
		if s["method"] != "password" || s["client_id"] != "hubauth-cli" {
			t.Errorf("session = %v, want a password login with hubauth-cli", s)
		}
		if s["current"] == false {
			other, _ = s["id"].(string)
		}
	}
	if len(sessions) != 2 || other == "" {
		t.Fatalf("sessions list --json = %v, want two, one current", sessions)
	}

	r := h.run("", "sessions", "revoke", other)
	if r.code != ExitOK || !strings.Contains(r.stderr, "Revoked session "+other) {
		t.Fatalf("sessions revoke: exit %d, stderr %q", r.code, r.stderr)
	}
	mustJSON(t, h.mustRun("", "sessions", "list", "--json"), &sessions)
	if len(sessions) != 1 || sessions[0]["current"] != true {
		t.Errorf("sessions after revoke = %v, want the current one only", sessions)
	}
	// The revoked login can no longer refresh: its profile must log in again.
	r = h.exec(cmd{args: []string{"token", "--min-valid", "24h"}, env: map[string]string{"HUBAUTH_PROFILE": "cluster"}})
	wantFailure(t, r, ExitAuthNeeded, "session expired or revoked")

	wantFailure(t, h.run("", "sessions", "revoke", other), ExitError, "no session with id "+`"`+other+`"`)
	wantFailure(t, h.run("", "sessions", "revoke"), ExitUsage, "missing ID")
}
