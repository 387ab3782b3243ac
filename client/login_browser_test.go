package client_test

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hubauth/hubauth/client"
)

// browserLogin runs LoginBrowser on c with open as the browser, which is
// run in the background as a real opener returns at once. It returns the
// last page the browser showed and the login's error.
func browserLogin(t *testing.T, c *client.Client, opts client.BrowserOptions, open func(authURL string) (webPage, error)) (webPage, error) {
	t.Helper()
	pages := make(chan webPage, 1)
	opts.OpenURL = func(u string) error {
		go func() {
			p, err := open(u)
			if err != nil {
				t.Errorf("browser: %v", err)
			}
			pages <- p
		}()
		return nil
	}
	err := c.LoginBrowser(context.Background(), opts)
	select {
	case p := <-pages:
		return p, err
	case <-time.After(10 * time.Second):
		return webPage{}, err
	}
}

// authParams returns the parameters of an authorization URL.
func authParams(t *testing.T, authURL string) url.Values {
	t.Helper()
	u, err := url.Parse(authURL)
	if err != nil {
		t.Fatal(err)
	}
	return u.Query()
}

func TestBrowserLoginWithFormFillingClient(t *testing.T) {
	h := newHub(t)
	c := newClient(t, h, t.TempDir())
	page, err := browserLogin(t, c, client.BrowserOptions{TokenName: "laptop"}, func(u string) (webPage, error) {
		q := authParams(t, u)
		redirect, _ := url.Parse(q.Get("redirect_uri"))
		if q.Get("code_challenge_method") != "S256" || q.Get("code_challenge") == "" || len(q.Get("state")) < 40 ||
			q.Get("token_name") != "laptop" || redirect.Hostname() != "127.0.0.1" || redirect.Path != "/callback" {
			t.Errorf("authorization URL %s", u)
		}
		b := newWebBrowser(t, h)
		p, err := b.get(u)
		if err == nil {
			p, err = b.login(p)
		}
		return p, err
	})
	if err != nil {
		t.Fatalf("LoginBrowser: %v", err)
	}
	if page.Status != http.StatusOK || !strings.Contains(page.Body, "You can close this tab") || page.URL.Path != "/callback" {
		t.Fatalf("last page: %d %s\n%s", page.Status, page.URL, page.Body)
	}
	info, _ := c.Session()
	if info.Method != client.MethodBrowser || info.Username != demoUser || !info.Refreshable {
		t.Fatalf("Session after browser login = %+v", info)
	}
	if _, err := me(t, c, h); err != nil {
		t.Fatalf("request after browser login: %v", err)
	}
}

func TestBrowserLoginCallbackAnswers(t *testing.T) {
	h := newHub(t)
	tests := []struct {
		name   string
		query  func(state string) url.Values
		want   error
		status int
		text   string
	}{
		{"denied", func(s string) url.Values {
			return url.Values{"state": {s}, "error": {"access_denied"}, "error_description": {"<b>no</b>"}}
		}, client.ErrAccessDenied, http.StatusOK, "You refused the login"},
		{"other error", func(s string) url.Values {
			return url.Values{"state": {s}, "error": {"login_required"}, "error_description": {"log in\x1b[31m first"}}
		}, &client.AuthorizationError{}, http.StatusOK, "login_required"},
		{"bad code", func(s string) url.Values { return url.Values{"state": {s}, "code": {"forged"}} }, nil, http.StatusOK, "Login failed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := newClient(t, h, t.TempDir())
			page, err := browserLogin(t, c, client.BrowserOptions{}, func(u string) (webPage, error) {
				q := authParams(t, u)
				b := newWebBrowser(t, h)
				// An answer with another state is turned away, and the wait goes on.
				wrong, err := b.get(q.Get("redirect_uri") + "?" + url.Values{"state": {"x"}, "code": {"c"}}.Encode())
				if err != nil || wrong.Status != http.StatusBadRequest {
					t.Errorf("wrong state: %d %v", wrong.Status, err)
				}
				return b.get(q.Get("redirect_uri") + "?" + tt.query(q.Get("state")).Encode())
			})
			var aerr *client.AuthorizationError
			switch {
			case err == nil:
				t.Fatal("LoginBrowser succeeded")
			case tt.want == client.ErrAccessDenied && !errors.Is(err, client.ErrAccessDenied):
				t.Fatalf("LoginBrowser = %v, want ErrAccessDenied", err)
			case tt.name == "other error" && (!errors.As(err, &aerr) || aerr.Code != "login_required" || strings.ContainsRune(err.Error(), 0x1b)):
				t.Fatalf("LoginBrowser = %q, want an *AuthorizationError without control characters", err)
			}
			if page.Status != tt.status || !strings.Contains(page.Body, tt.text) || strings.Contains(page.Body, "<b>") {
				t.Fatalf("page: %d\n%s", page.Status, page.Body)
			}
			if _, ok := c.Session(); ok {
				t.Fatal("a failed login left a session")
			}
		})
	}
}

