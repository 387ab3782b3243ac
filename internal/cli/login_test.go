package cli

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hubauth/hubauth/client"
)

// TestUserCommandsEndToEnd is a user's day: log in with a password,
// look at the session, use the token, call the API, log out.
func TestUserCommandsEndToEnd(t *testing.T) {
	t.Parallel()
	h := newUserHub(t)
	r := h.run(demoPassword+"\n", "login", "--server", h.URL, "--username", demoUser, "--password-stdin")
	if r.code != ExitOK || r.stdout != "" {
		t.Fatalf("login: exit %d, stdout %q, stderr:\n%s", r.code, r.stdout, r.stderr)
	}
	if want := "Logged in to " + h.URL + " as ada (password)\n"; r.stderr != want {
		t.Errorf("login stderr = %q, want %q", r.stderr, want)
	}
	sess, ok := h.stored("")
	if !ok || sess.Method != client.MethodPassword || sess.RefreshToken == "" {
		t.Fatalf("stored session = %+v, %t; want a refreshable password session", sess, ok)
	}

	// From here on the server is the only stored one: no --server needed.
	status := h.mustRun("", "status")
	for _, want := range []string{h.URL, "ada", "password", "hubauth-cli", "tokens.json", "then refreshed"} {
		if !strings.Contains(status, want) {
			t.Errorf("status = %q, want it to contain %q", status, want)
		}
	}
	if strings.Contains(status, sess.AccessToken) || strings.Contains(status, sess.RefreshToken) {
		t.Errorf("status shows a token:\n%s", status)
	}

	if got := h.mustRun("", "token"); got != sess.AccessToken+"\n" {
		t.Errorf("token = %q, want the stored access token and a newline", got)
	}
	if got := h.mustRun("", "token", "--header"); got != "Authorization: Bearer "+sess.AccessToken+"\n" {
		t.Errorf("token --header = %q", got)
	}
	var tok map[string]any
	mustJSON(t, h.mustRun("", "token", "--json"), &tok)
	if tok["access_token"] != sess.AccessToken || tok["token_type"] != "Bearer" || tok["expiry"] == nil || len(tok) != 3 {
		t.Errorf("token --json = %v", tok)
	}

	me := h.mustRun("", "api", "/api/v1/users/me")
	if !strings.Contains(me, "\n  \"username\": \"ada\"") {
		t.Errorf("api /api/v1/users/me = %q, want pretty JSON with the user", me)
	}

	h.mustRun("", "logout")
	if _, ok := h.stored(""); ok {
		t.Fatal("logout left the session stored")
	}
	r = h.run("", "status", "--server", h.URL)
	wantFailure(t, r, ExitAuthNeeded, "not logged in to "+h.URL+": run hubauth login")
	r = h.run("", "token")
	wantFailure(t, r, ExitAuthNeeded, "not logged in: run hubauth login --server URL")
	var st statusJSON
	r = h.run("", "status", "--server", h.URL, "--json")
	mustJSON(t, r.stdout, &st)
	if r.code != ExitAuthNeeded || st.LoggedIn || st.Server != h.URL || st.Scopes == nil {
		t.Errorf("status --json when logged out: exit %d, %+v", r.code, st)
	}
}

func TestStatusJSON(t *testing.T) {
	t.Parallel()
	h := newUserHub(t)
	h.login("--scopes", "groups")
	var got map[string]any
	mustJSON(t, h.mustRun("", "status", "--json"), &got)
	want := map[string]any{"server": h.URL, "profile": "default", "logged_in": true, "method": "password",
		"username": "ada", "client_id": "hubauth-cli", "expired": false, "refreshable": true,
		"source": filepath.Join(h.DataDir, "tokens.json")}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("status --json: %s = %v, want %v", k, got[k], v)
		}
	}
	for _, k := range []string{"subject", "scopes", "expiry", "created_at"} {
		if got[k] == nil || got[k] == "" {
			t.Errorf("status --json: %s = %v, want a value", k, got[k])
		}
	}
	if apis, ok := got["api_tokens"].([]any); !ok || len(apis) != 0 {
		t.Errorf("status --json: api_tokens = %v, want []", got["api_tokens"])
	}
	if len(got) != 14 {
		t.Errorf("status --json has %d fields, want 14: %v", len(got), got)
	}
	sess, _ := h.stored("")
	if out := h.mustRun("", "status", "--json"); strings.Contains(out, sess.AccessToken) || strings.Contains(out, sess.RefreshToken) {
		t.Errorf("status --json shows a token: %s", out)
	}
}

func TestWhoami(t *testing.T) {
	t.Parallel()
	h := newUserHub(t)
	h.login()
	out := h.mustRun("", "whoami")
	for _, want := range []string{"Username:  ada", "Name:      Ada", "Email:     ada@example.org", "Subject:"} {
		if !strings.Contains(out, want) {
			t.Errorf("whoami = %q, want %q", out, want)
		}
	}
	var got whoamiJSON
	mustJSON(t, h.mustRun("", "whoami", "--json"), &got)
	sess, _ := h.stored("")
	if got.Username != "ada" || got.Email != "ada@example.org" || got.Subject != sess.Subject || got.Groups == nil {
		t.Errorf("whoami --json = %+v", got)
	}
}

// mustJSON decodes s into v, strictly one JSON value.
func mustJSON(t *testing.T, s string, v any) {
	t.Helper()
	dec := json.NewDecoder(strings.NewReader(s))
	if err := dec.Decode(v); err != nil || dec.More() {
		t.Fatalf("not one JSON value (%v):\n%s", err, s)
	}
}
