package server_test

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	jose "github.com/go-jose/go-jose/v4"
	"golang.org/x/oauth2"

	"github.com/hubauth/hubauth/internal/hubtest"
	"github.com/hubauth/hubauth/internal/server"
	"github.com/hubauth/hubauth/internal/storage"
)

// hub is the shared test hub (internal/hubtest) with this package's
// request helpers.
type hub struct{ *hubtest.Hub }

type option = func(*server.Config)

const (
	demoUser     = "ada"
	demoPassword = "correct horse battery staple"
)

// newHub starts a hub over SQLite in t.TempDir() with demoUser.
func newHub(t *testing.T, opts ...option) *hub {
	t.Helper()
	return &hub{hubtest.New(t, hubtest.WithConfig(opts...), hubtest.WithUser(demoUser, demoPassword))}
}

// cliConfig is the built-in public client, with a loopback redirect on an
// arbitrary port (RFC 8252 §7.3).
func (h *hub) cliConfig(scopes ...string) *oauth2.Config {
	if len(scopes) == 0 {
		scopes = []string{"openid", "profile", "offline_access"}
	}
	return &oauth2.Config{
		ClientID:    storage.CLIClientID,
		RedirectURL: "http://127.0.0.1:49152/callback",
		Scopes:      scopes,
		Endpoint: oauth2.Endpoint{
			AuthURL: h.URL + "/authorize", TokenURL: h.URL + "/oauth/token",
			DeviceAuthURL: h.URL + "/oauth/device_authorization", AuthStyle: oauth2.AuthStyleInParams,
		},
	}
}

// browser is a cookie-keeping HTTP client that stops at redirects leaving
// the hub, as a browser would hand them to the application.
type browser struct {
	t      *testing.T
	hub    *hub
	client *http.Client
}

func (h *hub) newBrowser(t *testing.T) *browser {
	jar, _ := cookiejar.New(nil)
	hubHost := strings.TrimPrefix(h.URL, "http://")
	c := &http.Client{Jar: jar, Timeout: 10 * time.Second, CheckRedirect: func(req *http.Request, via []*http.Request) error {
		if req.URL.Host != hubHost {
			return http.ErrUseLastResponse
		}
		return nil
	}}
	return &browser{t: t, hub: h, client: c}
}

// page is a response read in full.
type page struct {
	Status   int
	URL      *url.URL
	Header   http.Header
	Body     string
	Location *url.URL // set when the hub redirected out of itself
}

func (b *browser) do(req *http.Request) page {
	b.t.Helper()
	resp, err := b.client.Do(req)
	if err != nil {
		b.t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	p := page{Status: resp.StatusCode, URL: resp.Request.URL, Header: resp.Header, Body: string(body)}
	if loc, err := resp.Location(); err == nil && resp.StatusCode/100 == 3 {
		p.Location = loc
	}
	return p
}

func (b *browser) get(u string) page {
	req, _ := http.NewRequest(http.MethodGet, u, nil)
	return b.do(req)
}

func (b *browser) post(path string, form url.Values) page {
	return b.do(b.hub.FormPost(path, form))
}

// login fills the login form on p.
func (b *browser) login(p page, username, pw string) page {
	b.t.Helper()
	if !strings.Contains(p.Body, `action="/login"`) {
		b.t.Fatalf("expected the login page, got %d %s:\n%s", p.Status, p.URL, p.Body)
	}
	form := hubtest.Hidden(p.Body)
	form.Set("username", username)
	form.Set("password", pw)
	return b.post("/login", form)
}

// pkce returns a verifier and its S256 challenge.
func pkce() (verifier, challenge string) {
	verifier = oauth2.GenerateVerifier()
	sum := sha256.Sum256([]byte(verifier))
	return verifier, base64.RawURLEncoding.EncodeToString(sum[:])
}

// authorize starts a browser authorization and returns the first page.
func (b *browser) authorize(cfg *oauth2.Config, state string, opts ...oauth2.AuthCodeOption) page {
	return b.get(cfg.AuthCodeURL(state, opts...))
}

// codeFrom reads the code from the redirect to the application, checking state.
func codeFrom(t *testing.T, p page, state string) string {
	t.Helper()
	if p.Location == nil {
		t.Fatalf("no redirect to the application: %d %s\n%s", p.Status, p.URL, p.Body)
	}
	q := p.Location.Query()
	if e := q.Get("error"); e != "" {
		t.Fatalf("authorization failed: %s: %s", e, q.Get("error_description"))
	}
	if got := q.Get("state"); got != state {
		t.Fatalf("state = %q, want %q", got, state)
	}
	return q.Get("code")
}

// browserLogin runs the whole browser flow for the CLI client and returns
// the token.
func (h *hub) browserLogin(t *testing.T, b *browser, cfg *oauth2.Config) *oauth2.Token {
	t.Helper()
	verifier := oauth2.GenerateVerifier()
	p := b.authorize(cfg, "st4te", oauth2.S256ChallengeOption(verifier))
	if p.Location == nil {
		p = b.login(p, demoUser, demoPassword)
	}
	code := codeFrom(t, p, "st4te")
	tok, err := cfg.Exchange(context.Background(), code, oauth2.VerifierOption(verifier))
	if err != nil {
		t.Fatalf("exchange: %v", err)
	}
	return tok
}

// postForm posts a form to the hub without a browser.
func (h *hub) postForm(t *testing.T, path string, form url.Values) (int, map[string]any, http.Header) {
	t.Helper()
	resp, err := http.PostForm(h.URL+path, form)
	if err != nil {
		t.Fatal(err)
	}
	return decode(t, resp)
}

// getJSON performs a GET with an optional bearer token.
func (h *hub) getJSON(t *testing.T, path, token string) (int, map[string]any, http.Header) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, h.URL+path, nil)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	return decode(t, resp)
}

func decode(t *testing.T, resp *http.Response) (int, map[string]any, http.Header) {
	t.Helper()
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	var m map[string]any
	if err := json.Unmarshal(body, &m); err != nil && len(body) > 0 && resp.StatusCode < 300 {
		t.Fatalf("status %d: body is not JSON: %s", resp.StatusCode, body)
	}
	return resp.StatusCode, m, resp.Header
}

// retrieveError returns the OAuth error code of an x/oauth2 error.
func retrieveError(err error) string {
	var re *oauth2.RetrieveError
	if errors.As(err, &re) {
		return re.ErrorCode
	}
	return ""
}

// dump returns the raw bytes of the database files, to check that no
// secret is stored in clear.
func (h *hub) dump(t *testing.T) string {
	t.Helper()
	var all []byte
	for _, suffix := range []string{"", "-wal"} {
		b, err := os.ReadFile(h.DB + suffix)
		if err != nil && !os.IsNotExist(err) {
			t.Fatal(err)
		}
		all = append(all, b...)
	}
	return string(all)
}

// kid returns the key id in a JWT's header.
func kid(t *testing.T, token string) string {
	t.Helper()
	jws, err := jose.ParseSigned(token, []jose.SignatureAlgorithm{jose.ES256})
	if err != nil {
		t.Fatalf("parse JWT: %v", err)
	}
	return jws.Signatures[0].Header.KeyID
}