func TestBrowserLoginFailures(t *testing.T) {
	h := newHub(t)
	taken, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer taken.Close()
	port := taken.Addr().(*net.TCPAddr).Port
	never := func(string) error { return nil }

	c := newClient(t, h, t.TempDir())
	err = c.LoginBrowser(context.Background(), client.BrowserOptions{CallbackPort: port, OpenURL: never})
	if err == nil || !strings.Contains(err.Error(), "callback port "+strconv.Itoa(port)) {
		t.Fatalf("LoginBrowser on a taken port = %v, want an error naming the port", err)
	}
	err = c.LoginBrowser(context.Background(), client.BrowserOptions{OpenURL: func(string) error { return errors.New("xdg-open not found") }})
	if !errors.Is(err, client.ErrNoBrowser) {
		t.Fatalf("LoginBrowser without a browser = %v, want ErrNoBrowser", err)
	}
	start := time.Now()
	err = c.LoginBrowser(context.Background(), client.BrowserOptions{OpenURL: never, Timeout: 200 * time.Millisecond})
	if !errors.Is(err, context.DeadlineExceeded) || time.Since(start) > 5*time.Second {
		t.Fatalf("LoginBrowser with nobody answering = %v after %v, want DeadlineExceeded", err, time.Since(start))
	}
}

// A scope the hub does not grant ends the browser login at once: the hub
// sends invalid_scope with the valid scopes to the callback, before any
// login page, and LoginBrowser returns it as an *AuthorizationError.
func TestBrowserLoginUnknownScope(t *testing.T) {
	h := newHub(t)
	c := newClient(t, h, t.TempDir(), func(cfg *client.Config) { cfg.Scopes = []string{"openid", "uploads:write"} })
	page, err := browserLogin(t, c, client.BrowserOptions{}, func(u string) (webPage, error) {
		return newWebBrowser(t, h).get(u) // the hub redirects straight to the callback
	})
	var aerr *client.AuthorizationError
	if !errors.As(err, &aerr) || aerr.Code != "invalid_scope" || !strings.Contains(err.Error(), "valid scopes: openid") {
		t.Fatalf("LoginBrowser = %v, want invalid_scope listing the valid scopes", err)
	}
	if page.URL == nil || page.URL.Path != "/callback" || strings.Contains(page.Body, "password") {
		t.Errorf("the browser was shown %v:\n%s", page.URL, page.Body)
	}
}

// TestBrowserLoginIDP: BrowserOptions.IDP is sent as idp_hint, and no
// idp_hint is sent without it. The browser answers access_denied, as
// after a user cancelled at the upstream.
func TestBrowserLoginIDP(t *testing.T) {
	h := newHub(t)
	for _, idp := range []string{"orcid", ""} {
		c := newClient(t, h, t.TempDir())
		var params url.Values
		_, err := browserLogin(t, c, client.BrowserOptions{IDP: idp}, func(u string) (webPage, error) {
			params = authParams(t, u)
			back := url.Values{"state": {params.Get("state")}, "error": {"access_denied"}}
			return newWebBrowser(t, h).get(params.Get("redirect_uri") + "?" + back.Encode())
		})
		if !errors.Is(err, client.ErrAccessDenied) {
			t.Errorf("IDP %q: LoginBrowser = %v, want ErrAccessDenied", idp, err)
		}
		if got, ok := params["idp_hint"]; idp != "" && (len(got) != 1 || got[0] != idp) || idp == "" && ok {
			t.Errorf("IDP %q: idp_hint = %q (sent: %t)", idp, got, ok)
		}
	}
}
