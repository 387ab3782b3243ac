package cli

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/hubauth/hubauth/internal/cli/admincmd"
	"github.com/hubauth/hubauth/internal/secret"
	"github.com/hubauth/hubauth/internal/storage"
)

func TestClientAddConfidential(t *testing.T) {
	h := newTestHub(t)
	r := h.run("", "admin", "client", "add", "datahub", "--name", "Data Hub",
		"--redirect-uri", "https://datahub.example.org/callback", "--redirect-uri", "http://127.0.0.1:8081/callback",
		"--first-party")
	if r.code != ExitOK {
		t.Fatalf("client add: exit %d, %s", r.code, r.stderr)
	}
	sec := strings.TrimSpace(r.stdout)
	if len(sec) < 40 || strings.ContainsAny(sec, " \n") {
		t.Fatalf("stdout = %q, want the secret alone", r.stdout)
	}
	if !strings.Contains(r.stderr, "shown only once") {
		t.Errorf("stderr = %q, want the shown-only-once warning", r.stderr)
	}

	s := h.store()
	got, err := s.GetClient(t.Context(), "datahub")
	if err != nil {
		t.Fatal(err)
	}
	want := storage.Client{
		ID: "datahub", Name: "Data Hub", SecretHash: secret.Hash(sec),
		RedirectURIs: []string{"https://datahub.example.org/callback", "http://127.0.0.1:8081/callback"},
		GrantTypes:   []string{"authorization_code", "refresh_token", "client_credentials"},
		FirstParty:   true, RestrictScopes: true, AllowedScopes: []string{"openid", "profile", "email", "groups", "offline_access"},
		CreatedAt: testNow,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("stored client mismatch (-want +got):\n%s", diff)
	}

	e := lastAudit(t, s)
	list := h.mustRun("", "admin", "client", "list", "--json")
	table := h.mustRun("", "admin", "client", "list")
	for name, text := range map[string]string{"audit": e.Detail, "list --json": list, "list": table} {
		if strings.Contains(text, sec) || strings.Contains(text, got.SecretHash) {
			t.Errorf("%s shows the secret or its hash: %s", name, text)
		}
	}
	if e.ClientID != "datahub" || !strings.HasPrefix(e.Detail, "add confidential client datahub") {
		t.Errorf("audit event = %+v", e)
	}
}

func TestClientAddSecretOnTerminal(t *testing.T) {
	h := newTestHub(t)
	r := h.runIO(func(ios *IOStreams) { ios.IsStdoutTTY = true }, "",
		"admin", "client", "add", "web", "--name", "Web", "--redirect-uri", "https://web.example.org/cb")
	lines := strings.Split(strings.TrimSpace(r.stdout), "\n")
	if r.code != ExitOK || len(lines) != 2 || !strings.Contains(lines[0], "shown only once") {
		t.Fatalf("exit %d, stdout %q; want the warning and the secret", r.code, r.stdout)
	}
	c, err := h.store().GetClient(t.Context(), "web")
	if err != nil || !secret.Matches(lines[1], c.SecretHash) {
		t.Errorf("printed secret does not match the stored hash (%v)", err)
	}
}

func TestClientAddPublic(t *testing.T) {
	h := newTestHub(t)
	r := h.run("", "admin", "client", "add", "notebook", "--name", "Notebook", "--public",
		"--redirect-uri", "http://[::1]/callback", "--scopes", "openid,offline_access", "--scopes", "tokens:read")
	if r.code != ExitOK || r.stdout != "" {
		t.Fatalf("exit %d, stdout %q; want 0 and no secret", r.code, r.stdout)
	}
	got, err := h.store().GetClient(t.Context(), "notebook")
	if err != nil {
		t.Fatal(err)
	}
	want := storage.Client{ID: "notebook", Name: "Notebook", Public: true,
		RedirectURIs:   []string{"http://[::1]/callback"},
		GrantTypes:     []string{"authorization_code", "refresh_token", "urn:ietf:params:oauth:grant-type:device_code"},
		RestrictScopes: true, AllowedScopes: []string{"openid", "offline_access", "tokens:read"}}
	if diff := cmp.Diff(want, got, cmpopts.IgnoreFields(storage.Client{}, "CreatedAt")); diff != "" {
		t.Errorf("stored client mismatch (-want +got):\n%s", diff)
	}
}

func TestClientAddBadInput(t *testing.T) {
	h := newTestHub(t)
	h.mustRun("", "admin", "client", "add", "web", "--name", "Web", "--redirect-uri", "https://web.example.org/cb")
	tests := []struct {
		name string
		args []string
		msg  string
	}{
		{"duplicate", []string{"web"}, `client "web" already exists`},
		{"bad ID", []string{"my client"}, `invalid client ID "my client"`},
		{"relative redirect", []string{"c", "--redirect-uri", "/callback"}, "must be an absolute URL"},
		{"fragment", []string{"c", "--redirect-uri", "https://a.example.org/cb#x"}, "must not have a fragment"},
		{"http elsewhere", []string{"c", "--redirect-uri", "http://a.example.org/cb"}, "http is allowed only on 127.0.0.1, [::1] or localhost"},
		{"other scheme", []string{"c", "--redirect-uri", "ftp://a.example.org/cb"}, "use https"},
		{"user info", []string{"c", "--redirect-uri", "https://u:p@a.example.org/cb"}, "must not have user information"},
		{"unknown grant", []string{"c", "--grant", "implicit"}, `unknown grant type "implicit"`},
		{"public client credentials", []string{"c", "--public", "--grant", "client_credentials"}, "a public client cannot use client_credentials"},
		{"unknown scope", []string{"c", "--scopes", "openid,uploads:write"}, `unknown scope "uploads:write"; valid scopes: openid`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			args := append([]string{"admin", "client", "add"}, tt.args...)
			r := h.run("", append(args, "--name", "C")...)
			wantFailure(t, r, ExitError, tt.msg)
			if r.stdout != "" {
				t.Errorf("stdout = %q, want nothing", r.stdout)
			}
		})
	}
	clients, err := h.store().ListClients(t.Context())
	if err != nil || len(clients) != 1 {
		t.Errorf("ListClients = %d clients, %v; want only web", len(clients), err)
	}
}

func TestClientDisableEnable(t *testing.T) {
	h := newTestHub(t)
	s := h.store()
	// As hubauth serve seeds it on first start.
	if err := s.CreateClient(t.Context(), storage.Client{ID: "hubauth-cli", Name: "hubauth CLI", Public: true}); err != nil {
		t.Fatal(err)
	}
	for _, step := range []struct {
		cmd      string
		disabled bool
	}{{"disable", true}, {"enable", false}} {
		h.mustRun("", "admin", "client", step.cmd, "hubauth-cli")
		c, err := s.GetClient(t.Context(), "hubauth-cli")
		if err != nil || c.Disabled != step.disabled {
			t.Errorf("after client %s: Disabled = %t, %v; want %t", step.cmd, c.Disabled, err, step.disabled)
		}
		if e := lastAudit(t, s); e.ClientID != "hubauth-cli" || e.Detail != step.cmd+" client hubauth-cli" {
			t.Errorf("audit event = %+v", e)
		}
	}
	var list []admincmd.ClientJSON
	if err := json.Unmarshal([]byte(h.mustRun("", "admin", "client", "list", "--json")), &list); err != nil || len(list) != 1 {
		t.Errorf("client list --json = %+v, %v", list, err)
	}
	wantFailure(t, h.run("", "admin", "client", "disable", "nope"), ExitError, `no client "nope"`)
}
