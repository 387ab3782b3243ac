package cli

import (
	"errors"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/hubauth/hubauth/client"
)

func TestLogout(t *testing.T) {
	t.Parallel()
	h := newUserHub(t)
	h.login()
	h.login("--profile", "work")
	sess, _ := h.stored("work")
	r := h.run("", "logout", "--profile", "work")
	if want := "Logged out of " + h.URL + " (profile work).\n"; r.code != ExitOK || r.stderr != want {
		t.Fatalf("logout --profile work: exit %d, stderr %q; want %q", r.code, r.stderr, want)
	}
	if _, ok := h.stored("work"); ok {
		t.Fatal("the session is still stored")
	}
	if _, ok := h.stored(""); !ok {
		t.Fatal("logout of profile work ended the default profile too")
	}
	if code := h.refreshWith(t, sess.RefreshToken); code != "invalid_grant" {
		t.Errorf("the logged-out refresh token at the hub: %q, want invalid_grant", code)
	}
	r = h.run("", "logout", "--profile", "work")
	if want := "Not logged in to " + h.URL + " (profile work): nothing to do.\n"; r.code != ExitOK || r.stderr != want {
		t.Errorf("second logout: exit %d, stderr %q; want %q", r.code, r.stderr, want)
	}
	r = h.exec(cmd{args: []string{"logout"}, env: map[string]string{"HUBAUTH_TOKEN": "x"}})
	if r.code != ExitOK || !strings.HasSuffix(r.stderr, "Note: HUBAUTH_TOKEN is still set: unset it too.\n") {
		t.Errorf("logout with HUBAUTH_TOKEN: exit %d, stderr %q", r.code, r.stderr)
	}
	if r := h.run("", "logout"); r.code != ExitOK || r.stderr != "Not logged in: nothing to do.\n" {
		t.Errorf("logout with nothing stored: exit %d, stderr %q", r.code, r.stderr)
	}
}

func TestLogoutServerUnreachable(t *testing.T) {
	t.Parallel()
	h := newUserHub(t)
	h.login()
	h.Close()
	r := h.run("", "logout")
	want := "hubauth: warning: client: logged out locally; the server was not told (cannot reach " + h.URL
	if r.code != ExitOK || !strings.HasPrefix(r.stderr, want) || !strings.HasSuffix(r.stderr, "Logged out of "+h.URL+".\n") {
		t.Errorf("logout: exit %d, stderr %q; want 0 and %q…", r.code, r.stderr, want)
	}
	if _, ok := h.stored(""); ok {
		t.Error("the session is still stored")
	}
}

func TestLogoutAll(t *testing.T) {
	t.Parallel()
	h := newUserHub(t)
	other := newUserHub(t)
	other.DataDir, other.Env = h.DataDir, h.Env // one sessions file, two servers
	h.login()
	other.login()
	h.login("--profile", "work")
	other.Close()
	r := h.run("", "logout", "--all")
	want := "hubauth: warning: client: " + other.URL + " (default): logged out locally; the server was not told (cannot reach"
	if r.code != ExitOK || !strings.HasPrefix(r.stderr, want) || !strings.HasSuffix(r.stderr, "Logged out of every stored session.\n") {
		t.Errorf("logout --all: exit %d, stderr %q; want 0 and %q…", r.code, r.stderr, want)
	}
	for _, s := range []struct {
		h       *userHub
		profile string
	}{{h, ""}, {h, "work"}, {other, ""}} {
		if _, ok := s.h.stored(s.profile); ok {
			t.Errorf("%s (%s) is still stored", s.h.URL, s.profile)
		}
	}
}

// refreshWith presents a refresh token to the hub directly and returns
// the OAuth error code, "" on success.
func (h *userHub) refreshWith(t *testing.T, rt string) string {
	t.Helper()
	resp, err := http.PostForm(h.URL+"/oauth/token", url.Values{
		"grant_type": {"refresh_token"}, "refresh_token": {rt}, "client_id": {client.DefaultClientID}})
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var herr *client.HTTPError
	if err := client.CheckResponse(resp); errors.As(err, &herr) {
		return herr.Code
	}
	return ""
}
