package hubtest_test

import (
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/oauth2"

	"github.com/hubauth/hubauth/internal/hubtest"
	"github.com/hubauth/hubauth/internal/storage"
)

func TestHidden(t *testing.T) {
	body := `<input type="hidden" name="authRequestID" value="a1"><input name="username" value="x">` +
		`<input type="hidden" name="next" value="/account">`
	want := url.Values{"authRequestID": {"a1"}, "next": {"/account"}}
	if diff := cmp.Diff(want, hubtest.Hidden(body)); diff != "" {
		t.Errorf("Hidden (-want +got):\n%s", diff)
	}
}

// TestFormPost fills the hub's login page with FormPost and the hidden
// fields: the hub accepts it as its own page's and redirects to the
// application with a code.
func TestFormPost(t *testing.T) {
	h := hubtest.New(t, hubtest.WithUser("ada", pw))
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, CheckRedirect: func(req *http.Request, _ []*http.Request) error {
		if !strings.HasPrefix(req.URL.String(), h.URL) {
			return http.ErrUseLastResponse
		}
		return nil
	}}
	q := url.Values{"client_id": {storage.CLIClientID}, "response_type": {"code"}, "scope": {"openid"},
		"redirect_uri": {"http://127.0.0.1:49152/callback"}, "state": {"st4te"},
		"code_challenge": {oauth2.S256ChallengeFromVerifier(oauth2.GenerateVerifier())}, "code_challenge_method": {"S256"}}
	resp, err := c.Get(h.URL + "/authorize?" + q.Encode())
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	form := hubtest.Hidden(string(body))
	if form.Get("authRequestID") == "" {
		t.Fatalf("no authRequestID on the login page: %d\n%s", resp.StatusCode, body)
	}
	form.Set("username", "ada")
	form.Set("password", pw)
	req := h.FormPost("/login", form)
	if got := req.Header.Get("Origin"); got != h.URL {
		t.Errorf("Origin = %q, want %q", got, h.URL)
	}
	resp, err = c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	loc, err := resp.Location()
	if err != nil || loc.Query().Get("code") == "" || loc.Query().Get("state") != "st4te" {
		t.Errorf("after the login form: %d, Location %v (%v); want a redirect with a code", resp.StatusCode, loc, err)
	}
}
