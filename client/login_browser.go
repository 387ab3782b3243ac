package client

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"net"
	"net/http"
	"time"

	"github.com/cli/browser"
	"golang.org/x/oauth2"
)

// BrowserOptions configure LoginBrowser. The zero value opens the
// system's browser and listens on a random port for five minutes.
type BrowserOptions struct {
	// Prompt is called with the authorization URL once the callback
	// listener is ready and before the browser is opened, so that the
	// user can open the URL by hand when no browser shows up.
	Prompt func(authURL string)

	// OpenURL opens the authorization URL in a browser. Nil means
	// github.com/cli/browser's OpenURL (which handles WSL). LoginBrowser
	// runs it in the background and never waits for it: a browser
	// command may stay in the foreground until the browser is closed.
	// Its error is passed to Config.Warn and the login goes on, since the
	// user can open the URL that Prompt showed; without a Prompt nobody
	// can, and the error ends the login with an error matching
	// ErrNoBrowser.
	OpenURL func(url string) error

	// CallbackPort is the loopback port of the redirect URI, for
	// providers that register one port. Zero means any free port, which
	// RFC 8252 §7.3 requires providers to accept.
	CallbackPort int

	// Timeout bounds the wait for the browser. Zero means 5 minutes.
	Timeout time.Duration

	// TokenName labels the session on the server (sent as token_name).
	TokenName string

	// IDP is the upstream provider to sign in with at the hub: sent as
	// idp_hint, so the hub goes straight to it. Empty means the hub's
	// login page, where the user chooses. Other providers ignore it.
	IDP string

	// Force replaces a live stored session instead of failing with
	// ErrSessionExists.
	Force bool
}

// LoginBrowser logs in with the authorization code flow and PKCE S256
// (RFC 7636) in the user's browser, and stores the session.
//
// It listens on 127.0.0.1 before it shows or opens anything, and asks the
// provider to redirect to http://127.0.0.1:PORT/callback (RFC 8252 §7.3).
// It never waits for the browser to be opened. The answer must carry
// the state it sent, compared in constant time; an answer with another
// state is turned away and the wait goes on. The browser tab then shows
// whether the login worked. LoginBrowser fails with ErrAccessDenied when
// the user refuses, an *AuthorizationError for the provider's other
// refusals, and an error matching context.DeadlineExceeded after
// opts.Timeout.
func (c *Client) LoginBrowser(ctx context.Context, opts BrowserOptions) error {
	if err := c.checkReplace(opts.Force); err != nil {
		return err
	}
	m, err := c.discover(ctx)
	if err != nil {
		return err
	}
	if m.AuthorizationEndpoint == "" {
		return fmt.Errorf("client: %s offers no browser login (no authorization_endpoint): %w", c.cfg.Server, errors.ErrUnsupported)
	}
	ln, err := listenLoopback(opts.CallbackPort)
	if err != nil {
		return err
	}
	cb := newCallback(randomState())
	srv := &http.Server{Handler: cb, ReadHeaderTimeout: 10 * time.Second}
	go srv.Serve(ln)
	defer shutdown(srv)

	conf := c.oauthConfig(m, c.loginClient())
	conf.RedirectURL = fmt.Sprintf("http://%s/callback", ln.Addr())
	verifier := oauth2.GenerateVerifier()
	params := append(tokenNameOption(opts.TokenName), idpHintOption(opts.IDP)...)
	authURL := conf.AuthCodeURL(cb.state, append(params, oauth2.S256ChallengeOption(verifier))...)
	if opts.Prompt != nil {
		opts.Prompt(authURL)
	}
	failed := startOpener(opener(opts.OpenURL), authURL)
	code, err := cb.wait(ctx, timeoutOr(opts.Timeout, 5*time.Minute), failed, c.openerFailed(opts.Prompt != nil))
	if err != nil {
		return err
	}
	err = c.exchange(ctx, conf, code, verifier, opts.Force)
	cb.outcome <- err
	return err
}

// exchange redeems the authorization code (RFC 6749 §4.1.3) with the
// PKCE verifier, and stores the session.
func (c *Client) exchange(ctx context.Context, conf *oauth2.Config, code, verifier string, force bool) error {
	tok, err := conf.Exchange(c.oauthContext(ctx), code, oauth2.VerifierOption(verifier))
	if err != nil {
		return fmt.Errorf("client: redeem the authorization code: %w", err)
	}
	return c.finishLogin(ctx, MethodBrowser, tok, force)
}

// listenLoopback listens on 127.0.0.1:port (any free port for 0).
func listenLoopback(port int) (net.Listener, error) {
	ln, err := net.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", port))
	if err != nil && port != 0 {
		return nil, fmt.Errorf("client: cannot listen on callback port %d (%w): choose another port, or 0 for any", port, err)
	}
	if err != nil {
		return nil, fmt.Errorf("client: cannot listen on 127.0.0.1 for the login callback: %w", err)
	}
	return ln, nil
}

// shutdown stops the callback server after the last page is written.
func shutdown(srv *http.Server) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	if srv.Shutdown(ctx) != nil {
		srv.Close()
	}
}

// startOpener runs open(authURL) in the background: a browser command may
// stay in the foreground until the browser is closed, and the callback
// must be served meanwhile. The returned channel carries its error, if
// any; nobody waits for it once the login is over.
func startOpener(open func(string) error, authURL string) <-chan error {
	failed := make(chan error, 1)
	go func() {
		if err := open(authURL); err != nil {
			failed <- err
		}
	}()
	return failed
}

// openerFailed decides what an opener's error does to the login: when the
// user was shown the URL it is a warning and the wait goes on (nil);
// otherwise nobody can open the URL, and the login ends with ErrNoBrowser.
func (c *Client) openerFailed(shown bool) func(error) error {
	return func(err error) error {
		if !shown {
			return newFlowError(ErrNoBrowser, err)
		}
		c.cfg.Warn("the browser could not be opened (" + trimPrefix(err.Error()) + "): open the login URL by hand")
		return nil
	}
}

// opener returns open, or the system browser when open is nil.
func opener(open func(string) error) func(string) error {
	if open != nil {
		return open
	}
	return browser.OpenURL
}

// randomState returns an unguessable state parameter (RFC 6749 §10.12).
func randomState() string {
	b := make([]byte, 32)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

func timeoutOr(d, def time.Duration) time.Duration {
	if d > 0 {
		return d
	}
	return def
}
