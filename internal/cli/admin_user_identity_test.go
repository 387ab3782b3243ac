package cli

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/hubauth/hubauth/internal/cli/admincmd"
	"github.com/hubauth/hubauth/internal/storage"
)

// identityHub returns a test hub with the provider "orcid" and the users
// "ada" (with a password) and "fed" (without one: federated only).
func identityHub(t *testing.T) (*testHub, storage.Storage) {
	t.Helper()
	h := newTestHub(t)
	h.mustRun("pw\n", "admin", "user", "add", "ada", "--password-stdin")
	s := h.store()
	p := storage.IdentityProvider{Name: "orcid", Issuer: "https://orcid.org", ClientID: "APP-1", ClientSecret: "sec",
		DisplayName: "ORCID", Scopes: []string{"openid"}, UsernameClaim: "sub", Provision: storage.ProvisionOff, CreatedAt: testNow}
	if err := s.CreateIdentityProvider(t.Context(), p); err != nil {
		t.Fatal(err)
	}
	if err := s.CreateUser(t.Context(), storage.User{ID: "fed-id", Username: "fed", CreatedAt: testNow}); err != nil {
		t.Fatal(err)
	}
	return h, s
}

// TestUserLinkIdentities links identities, lists them (table and JSON)
// and unlinks one; each change is audited.
func TestUserLinkIdentities(t *testing.T) {
	h, s := identityHub(t)
	r := h.run("", "admin", "user", "link", "ada", "--idp", "orcid", "--subject", "0000-0002-1825-0097")
	if r.code != ExitOK || r.stdout != "" || r.stderr != "Linked identity \"0000-0002-1825-0097\" of \"orcid\" to user \"ada\".\n" {
		t.Errorf("link: exit %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
	}
	if e := lastAudit(t, s); e.Type != storage.AuditIdentityLinked || !strings.Contains(e.Detail, "to user ada") {
		t.Errorf("audit after link = %+v", e)
	}
	h.mustRun("", "admin", "user", "link", "ada", "--idp", "orcid", "--subject", "second")

	var got []admincmd.IdentityJSON
	out := h.mustRun("", "admin", "user", "identities", "ada", "--json")
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("identities --json = %s: %v", out, err)
	}
	want := []admincmd.IdentityJSON{
		{Provider: "orcid", Subject: "0000-0002-1825-0097", CreatedAt: &testNow},
		{Provider: "orcid", Subject: "second", CreatedAt: &testNow},
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("identities --json mismatch (-want +got):\n%s", d)
	}
	table := h.mustRun("", "admin", "user", "identities", "ada")
	if !strings.Contains(table, "PROVIDER") || !strings.Contains(table, "0000-0002-1825-0097") || !strings.Contains(table, "never") {
		t.Errorf("identities = %s", table)
	}

	h.mustRun("", "admin", "user", "unlink", "ada", "--idp", "orcid", "--subject", "second")
	if e := lastAudit(t, s); e.Type != storage.AuditIdentityUnlinked || !strings.Contains(e.Detail, `"second"`) {
		t.Errorf("audit after unlink = %+v", e)
	}
	if out := h.mustRun("", "admin", "user", "identities", "fed", "--json"); out != "[]\n" {
		t.Errorf("identities of a user without any = %q, want []", out)
	}
}

// TestUserLinkRefused: a missing user, provider or flag, a bad subject,
// an identity linked elsewhere and a user's last way to sign in each fail
// with a clear message.
func TestUserLinkRefused(t *testing.T) {
	h, _ := identityHub(t)
	h.mustRun("", "admin", "user", "link", "fed", "--idp", "orcid", "--subject", "only")
	tests := []struct {
		name string
		args []string
		code int
		msg  string
	}{
		{"no subject", []string{"link", "ada", "--idp", "orcid"}, ExitUsage, "--idp NAME --subject SUB"},
		{"no idp", []string{"unlink", "ada", "--subject", "s"}, ExitUsage, "--idp NAME --subject SUB"},
		{"unknown user", []string{"link", "nobody", "--idp", "orcid", "--subject", "s"}, ExitError, `no user "nobody"`},
		{"unknown provider", []string{"link", "ada", "--idp", "nope", "--subject", "s"}, ExitError, `no identity provider "nope"`},
		{"bad subject", []string{"link", "ada", "--idp", "orcid", "--subject", "a\x1b[2Jb"}, ExitError, "--subject must not contain control characters"},
		{"long subject", []string{"link", "ada", "--idp", "orcid", "--subject", strings.Repeat("x", 256)}, ExitError, "1 to 255 bytes"},
		{"linked elsewhere", []string{"link", "ada", "--idp", "orcid", "--subject", "only"}, ExitError, `is already linked to user "fed"`},
		{"last way to sign in", []string{"unlink", "fed", "--idp", "orcid", "--subject", "only"}, ExitError, `the last way user "fed" can sign in`},
		{"not linked", []string{"unlink", "ada", "--idp", "orcid", "--subject", "only"}, ExitError, `user "ada" has no identity "only"`},
		{"identities of nobody", []string{"identities", "nobody"}, ExitError, `no user "nobody"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := h.run("", append([]string{"admin", "user"}, tt.args...)...)
			wantFailure(t, r, tt.code, tt.msg)
			if strings.ContainsRune(r.stderr, 0x1b) {
				t.Errorf("stderr %q carries a terminal escape", r.stderr)
			}
		})
	}
}
