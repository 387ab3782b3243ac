package cli

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// TestLoginKeepsALiveSession: a stored session is never silently replaced
// (CAVE's overwrite=False).
func TestLoginKeepsALiveSession(t *testing.T) {
	t.Parallel()
	h := newUserHub(t)
	h.login()
	first, _ := h.stored("")
	pwLogin := []string{"login", "--username", demoUser, "--password-stdin"}
	tty := func(ios *IOStreams) { ios.IsStdinTTY, ios.IsStdoutTTY = true, true }

	r := h.run(demoPassword+"\n", pwLogin...)
	wantFailure(t, r, ExitError, "already logged in to "+h.URL+" as ada; use --force to replace the session")
	r = h.exec(cmd{args: pwLogin, stdin: "n\n" + demoPassword + "\n", io: tty})
	// On a terminal the answer's echo ends the question's line.
	if want := "You are already logged in to " + h.URL + " as ada. Replace that session? [y/N] hubauth: login cancelled: the stored session is kept\n"; r.code != ExitError || r.stderr != want {
		t.Errorf("answer n: exit %d, stderr %q; want 1 and %q", r.code, r.stderr, want)
	}
	if s, _ := h.stored(""); s.AccessToken != first.AccessToken {
		t.Fatal("a refused login replaced the session")
	}

	r = h.exec(cmd{args: pwLogin, stdin: "y\n" + demoPassword + "\n", io: tty})
	if r.code != ExitOK || !strings.Contains(r.stderr, "Logged in to "+h.URL+" as ada (password)") {
		t.Fatalf("login after yes: exit %d, stderr:\n%s", r.code, r.stderr)
	}
	second, _ := h.stored("")
	if second.AccessToken == first.AccessToken {
		t.Fatal("yes did not replace the session")
	}
	h.mustRun(demoPassword+"\n", append(pwLogin, "--force")...)
	if third, _ := h.stored(""); third.AccessToken == second.AccessToken {
		t.Fatal("--force did not replace the session")
	}
	// Another profile is another session: no question.
	h.mustRun(demoPassword+"\n", append(pwLogin, "--profile", "work")...)
	if s, ok := h.stored("work"); !ok || s.Username != demoUser {
		t.Fatalf("profile work = %+v, %t", s, ok)
	}
}

func TestLoginFailures(t *testing.T) {
	t.Parallel()
	h := newUserHub(t)
	// A server whose certificate this machine does not trust.
	untrusted := httptest.NewTLSServer(http.NotFoundHandler())
	t.Cleanup(untrusted.Close)
	tests := []struct {
		name  string
		stdin string
		args  []string
		code  int
		msg   string
	}{
		{"wrong password", "nope\n", []string{"--username", demoUser, "--password-stdin"}, ExitError, "login failed: client: invalid username or password"},
		{"unknown scope", demoPassword + "\n", []string{"--username", demoUser, "--password-stdin", "--scopes", "uploads:delete-everything"}, ExitError, "invalid_scope"},
		{"no password", "", []string{"--username", demoUser, "--password-stdin"}, ExitError, "no password on standard input"},
		{"no token", "\n", []string{"--with-token"}, ExitError, "no token on standard input"},
		{"refused token", "not-a-token\n", []string{"--with-token"}, ExitError, "does not accept this token"},
		{"password without a terminal", "", []string{"--username", demoUser}, ExitUsage, "standard input is not a terminal: pass --password-stdin"},
		{"no username", demoPassword + "\n", []string{"--method", "password", "--password-stdin"}, ExitUsage, "--username is required"},
		{"unreachable server", demoPassword + "\n", []string{"--server", "http://127.0.0.1:1", "--username", demoUser, "--password-stdin"}, ExitError, "login failed: client: cannot reach http://127.0.0.1:1"},
		{"untrusted TLS certificate", demoPassword + "\n", []string{"--server", untrusted.URL, "--username", demoUser, "--password-stdin"}, ExitError, "certificate"},
		{"bad server URL", demoPassword + "\n", []string{"--server", "ftp://example.org", "--username", demoUser, "--password-stdin"}, ExitUsage, "must be an absolute http(s) URL"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := h.run(tt.stdin, append([]string{"login", "--server", h.URL}, tt.args...)...)
			wantFailure(t, r, tt.code, tt.msg)
		})
	}
	if _, ok := h.stored(""); ok {
		t.Error("a failed login stored a session")
	}
}

func TestLoginHiddenPrompt(t *testing.T) {
	t.Parallel()
	h := newUserHub(t)
	var prompts []string
	secret := func(_ context.Context, prompt string) (string, error) {
		prompts = append(prompts, prompt)
		return demoPassword, nil
	}
	r := h.exec(cmd{args: []string{"login", "--server", h.URL, "--username", demoUser},
		io: func(ios *IOStreams) { ios.IsStdinTTY = true }, f: func(f *Factory) { f.ReadSecret = secret }})
	if r.code != ExitOK || len(prompts) != 1 || prompts[0] != "Password for ada: " {
		t.Fatalf("login: exit %d, prompts %q, stderr:\n%s", r.code, prompts, r.stderr)
	}
	r = h.exec(cmd{args: []string{"login", "--method", "token", "--force"}, io: func(ios *IOStreams) { ios.IsStdinTTY = true },
		f: func(f *Factory) {
			f.ReadSecret = func(context.Context, string) (string, error) { return "", context.Canceled }
		}})
	wantFailure(t, r, ExitError, "login cancelled")
	if _, err := terminalSecretReader(&IOStreams{})(t.Context(), "Password: "); err == nil || errors.Is(err, context.Canceled) {
		t.Errorf("hidden prompt without a terminal: %v, want an error", err)
	}
}
