package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// everyUserCommand is each user command with arguments that pass its own
// checks, so that a run fails, if it does, for the scenario's reason.
var everyUserCommand = [][]string{
	{"status"}, {"token"}, {"whoami"}, {"api", "/api/v1/users/me"},
	{"tokens", "list"}, {"tokens", "create", "--name", "ci", "--expires-in", "24h"}, {"tokens", "revoke", "x"},
	{"tokens", "rotate", "x"}, {"sessions", "list"}, {"sessions", "revoke", "x"},
	{"users", "show", "ada"}, {"groups", "list"}, {"groups", "members", "nmr"},
	{"logout"}, {"profiles", "list"}, {"switch", "--profile", "default"},
	{"login", "--username", "ada", "--password-stdin"},
}

// Every user command's failure is one line on standard error, "hubauth:
// …", with the documented exit code: 1 error, 2 usage, 4 log in (again).
func TestUserCommandFailures(t *testing.T) {
	t.Parallel()
	const down = "http://127.0.0.1:1" // nothing listens there
	stored := func(s storedSession) func(t *testing.T, dir string) {
		return func(t *testing.T, dir string) { writeSessions(t, dir, s) }
	}
	session := storedSession{Server: down, ClientID: "hubauth-cli", Method: "password", Username: "ada",
		AccessToken: "at", RefreshToken: "rt", CreatedAt: testNow, Expiry: testNow.Add(-time.Minute)}
	expired := session
	expired.Expired = true
	tests := []struct {
		name  string
		setup func(t *testing.T, dir string)
		extra []string          // arguments added to each command
		code  int               // the exit code of most commands
		msg   string            // in their error line
		other map[string]result // commands that differ: their exit code and message (in stderr)
	}{
		{name: "unknown flag", extra: []string{"--bogus"}, code: ExitUsage, msg: "unknown flag: --bogus (see 'hubauth "},
		{name: "no server anywhere", code: ExitAuthNeeded, msg: "not logged in: run hubauth login --server URL (or set HUBAUTH_SERVER)",
			other: map[string]result{
				"api":           {code: ExitAuthNeeded, stderr: "authentication required: run hubauth login --server URL"},
				"login":         {code: ExitUsage, stderr: "no server: pass --server URL or set HUBAUTH_SERVER"},
				"logout":        {code: ExitOK, stderr: "Not logged in: nothing to do."},
				"profiles list": {code: ExitOK},
			}},
		{name: "session expired", setup: stored(expired), code: ExitAuthNeeded, msg: "session expired or revoked: run hubauth login",
			other: map[string]result{
				"logout":        {code: ExitOK, stderr: "warning"},
				"profiles list": {code: ExitOK},
				"switch":        {code: ExitOK, stderr: "The default profile of " + down + " is now default."},
				"login":         {code: ExitError, stderr: "login failed: no password on standard input"},
			}},
		{name: "server down", setup: stored(session), code: ExitError, msg: "cannot reach " + down,
			other: map[string]result{
				"status":        {code: ExitOK},
				"login":         {code: ExitError, stderr: "already logged in to " + down + " as ada; use --force to replace the session"},
				"logout":        {code: ExitOK, stderr: "warning"},
				"profiles list": {code: ExitOK},
				"switch":        {code: ExitOK, stderr: "is now default"},
			}},
		{name: "corrupt sessions file", setup: func(t *testing.T, dir string) {
			if err := os.MkdirAll(dir, 0o700); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(dir, "tokens.json"), []byte("{"), 0o600); err != nil {
				t.Fatal(err)
			}
		}, code: ExitError, msg: "corrupt sessions file"},
	}
	h := newTestHub(t)
	for _, tt := range tests {
		for _, c := range everyUserCommand {
			name := strings.Join(c[:min(2, len(c))], " ")
			if len(c) > 1 && strings.HasPrefix(c[1], "-") || c[0] == "api" {
				name = c[0]
			}
			t.Run(tt.name+"/"+name, func(t *testing.T) {
				dir := filepath.Join(t.TempDir(), "data")
				if tt.setup != nil {
					tt.setup(t, dir)
				}
				h.env = map[string]string{"HUBAUTH_DATA_DIR": dir}
				r := h.run("", append(append([]string{}, c...), tt.extra...)...)
				want, ok := tt.other[name]
				if !ok {
					want = result{code: tt.code, stderr: tt.msg}
				}
				if want.code == ExitOK {
					if r.code != ExitOK || !strings.Contains(r.stderr, want.stderr) {
						t.Errorf("exit %d, stderr %q; want 0 and %q", r.code, r.stderr, want.stderr)
					}
					return
				}
				wantFailure(t, r, want.code, want.stderr)
				if strings.Count(r.stderr, "\n") != 1 {
					t.Errorf("stderr = %q, want one line", r.stderr)
				}
			})
		}
	}
}
