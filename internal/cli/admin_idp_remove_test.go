package cli

import (
	"testing"

	"github.com/hubauth/hubauth/internal/hubtest"
)

// TestIDPRemoveLinked: `idp remove` refuses a provider with linked
// identities, naming their number, until --force, which says how many it
// unlinked.
func TestIDPRemoveLinked(t *testing.T) {
	h, s := identityHub(t)
	h.mustRun("", "admin", "user", "link", "ada", "--idp", "orcid", "--subject", "a")
	h.mustRun("", "admin", "user", "link", "fed", "--idp", "orcid", "--subject", "f")
	wantFailure(t, h.run("", "admin", "idp", "remove", "orcid"), ExitError,
		`identity provider "orcid" has 2 linked identities: removing it unlinks them`)
	if _, err := s.GetIdentityProvider(t.Context(), "orcid"); err != nil {
		t.Fatalf("after a refused remove: %v", err)
	}
	r := h.run("", "admin", "idp", "remove", "orcid", "--force")
	if r.code != ExitOK || r.stderr != "Removed identity provider \"orcid\" and unlinked 2 identities.\n" {
		t.Errorf("remove --force: exit %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
	}
	if e := lastAudit(t, s); e.Detail != "remove identity provider orcid (2 linked identities unlinked)" {
		t.Errorf("audit after remove --force = %q", e.Detail)
	}
}

// TestIDPUpdateIssuerLinked: a new --issuer is refused while identities
// are linked, until --force.
func TestIDPUpdateIssuerLinked(t *testing.T) {
	moved := hubtest.New(t)
	h, s := identityHub(t)
	h.mustRun("", "admin", "user", "link", "ada", "--idp", "orcid", "--subject", "a")
	wantFailure(t, h.run("", "admin", "idp", "update", "orcid", "--issuer", moved.URL), ExitError,
		`identity provider "orcid" has 1 linked identity, subjects at https://orcid.org`)
	if p, _ := s.GetIdentityProvider(t.Context(), "orcid"); p.Issuer != "https://orcid.org" {
		t.Fatalf("a refused update changed the issuer to %s", p.Issuer)
	}
	h.mustRun("", "admin", "idp", "update", "orcid", "--issuer", moved.URL, "--force")
	if p, _ := s.GetIdentityProvider(t.Context(), "orcid"); p.Issuer != moved.URL {
		t.Errorf("issuer after update --force = %s, want %s", p.Issuer, moved.URL)
	}
}
