package main

import (
	"strings"
	"testing"

	"github.com/hubauth/hubauth/internal/cli"
)

// TestLoginForDataHub is RFC 9728 discovery driving the CLI: hubauth api
// against the data hub without a session names its hub, hubauth login
// --for finds the hub from the data hub's metadata, and a session for
// another hub is told which one the data hub takes.
func TestLoginForDataHub(t *testing.T) {
	h := newHub(t)
	h.addUser(t, "ada")
	d := newDatahub(t, h, "--read-scope", "", "--write-scope", "")
	dir := t.TempDir()
	uploads := d.URL + "/api/v1/uploads"

	r := hubauthCLI(t, dir, "", "api", uploads)
	want := "hubauth: authentication required: run hubauth login --server " + h.URL + " (the hub of " + uploads + ")"
	if r.code != cli.ExitAuthNeeded || strings.TrimSpace(r.stderr) != want {
		t.Errorf("api without a session: exit %d, stderr %q; want 4 and %q", r.code, r.stderr, want)
	}

	r = hubauthCLI(t, dir, testPassword+"\n", "login", "--for", uploads, "--username", "ada", "--password-stdin")
	if r.code != cli.ExitError || !strings.Contains(r.stderr, "refused (RFC 9728 §3.3)") {
		t.Errorf("login --for an endpoint, not the API: exit %d, stderr %q; want 1 and the metadata refused", r.code, r.stderr)
	}
	r = hubauthCLI(t, dir, testPassword+"\n", "login", "--for", d.URL, "--server", "https://auth.example.org", "--username", "ada", "--password-stdin")
	if r.code != cli.ExitUsage || !strings.Contains(r.stderr, "takes tokens from "+h.URL+", not from --server https://auth.example.org") {
		t.Errorf("login --for with another --server: exit %d, stderr %q", r.code, r.stderr)
	}
	r = hubauthCLI(t, dir, testPassword+"\n", "login", "--for", d.URL, "--scopes", "uploads:read,uploads:write", "--username", "ada", "--password-stdin")
	if r.code != cli.ExitUsage || !strings.Contains(r.stderr, "goes only to a hub you name: add --server "+h.URL) {
		t.Errorf("login --for with a password, the hub not named: exit %d, stderr %q; want 2 and the refusal", r.code, r.stderr)
	}
	r = hubauthCLI(t, dir, testPassword+"\n", "login", "--for", d.URL, "--server", h.URL, "--scopes", "uploads:read,uploads:write", "--username", "ada", "--password-stdin")
	if r.code != cli.ExitOK || !strings.Contains(r.stderr, "Logged in to "+h.URL+" as ada") {
		t.Fatalf("login --for the data hub: exit %d, stderr %q", r.code, r.stderr)
	}
	if r = hubauthCLI(t, dir, "", "api", "-X", "POST", uploads, "--data", `{"upload_name":"run 7"}`); r.code != cli.ExitOK || !strings.Contains(r.stdout, `"run 7"`) {
		t.Errorf("api POST after login --for: exit %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
	}

	// A data hub of another hub: the session here is not for it.
	other := newHub(t)
	od := newDatahub(t, other, "--read-scope", "", "--write-scope", "")
	r = hubauthCLI(t, dir, "", "api", od.URL+"/api/v1/uploads")
	want = "hubauth: authentication required: run hubauth login --server " + other.URL + " (the hub of " + od.URL + "/api/v1/uploads; the session is for " + h.URL + ")"
	if r.code != cli.ExitAuthNeeded || strings.TrimSpace(r.stderr) != want {
		t.Errorf("api at another hub's data hub: exit %d, stderr %q; want 4 and %q", r.code, r.stderr, want)
	}
}
