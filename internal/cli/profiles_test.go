package cli

import (
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
)

// profiles list shows every stored server and profile with user and
// expiry, * on each server's default; switch moves the default, which
// every command then uses, and logging that profile out ends the choice.
func TestProfilesListAndSwitch(t *testing.T) {
	t.Parallel()
	h := newUserHub(t)
	h.login()
	h.login("--profile", "work")
	const other = "https://other.example.org"
	writeSessions(t, h.DataDir, storedSession{Server: other, Profile: "lab", ClientID: "hubauth-cli", Method: "token",
		Username: "grace", AccessToken: "at", CreatedAt: testNow, Expiry: testNow.Add(-time.Hour)})

	var list []map[string]any
	mustJSON(t, h.mustRun("", "profiles", "list", "--json"), &list)
	wantKeys := []string{"api_tokens", "client_id", "created_at", "default", "expired", "expiry", "logged_in", "method", "profile",
		"refreshable", "scopes", "server", "source", "subject", "username"}
	var got []string
	for _, p := range list {
		if !slices.Equal(jsonKeys(p), wantKeys) {
			t.Errorf("profiles list --json entry keys = %v, want %v", jsonKeys(p), wantKeys)
		}
		got = append(got, p["server"].(string)+" "+p["profile"].(string)+" "+p["username"].(string)+" "+mark(p["default"] == true))
	}
	want := []string{h.URL + " default ada *", h.URL + " work ada  ", other + " lab grace  "}
	if !slices.Equal(got, want) {
		t.Errorf("profiles list --json = %q, want %q", got, want)
	}
	if strings.Contains(h.mustRun("", "profiles", "list", "--json"), "eyJ") {
		t.Error("profiles list --json shows a token")
	}

	out := h.mustRun("", "profiles", "list")
	for _, line := range []string{`(?m)^\* +` + h.URL + ` +default +ada +password +\d{4}-`, `(?m)^  +` + h.URL + ` +work +ada `,
		`(?m)^  +` + other + ` +lab +grace +token +expired: log in again$`} {
		if !regexpMatch(line, out) {
			t.Errorf("profiles list = %q, want a line matching %s", out, line)
		}
	}
	if out := h.mustRun("", "profiles", "list", "--server", other+"/"); strings.Contains(out, h.URL) || !strings.Contains(out, "lab") {
		t.Errorf("profiles list --server %s = %q, want lab alone", other, out)
	}

	r := h.exec(cmd{args: []string{"switch", "--server", h.URL, "--profile", "work"}})
	if r.code != ExitOK || r.stderr != "The default profile of "+h.URL+" is now work.\n" {
		t.Fatalf("switch = %d, %q", r.code, r.stderr)
	}
	status := h.mustRun("", "status", "--server", h.URL)
	if !regexpMatch(`(?m)^Profile: +work$`, status) {
		t.Errorf("status after switch = %q, want profile work", status)
	}
	if out := h.mustRun("", "profiles", "list"); !regexpMatch(`(?m)^\* +`+h.URL+` +work `, out) || !regexpMatch(`(?m)^  +`+h.URL+` +default `, out) {
		t.Errorf("profiles list after switch = %q, want * on work only", out)
	}
	// HUBAUTH_PROFILE and --profile still choose another.
	if out := h.exec(cmd{args: []string{"status", "--server", h.URL}, env: map[string]string{envProfile: "default"}}); !regexpMatch(`(?m)^Profile: +default$`, out.stdout) {
		t.Errorf("status with HUBAUTH_PROFILE=default = %q", out.stdout)
	}

	// Logging out of the chosen profile ends the choice.
	h.mustRun("", "logout", "--server", h.URL)
	if out := h.mustRun("", "profiles", "list"); !regexpMatch(`(?m)^\* +`+h.URL+` +default `, out) {
		t.Errorf("profiles list after logging work out = %q, want default marked again", out)
	}
}

// switch refuses what it cannot do, in one line with the documented exit
// code, and changes nothing.
func TestSwitchErrors(t *testing.T) {
	t.Parallel()
	h := newUserHub(t)
	h.login()
	before := readSessions(t, h.DataDir)
	tests := []struct {
		name string
		args []string
		env  map[string]string
		code int
		msg  string
	}{
		{"no profile", []string{"switch", "--server", h.URL}, nil, ExitUsage, "name the profile to switch to: --profile P"},
		{"profile not logged in", []string{"switch", "--profile", "play"}, nil, ExitAuthNeeded,
			"no session stored for " + h.URL + " (profile play): run hubauth login --server " + h.URL + " --profile play"},
		{"server not logged in", []string{"switch", "--server", "https://nowhere.example.org", "--profile", "default"}, nil, ExitAuthNeeded,
			"no session stored for https://nowhere.example.org: run hubauth login"},
		{"nothing stored", []string{"switch", "--profile", "default"}, map[string]string{"HUBAUTH_DATA_DIR": t.TempDir()}, ExitAuthNeeded,
			"not logged in: run hubauth login --server URL"},
		{"no store", []string{"switch", "--server", h.URL, "--profile", "default"}, map[string]string{envNoStore: "1"}, ExitUsage,
			"HUBAUTH_NO_STORE is set"},
		{"argument", []string{"switch", "work"}, nil, ExitUsage, `unexpected argument "work"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := h.exec(cmd{args: tt.args, env: tt.env})
			wantFailure(t, r, tt.code, tt.msg)
		})
	}
	if after := readSessions(t, h.DataDir); len(after.Sessions) != len(before.Sessions) {
		t.Errorf("sessions changed: %v", after)
	}
}

func mark(b bool) string {
	if b {
		return "*"
	}
	return " "
}

// regexpMatch reports whether s matches the regular expression re.
func regexpMatch(re, s string) bool { return regexp.MustCompile(re).MatchString(s) }
