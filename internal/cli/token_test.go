package cli

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

// appToken creates a personal token for the logged-in user through
// `hubauth api`, as NOMAD users do.
func (h *userHub) appToken(t *testing.T) string {
	t.Helper()
	var body struct {
		AccessToken string `json:"access_token"`
	}
	mustJSON(t, h.mustRun("", "api", "/api/v1/auth/app_token?expires_in=3600"), &body)
	if !strings.HasPrefix(body.AccessToken, "hubauth_pat_") {
		t.Fatalf("app token = %q", body.AccessToken)
	}
	return body.AccessToken
}

func TestLoginWithToken(t *testing.T) {
	t.Parallel()
	h := newUserHub(t)
	h.login()
	pat := h.appToken(t)
	r := h.run(pat+"\n", "login", "--with-token", "--profile", "ci")
	if want := "Logged in to " + h.URL + " (profile ci) as ada (token)\n"; r.code != ExitOK || r.stderr != want {
		t.Fatalf("login --with-token: exit %d, stderr %q; want %q", r.code, r.stderr, want)
	}
	ci := map[string]string{"HUBAUTH_PROFILE": "ci"}
	if got := h.exec(cmd{args: []string{"token"}, env: ci}).stdout; got != pat+"\n" {
		t.Errorf("token for profile ci = %q, want the personal token", got)
	}
	var st statusJSON
	mustJSON(t, h.exec(cmd{args: []string{"status", "--json"}, env: ci}).stdout, &st)
	if st.Method != "token" || st.Username != demoUser || st.Refreshable || !st.LoggedIn || st.Profile != "ci" {
		t.Errorf("status --json for profile ci = %+v", st)
	}
	// A personal token cannot mint another: the server's 403 and message.
	r = h.exec(cmd{args: []string{"api", "/api/v1/auth/app_token?expires_in=60"}, env: ci})
	wantFailure(t, r, ExitError, "403 Forbidden: access_denied: app tokens are created with an access token, not with another personal token")
}

func TestEnvTokenOverridesStoredSession(t *testing.T) {
	t.Parallel()
	h := newUserHub(t)
	h.login()
	pat := h.appToken(t)
	env := map[string]string{"HUBAUTH_TOKEN": pat}
	if got := h.exec(cmd{args: []string{"token"}, env: env}).stdout; got != pat+"\n" {
		t.Errorf("token with HUBAUTH_TOKEN = %q, want it", got)
	}
	status := h.exec(cmd{args: []string{"status"}, env: env}).stdout
	if !strings.Contains(status, "HUBAUTH_TOKEN (environment variable)") || strings.Contains(status, pat) {
		t.Errorf("status with HUBAUTH_TOKEN = %q, want the source and no token", status)
	}
	if r := h.exec(cmd{args: []string{"whoami", "--json"}, env: env}); !strings.Contains(r.stdout, `"username": "ada"`) {
		t.Errorf("whoami with HUBAUTH_TOKEN: exit %d, %s%s", r.code, r.stdout, r.stderr)
	}
	// With HUBAUTH_SERVER and no stored session at all, as in a CI job.
	ci := map[string]string{"HUBAUTH_TOKEN": pat, "HUBAUTH_SERVER": h.URL, "HUBAUTH_DATA_DIR": t.TempDir()}
	if r := h.exec(cmd{args: []string{"api", "/api/v1/users/me"}, env: ci}); r.code != ExitOK {
		t.Errorf("api in a CI job: exit %d, %s", r.code, r.stderr)
	}
	bad := map[string]string{"HUBAUTH_TOKEN": "hubauth_pat_nonsense"}
	r := h.exec(cmd{args: []string{"api", "/api/v1/users/me"}, env: bad})
	wantFailure(t, r, ExitAuthNeeded, "the server refused the token in HUBAUTH_TOKEN")
	r = h.exec(cmd{args: []string{"whoami"}, env: bad})
	wantFailure(t, r, ExitAuthNeeded, "the server refused the token in HUBAUTH_TOKEN")

	// An access token (a JWT) given as is expires and is never refreshed.
	sess, _ := h.stored("")
	h.CLIClock.Advance(time.Hour)
	expired := map[string]string{"HUBAUTH_TOKEN": sess.AccessToken}
	for _, args := range [][]string{{"token"}, {"status"}} {
		r = h.exec(cmd{args: args, env: expired})
		wantFailure(t, r, ExitAuthNeeded, "the token in HUBAUTH_TOKEN has expired")
	}
}

func TestTokenRefreshes(t *testing.T) {
	t.Parallel()
	h := newUserHub(t)
	h.login()
	first, _ := h.stored("")
	if got := h.mustRun("", "token", "--min-valid", "10m"); got != first.AccessToken+"\n" {
		t.Fatalf("token --min-valid 10m = %q, want the stored token (valid 15m)", got)
	}
	got := strings.TrimSpace(h.mustRun("", "token", "--min-valid", "20m"))
	second, _ := h.stored("")
	if got == first.AccessToken || got != second.AccessToken || second.RefreshToken == first.RefreshToken {
		t.Fatalf("token --min-valid 20m did not refresh and store the rotated session")
	}
	h.CLIClock.Advance(16 * time.Minute) // the token has expired for the CLI
	if got := strings.TrimSpace(h.mustRun("", "token")); got == second.AccessToken {
		t.Fatal("an expired token was printed")
	}
}

func TestExpiredOrRevokedSession(t *testing.T) {
	t.Parallel()
	h := newUserHub(t)
	h.login()
	sess, _ := h.stored("")
	resp, err := http.PostForm(h.URL+"/oauth/revoke", url.Values{"token": {sess.RefreshToken},
		"token_type_hint": {"refresh_token"}, "client_id": {sess.ClientID}})
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("revoke: %v %v", resp, err)
	}
	resp.Body.Close()
	h.CLIClock.Advance(16 * time.Minute) // the access token must be refreshed: refused
	const msg = "session expired or revoked: run hubauth login"
	for _, args := range [][]string{{"token"}, {"whoami"}, {"api", "/api/v1/users/me"}, {"status"}} {
		r := h.run("", args...)
		wantFailure(t, r, ExitAuthNeeded, msg)
	}
	if s, _ := h.stored(""); !s.Expired {
		t.Error("the refused refresh did not mark the session expired")
	}
	var st statusJSON
	r := h.run("", "status", "--json")
	mustJSON(t, r.stdout, &st)
	if r.code != ExitAuthNeeded || st.LoggedIn || !st.Expired {
		t.Errorf("status --json: exit %d, %+v", r.code, st)
	}
	// A new login replaces an expired session without --force.
	h.login()
	h.mustRun("", "status")
}
