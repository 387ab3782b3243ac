package cli

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/hubauth/hubauth/internal/secret"
	"github.com/hubauth/hubauth/internal/storage"
)

// A provider that registered the CLI as a confidential client (as Dex
// deployments often do): login reads the secret from standard input, and
// later commands refresh and revoke the session with the stored secret.
func TestLoginConfidentialClient(t *testing.T) {
	t.Parallel()
	h := newUserHub(t)
	const id, sec = "datahub-cli", "a-secret-of-the-cli"
	err := h.Store.CreateClient(context.Background(), storage.Client{ID: id, Name: "Data hub CLI", SecretHash: secret.Hash(sec),
		FirstParty: true, GrantTypes: []string{"refresh_token", "urn:ietf:params:oauth:grant-type:device_code"}, CreatedAt: time.Now().UTC()})
	if err != nil {
		t.Fatal(err)
	}
	r := h.exec(cmd{args: []string{"login", "--server", h.URL, "--no-browser", "--client-id", id, "--client-secret-stdin"},
		stdin: sec + "\n", errW: h.approving(t, "approve")})
	if r.code != ExitOK || !strings.Contains(r.stderr, "Logged in to "+h.URL+" as ada (device)\n") || strings.Contains(r.stderr, sec) {
		t.Fatalf("login: exit %d, stderr:\n%s", r.code, r.stderr)
	}
	first, _ := h.stored("")
	h.CLIClock.Advance(time.Hour) // the access token must be refreshed
	if got := h.mustRun("", "token"); got == first.AccessToken+"\n" || got == "\n" {
		t.Errorf("token after expiry = %q, want a refreshed token", got)
	}
	if r := h.run("", "logout"); r.code != ExitOK || strings.Contains(r.stderr, "not told") {
		t.Errorf("logout: exit %d, stderr:\n%s", r.code, r.stderr)
	}
}

func TestLoginClientSecretUsage(t *testing.T) {
	t.Parallel()
	h := newUserHub(t)
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"--client-secret-stdin"}, "--client-secret-stdin goes with --client-id"},
		{[]string{"--client-id", "x", "--client-secret-stdin", "--with-token"}, "--client-secret-stdin is for logins through the client"},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			r := h.run("s\n", append([]string{"login", "--server", h.URL}, tt.args...)...)
			wantFailure(t, r, ExitUsage, tt.want)
		})
	}
}
