package cli

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
)

// TestTokensRotateCommand: tokens rotate prints the new secret alone, the
// old one stops working at once, and a token made through NOMAD's PAT API
// is listed and rotated like any other.
func TestTokensRotateCommand(t *testing.T) {
	t.Parallel()
	h := newUserHub(t)
	h.login()
	access := strings.TrimSpace(h.mustRun("", "token"))
	id := h.nomadPAT(t, access, `{"metadata": {"name": "from-nomad", "scopes": ["groups:read"], "description": "python"}, "expires_in_days": 3}`)
	if list := h.mustRun("", "tokens", "list"); !strings.Contains(list, "from-nomad") || !strings.Contains(list, id) {
		t.Fatalf("tokens list = %q, want the PAT made through NOMAD's API", list)
	}
	old := strings.TrimSpace(h.mustRun("", "tokens", "create", "--name", "ci", "--expires-in", "24h", "--scopes", "groups:read"))
	var listed []map[string]any
	mustJSON(t, h.mustRun("", "tokens", "list", "--json"), &listed)
	var ciID string
	for _, tok := range listed {
		if tok["name"] == "ci" {
			ciID = tok["id"].(string)
		}
	}
	r := h.run("", "tokens", "rotate", ciID)
	fresh := strings.TrimSuffix(r.stdout, "\n")
	if r.code != ExitOK || !strings.HasPrefix(fresh, "hubauth_pat_") || fresh == old || strings.Contains(fresh, "\n") {
		t.Fatalf("tokens rotate: exit %d, stdout %q (want the new secret alone), stderr:\n%s", r.code, r.stdout, r.stderr)
	}
	if !strings.Contains(r.stderr, "old secret no longer works") || strings.Contains(r.stderr, fresh) {
		t.Errorf("tokens rotate stderr = %q", r.stderr)
	}
	env := func(tok string) map[string]string {
		return map[string]string{"HUBAUTH_TOKEN": tok, "HUBAUTH_SERVER": h.URL}
	}
	r = h.exec(cmd{args: []string{"tokens", "list"}, env: env(old)})
	wantFailure(t, r, ExitAuthNeeded, "the server refused the token in HUBAUTH_TOKEN")
	if r = h.exec(cmd{args: []string{"groups", "list"}, env: env(fresh)}); r.code != ExitOK {
		t.Errorf("groups list with the new secret: exit %d, %s", r.code, r.stderr)
	}
	r = h.run("", "tokens", "rotate", "nope")
	wantFailure(t, r, ExitError, "you have no token with id")
	h.mustRun("", "tokens", "revoke", ciID)
	r = h.run("", "tokens", "rotate", ciID)
	wantFailure(t, r, ExitError, "revoked or expired")
}

// nomadPAT creates a PAT through NOMAD's API and returns its id.
func (h *userHub) nomadPAT(t *testing.T, access, body string) string {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, h.URL+"/api/v1/auth/pats", bytes.NewBufferString(body))
	req.Header.Set("Authorization", "Bearer "+access)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out struct {
		PAT struct{ ID string } `json:"pat"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil || resp.StatusCode != http.StatusCreated {
		t.Fatalf("create PAT: %d %v", resp.StatusCode, err)
	}
	return out.PAT.ID
}
