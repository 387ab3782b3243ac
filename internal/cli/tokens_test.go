package cli

import (
	"encoding/json"
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hubauth/hubauth/internal/server"
)

// jsonKeys returns the sorted keys of a JSON object.
func jsonKeys(m map[string]any) []string {
	return slices.Sorted(maps.Keys(m))
}

// TestTokensCommands creates a personal token, lists it without its
// secret, uses it as HUBAUTH_TOKEN and revokes it.
func TestTokensCommands(t *testing.T) {
	t.Parallel()
	h := newUserHub(t)
	h.login()

	r := h.run("", "tokens", "create", "--name", "ci", "--expires-in", "24h", "--scopes", "groups:read")
	secret := strings.TrimSuffix(r.stdout, "\n")
	if r.code != ExitOK || !strings.HasPrefix(secret, "hubauth_pat_") || strings.Contains(secret, "\n") {
		t.Fatalf("tokens create: exit %d, stdout %q (want the secret alone), stderr:\n%s", r.code, r.stdout, r.stderr)
	}
	if !strings.Contains(r.stderr, "shown only once") || strings.Contains(r.stderr, secret) {
		t.Errorf("tokens create stderr = %q, want the shown-only-once note without the secret", r.stderr)
	}

	list := h.mustRun("", "tokens", "list")
	for _, want := range []string{"ID", "NAME", "SCOPES", "CREATED", "EXPIRES", "LAST-USED", "ci", "groups:read", "never"} {
		if !strings.Contains(list, want) {
			t.Errorf("tokens list = %q, want it to contain %q", list, want)
		}
	}
	if strings.Contains(list, secret) || strings.Contains(list, "hubauth_pat_") {
		t.Errorf("tokens list shows the secret:\n%s", list)
	}

	// The token works with its scope; it never manages tokens, whatever
	// its scopes.
	withToken := map[string]string{"HUBAUTH_TOKEN": secret, "HUBAUTH_SERVER": h.URL}
	if r = h.exec(cmd{args: []string{"groups", "list"}, env: withToken}); r.code != ExitOK {
		t.Fatalf("groups list with HUBAUTH_TOKEN: exit %d, stderr %s", r.code, r.stderr)
	}
	r = h.exec(cmd{args: []string{"tokens", "list"}, env: withToken})
	wantFailure(t, r, ExitError, "personal tokens cannot manage personal tokens")
	var tokens []map[string]any
	mustJSON(t, h.mustRun("", "tokens", "list", "--json"), &tokens)
	if len(tokens) != 1 {
		t.Fatalf("tokens list --json = %v, want the one token", tokens)
	}
	tok := tokens[0]
	want := []string{"created_at", "expires_at", "id", "last_used_at", "name", "scopes"}
	if got := jsonKeys(tok); !slices.Equal(got, want) {
		t.Errorf("tokens list --json fields = %v, want %v", got, want)
	}
	if tok["name"] != "ci" || tok["expires_at"] == nil || tok["last_used_at"] == nil {
		t.Errorf("tokens list --json = %v, want ci with an expiry and a last use", tok)
	}
	id := tok["id"].(string)

	r = h.run("", "tokens", "revoke", id)
	if r.code != ExitOK || r.stdout != "" || !strings.Contains(r.stderr, "Revoked token "+id) {
		t.Fatalf("tokens revoke: exit %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
	}
	if got := h.mustRun("", "tokens", "list", "--json"); got != "[]\n" {
		t.Errorf("tokens list --json after revoke = %q, want []", got)
	}
	r = h.exec(cmd{args: []string{"tokens", "list"}, env: map[string]string{"HUBAUTH_TOKEN": secret, "HUBAUTH_SERVER": h.URL}})
	wantFailure(t, r, ExitAuthNeeded, "the server refused the token in HUBAUTH_TOKEN")
}

// TestTokensCreateOutput checks --json (with the secret, this once) and
// the labelled output on a terminal.
func TestTokensCreateOutput(t *testing.T) {
	t.Parallel()
	h := newUserHub(t)
	h.login()
	var got map[string]any
	mustJSON(t, h.mustRun("", "tokens", "create", "--name", "j", "--expires-in", "1h", "--json"), &got)
	want := []string{"created_at", "expires_at", "id", "last_used_at", "name", "scopes", "token"}
	if keys := jsonKeys(got); !slices.Equal(keys, want) {
		t.Errorf("tokens create --json fields = %v, want %v", keys, want)
	}
	if s, _ := got["token"].(string); !strings.HasPrefix(s, "hubauth_pat_") || got["last_used_at"] != nil {
		t.Errorf("tokens create --json = %v, want the secret and last_used_at null", got)
	}

	r := h.exec(cmd{args: []string{"tokens", "create", "--name", "tty", "--expires-in", "1h"}, io: func(s *IOStreams) { s.IsStdoutTTY = true }})
	lines := strings.Split(strings.TrimSpace(r.stdout), "\n")
	if r.code != ExitOK || len(lines) != 2 || !strings.Contains(lines[0], `Token "tty"`) || !strings.HasPrefix(lines[1], "hubauth_pat_") {
		t.Errorf("tokens create on a terminal: exit %d, stdout %q", r.code, r.stdout)
	}
}

// TestTokensBadInput covers usage errors and the server's refusals.
func TestTokensBadInput(t *testing.T) {
	t.Parallel()
	h := newUserHub(t)
	h.login()
	h.mustRun("", "tokens", "create", "--name", "taken", "--expires-in", "1h")
	tests := []struct {
		name string
		args []string
		code int
		msg  string
	}{
		{"unknown id", []string{"tokens", "revoke", "nope"}, ExitError, `no token with id "nope"`},
		{"duplicate name", []string{"tokens", "create", "--name", "taken", "--expires-in", "1h"}, ExitError, `already have a token named "taken"`},
		{"over the maximum", []string{"tokens", "create", "--name", "long", "--expires-in", "721h"}, ExitError, "2592000 seconds (the server's maximum)"},
		{"unknown scope", []string{"tokens", "create", "--name", "s", "--expires-in", "1h", "--scopes", "root"}, ExitError, "valid scopes:"},
		{"name too long", []string{"tokens", "create", "--name", strings.Repeat("n", 65), "--expires-in", "1h"}, ExitError, "1 to 64 characters"},
		{"no name", []string{"tokens", "create", "--expires-in", "1h"}, ExitUsage, "missing --name"},
		{"no expiry given", []string{"tokens", "create", "--name", "x"}, ExitUsage, "missing --expires-in"},
		{"both expiry flags", []string{"tokens", "create", "--name", "x", "--expires-in", "1h", "--no-expiry"}, ExitUsage, "exclude each other"},
		{"never expiring, not allowed", []string{"tokens", "create", "--name", "x", "--no-expiry"}, ExitError, "expires_in must be 1 to 2592000 seconds (the server's maximum)"},
		{"fractional expiry", []string{"tokens", "create", "--name", "x", "--expires-in", "1500ms"}, ExitUsage, "whole number of seconds"},
		{"bad duration", []string{"tokens", "create", "--name", "x", "--expires-in", "soon"}, ExitUsage, "invalid argument"},
		{"revoke without id", []string{"tokens", "revoke"}, ExitUsage, "missing ID"},
		{"new without --web", []string{"tokens", "new"}, ExitUsage, "needs --web"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := h.run("", tt.args...)
			wantFailure(t, r, tt.code, tt.msg)
			if r.stdout != "" {
				t.Errorf("stdout = %q, want nothing", r.stdout)
			}
		})
	}
}

