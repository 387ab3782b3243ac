package cli

import (
	"strings"
	"testing"

	"github.com/hubauth/hubauth/internal/server/mfa"
	"github.com/hubauth/hubauth/internal/storage"
)

// TestLoginPasswordWithOTP: a user with an authenticator app logs in with
// --password-stdin --otp-stdin; without --otp-stdin and no terminal the
// login says what to pass. An administrator sees the factor in user list
// and removes it with reset-mfa, which is audited.
func TestLoginPasswordWithOTP(t *testing.T) {
	h := newUserHub(t)
	const key = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
	u, err := h.Store.GetUserByUsername(t.Context(), demoUser)
	if err != nil {
		t.Fatal(err)
	}
	now := h.Clock.Now()
	if err := h.Store.BeginTOTP(t.Context(), storage.TOTP{UserID: u.ID, Secret: key, CreatedAt: now}); err != nil {
		t.Fatal(err)
	}
	if err := h.Store.ConfirmTOTP(t.Context(), u.ID, key, 0, []string{"h1", "h2"}, now); err != nil {
		t.Fatal(err)
	}

	r := h.run(demoPassword+"\n", "login", "--server", h.URL, "--username", demoUser, "--password-stdin")
	wantFailure(t, r, ExitUsage, "this account needs a second factor: pass --otp-stdin")
	wantFailure(t, h.run("", "login", "--server", h.URL, "--otp-stdin"), ExitUsage, "--otp-stdin goes with --method password")

	r = h.run(demoPassword+"\n000000\n", "login", "--server", h.URL, "--username", demoUser, "--password-stdin", "--otp-stdin")
	wantFailure(t, r, ExitError, "code was refused")
	code, err := mfa.Code(key, h.Clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	r = h.run(demoPassword+"\n"+code+"\n", "login", "--server", h.URL, "--username", demoUser, "--password-stdin", "--otp-stdin")
	if r.code != ExitOK {
		t.Fatalf("login with the code: exit %d\n%s", r.code, r.stderr)
	}

	if list := h.mustRun("", "admin", "user", "list", "--db", h.DB); !strings.Contains(list, "totp (2 recovery codes)") {
		t.Errorf("user list = %q, want ada's totp and 2 recovery codes", list)
	}
	if out := h.run("", "admin", "user", "reset-mfa", demoUser, "--db", h.DB); out.code != ExitOK || !strings.Contains(out.stderr+out.stdout, "Removed the second factors") {
		t.Fatalf("reset-mfa: exit %d %q %q", out.code, out.stdout, out.stderr)
	}
	if f, _ := h.Store.GetSecondFactors(t.Context(), u.ID); f.TOTP || f.RecoveryCodes != 0 {
		t.Errorf("after reset-mfa: %+v", f)
	}
	events, _ := h.Store.ListAudit(t.Context(), 50)
	found := false
	for _, e := range events {
		found = found || (e.Type == storage.AuditMFARemoved && strings.Contains(e.Detail, "reset-mfa"))
	}
	if !found {
		t.Error("reset-mfa is not in the audit log")
	}
	if out := h.run("", "admin", "user", "reset-mfa", demoUser, "--db", h.DB); out.code != ExitOK || !strings.Contains(out.stderr+out.stdout, "nothing to reset") {
		t.Errorf("reset-mfa again: exit %d %q %q", out.code, out.stdout, out.stderr)
	}
	wantFailure(t, h.run("", "admin", "user", "reset-mfa", "nobody", "--db", h.DB), ExitError, "nobody")
}
