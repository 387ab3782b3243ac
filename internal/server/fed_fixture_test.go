package server_test

import (
	"context"
	"html"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/hubauth/hubauth/internal/hubtest"
	"github.com/hubauth/hubauth/internal/storage"
)

// The hub-to-hub fixture of upstream sign-in: an institute's hub (up, at
// localhost so the two hubs' cookies stay apart in one browser) is the
// upstream provider "inst" of a platform's hub (down, with demoUser).
const (
	upstreamName    = "inst"
	upstreamDisplay = "Institute Hub"
	upstreamUser    = "grace" // a user of up only
	upstreamPass    = "hopper's compiler 1952"
	upstreamClient  = "platform-hub" // down's client at up
)

type federation struct {
	t        *testing.T
	up, down *hub
}

// newFederation starts both hubs, registers down at up as a confidential
// first-party client whose redirect URI is down's callback, and up at down
// as provider inst (provisioning on); opts change down's configuration.
func newFederation(t *testing.T, opts ...option) *federation {
	t.Helper()
	up := &hub{hubtest.New(t, hubtest.WithLocalhost(), hubtest.WithUser(upstreamUser, upstreamPass))}
	down := newHub(t, opts...)
	f := &federation{t: t, up: up, down: down}
	f.addProvider(upstreamName, upstreamDisplay, func(*storage.IdentityProvider) {})
	return f
}

// addProvider registers a first-party client of down at up (up asks no
// consent) and up at down as provider name, changed by change before it
// is stored.
func (f *federation) addProvider(name, display string, change func(*storage.IdentityProvider)) {
	f.t.Helper()
	f.register(name, display, true, change)
}

// addConsentProvider is addProvider with a third-party client of down at
// up: up asks the user to Allow or Deny the platform hub.
func (f *federation) addConsentProvider(name, display string) {
	f.t.Helper()
	f.register(name, display, false, func(*storage.IdentityProvider) {})
}

func (f *federation) register(name, display string, firstParty bool, change func(*storage.IdentityProvider)) {
	f.t.Helper()
	id := upstreamClient + "-" + name
	sec := f.up.AddClient(f.t, storage.Client{ID: id, Name: "Platform hub", FirstParty: firstParty,
		RedirectURIs: []string{f.down.URL + "/login/" + name + "/callback"},
		GrantTypes:   []string{storage.GrantAuthorizationCode, storage.GrantRefreshToken}})
	ip := storage.IdentityProvider{Name: name, Issuer: f.up.URL, ClientID: id, ClientSecret: sec, DisplayName: display,
		Scopes: []string{"openid", "profile", "email"}, UsernameClaim: "preferred_username", Provision: storage.ProvisionAuto,
		CreatedAt: time.Now().UTC()}
	change(&ip)
	if err := f.down.Store.CreateIdentityProvider(context.Background(), ip); err != nil {
		f.t.Fatalf("add provider %s: %v", name, err)
	}
}

// browser is one browser for both hubs: it follows redirects inside
// either and stops at any other host (the application's).
func (f *federation) browser() *browser {
	jar, _ := cookiejar.New(nil)
	hosts := map[string]bool{hostOf(f.up.URL): true, hostOf(f.down.URL): true}
	c := &http.Client{Jar: jar, Timeout: 15 * time.Second, CheckRedirect: func(req *http.Request, _ []*http.Request) error {
		if !hosts[req.URL.Host] {
			return http.ErrUseLastResponse
		}
		return nil
	}}
	return &browser{t: f.t, hub: f.down, client: c}
}

func hostOf(u string) string { return strings.TrimPrefix(u, "http://") }

var buttonHref = regexp.MustCompile(`<a class="button" href="([^"]+)">Sign in with ([^<]*)</a>`)

// buttons returns the "Sign in with …" links of a login page: display
// name → href.
func buttons(body string) map[string]string {
	out := map[string]string{}
	for _, m := range buttonHref.FindAllStringSubmatch(body, -1) {
		out[html.UnescapeString(m[2])] = html.UnescapeString(m[1])
	}
	return out
}

// click follows the button of display on the login page p: to up's login
// page (or wherever the sign-in ends when up already knows the browser).
func (f *federation) click(b *browser, p page, display string) page {
	f.t.Helper()
	href, ok := buttons(p.Body)[display]
	if !ok {
		f.t.Fatalf("no button %q on %s (%d):\n%s", display, p.URL, p.Status, p.Body)
	}
	return b.get(f.down.URL + href)
}

// upLogin fills up's login form on p as username and follows the way back
// to down: the page down answers after its callback.
func (f *federation) upLogin(b *browser, p page, username, pw string) page {
	f.t.Helper()
	if hostOf("http://"+p.URL.Host) != hostOf(f.up.URL) || !strings.Contains(p.Body, `action="/login"`) {
		f.t.Fatalf("expected up's login page, got %d %s:\n%s", p.Status, p.URL, p.Body)
	}
	form := hubtest.Hidden(p.Body)
	form.Set("username", username)
	form.Set("password", pw)
	return b.do(f.up.FormPost("/login", form))
}

// signIn clicks the button of the fixture's provider on the login page p
// and signs in at up as grace.
func (f *federation) signIn(b *browser, p page) page {
	f.t.Helper()
	return f.upLogin(b, f.click(b, p, upstreamDisplay), upstreamUser, upstreamPass)
}

// upstreamState starts a sign-in at provider name in b and returns the
// state sent to the upstream, without going there.
func (f *federation) upstreamState(b *browser, name string) string {
	f.t.Helper()
	follow := b.client.CheckRedirect
	b.client.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	defer func() { b.client.CheckRedirect = follow }()
	p := b.get(f.down.URL + "/login/" + url.PathEscape(name) + "?next=/account")
	if p.Location == nil || p.Location.Query().Get("state") == "" {
		f.t.Fatalf("GET /login/%s: %d %v, want a redirect to the upstream with a state", name, p.Status, p.Location)
	}
	return p.Location.Query().Get("state")
}