// TestAccountCommandsNotLoggedIn: every command needs a session (exit 4).
func TestAccountCommandsNotLoggedIn(t *testing.T) {
	t.Parallel()
	h := newUserHub(t)
	for _, args := range [][]string{
		{"tokens", "list"}, {"tokens", "create", "--name", "x", "--expires-in", "1h"}, {"tokens", "revoke", "x"},
		{"sessions", "list"}, {"sessions", "revoke", "x"}, {"users", "show", "ada"},
		{"groups", "list"}, {"groups", "members", "g"},
	} {
		r := h.exec(cmd{args: args, env: map[string]string{"HUBAUTH_SERVER": h.URL}})
		wantFailure(t, r, ExitAuthNeeded, "not logged in to "+h.URL+": run hubauth login")
	}
	r := h.run("", "tokens", "list")
	wantFailure(t, r, ExitAuthNeeded, "not logged in: run hubauth login --server URL")
}

// TestTokensNewWeb opens the account page's new-token form, or prints its
// address when no browser can be used.
func TestTokensNewWeb(t *testing.T) {
	t.Parallel()
	h := newUserHub(t)
	want := h.URL + "/account#new-token"
	var opened []string
	open := func(url string) error { opened = append(opened, url); return nil }
	r := h.exec(cmd{args: []string{"tokens", "new", "--web"}, env: map[string]string{"HUBAUTH_SERVER": h.URL, "DISPLAY": ":0"},
		f: func(f *Factory) { f.OpenBrowser = open }})
	if r.code != ExitOK || !slices.Equal(opened, []string{want}) || r.stdout != "" || !strings.Contains(r.stderr, want) {
		t.Errorf("tokens new --web: exit %d, opened %v, stdout %q, stderr %q; want %s opened", r.code, opened, r.stdout, r.stderr, want)
	}

	opened = nil
	r = h.exec(cmd{args: []string{"tokens", "new", "--web"}, env: map[string]string{"HUBAUTH_SERVER": h.URL, "SSH_CONNECTION": "1 2 3 4"},
		f: func(f *Factory) { f.OpenBrowser = open }})
	if r.code != ExitOK || opened != nil || r.stdout != want+"\n" || !strings.Contains(r.stderr, "SSH session") {
		t.Errorf("tokens new --web over SSH: exit %d, opened %v, stdout %q, stderr %q; want the URL printed", r.code, opened, r.stdout, r.stderr)
	}
}

// A server whose operator allows it creates tokens that never expire.
func TestTokensCreateNoExpiry(t *testing.T) {
	h := newUserHub(t, func(c *server.Config) { c.AppTokenNoExpiry = true })
	h.login()
	var created struct {
		Name      string     `json:"name"`
		ExpiresAt *time.Time `json:"expires_at"`
		Token     string     `json:"token"`
	}
	if err := json.Unmarshal([]byte(h.mustRun("", "tokens", "create", "--name", "forever", "--no-expiry", "--scopes", "groups:read", "--json")), &created); err != nil {
		t.Fatal(err)
	}
	if created.Name != "forever" || created.ExpiresAt != nil || !strings.HasPrefix(created.Token, "hubauth_pat_") {
		t.Fatalf("tokens create --no-expiry --json = %+v", created)
	}
	h.Clock.Advance(10 * 365 * 24 * time.Hour)
	r := h.exec(cmd{args: []string{"groups", "list"}, env: map[string]string{"HUBAUTH_TOKEN": created.Token, "HUBAUTH_SERVER": h.URL}})
	if r.code != ExitOK {
		t.Errorf("ten years later, groups list with the token: exit %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
	}
	if list := h.mustRun("", "tokens", "list"); !strings.Contains(list, "never") {
		t.Errorf("ten years later, tokens list = %q, want the token expiring never", list)
	}
}
