package main

import (
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/hubauth/hubauth/client"
	"github.com/hubauth/hubauth/internal/cli"
	"github.com/hubauth/hubauth/internal/hubtest"
)

// cliRun is one run of the real hubauth CLI.
type cliRun struct {
	code           int
	stdout, stderr string
}

// hubauthCLI runs the hubauth CLI in-process with its sessions in dataDir
// and nothing else from the environment.
func hubauthCLI(t *testing.T, dataDir, stdin string, args ...string) cliRun {
	t.Helper()
	ios, in, out, errOut := cli.NewTestIOStreams()
	in.WriteString(stdin)
	env := map[string]string{"HUBAUTH_DATA_DIR": dataDir}
	code := cli.Main(args, cli.Env{IO: ios, Getenv: func(k string) string { return env[k] }, Now: time.Now, Context: t.Context()})
	return cliRun{code: code, stdout: out.String(), stderr: errOut.String()}
}

// TestCLIEndToEnd is issue 6's end to end: hubauth login, then hubauth
// api against the data hub; the SDK's errors for its 401 and 403; and the
// data hub's own scopes (registered with hubauth admin scope add, as its
// README says) that its endpoints require.
func TestCLIEndToEnd(t *testing.T) {
	h := &hub{Hub: hubtest.New(t)}
	h.addUser(t, "ada")
	dir := t.TempDir()
	for _, s := range []string{"uploads:read", "uploads:write"} {
		r := hubauthCLI(t, dir, "", "admin", "scope", "add", s, "--description", scopeDescriptions[s], "--db", h.DB)
		if r.code != cli.ExitOK {
			t.Fatalf("admin scope add %s: exit %d, stderr %q", s, r.code, r.stderr)
		}
	}
	d := newDatahub(t, h, "--read-scope", "", "--write-scope", "") // a deployment that checks no scope
	scoped := newDatahub(t, h)
	var r cliRun
	uploads := d.URL + "/api/v1/uploads"

	r = hubauthCLI(t, dir, "", "api", uploads)
	if r.code != cli.ExitAuthNeeded || !strings.Contains(r.stderr, "authentication required: run hubauth login") {
		t.Errorf("api without a login: exit %d, stderr %q; want 4 and authentication required: run hubauth login", r.code, r.stderr)
	}

	r = hubauthCLI(t, dir, testPassword+"\n", "login", "--server", h.URL, "--username", "ada", "--password-stdin")
	if r.code != cli.ExitOK {
		t.Fatalf("login: exit %d, stderr %q", r.code, r.stderr)
	}
	r = hubauthCLI(t, dir, "", "api", "-X", "POST", uploads, "--data", `{"upload_name":"run 7"}`)
	if r.code != cli.ExitOK || !strings.Contains(r.stdout, `"run 7"`) {
		t.Fatalf("api POST: exit %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
	}
	r = hubauthCLI(t, dir, "", "api", uploads)
	var p page
	if err := json.Unmarshal([]byte(r.stdout), &p); err != nil || r.code != cli.ExitOK {
		t.Fatalf("api GET: exit %d, stdout %q, stderr %q: %v", r.code, r.stdout, r.stderr, err)
	}
	if len(p.Data) != 1 || p.Data[0].UploadName != "run 7" {
		t.Errorf("api GET = %+v, want the upload run 7", p.Data)
	}

	// The login's default scopes lack the data hub's: NOMAD's 403.
	r = hubauthCLI(t, dir, "", "api", "-X", "POST", scoped.URL+"/api/v1/uploads", "--data", `{"upload_name":"run 8"}`)
	if r.code != cli.ExitError || !strings.Contains(r.stderr, "403 Forbidden") || !strings.Contains(r.stderr, "Missing scopes: ['uploads:write']") {
		t.Errorf("api POST without the scope: exit %d, stderr %q; want 1 and the 403", r.code, r.stderr)
	}

	// The SDK on the session the CLI stored: 403 is ErrForbidden.
	ctx := t.Context()
	c, err := client.New(ctx, client.Config{Server: h.URL, DataDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, scoped.URL+"/api/v1/uploads", strings.NewReader(`{"upload_name":"x"}`))
	req.Header.Set("Content-Type", "application/json")
	if err := sdkDo(c, req); !errors.Is(err, client.ErrForbidden) {
		t.Errorf("SDK POST without the scope: %v, want ErrForbidden", err)
	}
	// A personal token the data hub cannot introspect (no client
	// credentials): its 401 is ErrNotLoggedIn.
	pat, err := client.New(ctx, client.Config{Server: h.URL, NoStore: true, Token: h.dataPAT(t, "ada")})
	if err != nil {
		t.Fatal(err)
	}
	req, _ = http.NewRequestWithContext(ctx, http.MethodGet, uploads, nil)
	if err := sdkDo(pat, req); !errors.Is(err, client.ErrNotLoggedIn) {
		t.Errorf("SDK GET with a refused token: %v, want ErrNotLoggedIn", err)
	}

	// Asking for the data hub's scope at login: an unregistered one is
	// refused up front, the registered one lets the write through.
	r = hubauthCLI(t, dir, testPassword+"\n", "login", "--server", h.URL, "--username", "ada", "--password-stdin", "--force", "--scopes", "openid,uploads:writ")
	if r.code != cli.ExitError || !strings.Contains(r.stderr, "invalid_scope") || !strings.Contains(r.stderr, "uploads:write") {
		t.Errorf("login with a misspelt scope: exit %d, stderr %q; want 1, invalid_scope and the valid scopes", r.code, r.stderr)
	}
	r = hubauthCLI(t, dir, testPassword+"\n", "login", "--server", h.URL, "--username", "ada", "--password-stdin", "--force", "--scopes", "uploads:read,uploads:write")
	if r.code != cli.ExitOK {
		t.Fatalf("login with uploads:read and uploads:write: exit %d, stderr %q", r.code, r.stderr)
	}
	r = hubauthCLI(t, dir, "", "api", "-X", "POST", scoped.URL+"/api/v1/uploads", "--data", `{"upload_name":"run 9"}`)
	if r.code != cli.ExitOK || !strings.Contains(r.stdout, `"run 9"`) {
		t.Errorf("api POST with uploads:write: exit %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
	}
	if r = hubauthCLI(t, dir, "", "api", scoped.URL+"/api/v1/uploads"); r.code != cli.ExitOK || !strings.Contains(r.stdout, `"run 9"`) {
		t.Errorf("api GET with uploads:read: exit %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
	}
}

// sdkDo sends req with c's HTTPClient and returns CheckResponse's error.
func sdkDo(c *client.Client, req *http.Request) error {
	resp, err := c.HTTPClient(req.Context()).Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	return client.CheckResponse(resp)
}
