package server_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hubauth/hubauth/internal/hubtest"
	"github.com/hubauth/hubauth/internal/server"
	"github.com/hubauth/hubauth/internal/storage"
)

// failingIdentities is a real store whose identity lookups fail as an
// unreachable database does while down is true.
type failingIdentities struct {
	storage.Storage
	down atomic.Bool
}

func (s *failingIdentities) GetUserIdentity(ctx context.Context, provider, subject string) (storage.UserIdentity, error) {
	if s.down.Load() {
		return storage.UserIdentity{}, fmt.Errorf("test: %w", storage.ErrUnavailable)
	}
	return s.Storage.GetUserIdentity(ctx, provider, subject)
}

// Every way an upstream sign-in fails ends on the hub's login page (never
// a 500) with its status and message, keeping where the user was going so
// that the buttons work again.
func TestFederatedSignInFailures(t *testing.T) {
	store := &failingIdentities{}
	f := newFederation(t, func(c *server.Config) { store.Storage = c.Store; c.Store = store })
	f.addProvider("closed", "Closed Hub", func(ip *storage.IdentityProvider) { ip.Provision = storage.ProvisionOff })
	dead := hubtest.New(t, hubtest.WithLocalhost())
	dead.Close()
	f.addProvider("dead", "Dead Hub", func(ip *storage.IdentityProvider) { ip.Issuer = dead.URL })
	notOIDC := httptest.NewServer(http.NotFoundHandler())
	t.Cleanup(notOIDC.Close)
	f.addProvider("wrong", "Wrong Hub", func(ip *storage.IdentityProvider) { ip.Issuer = notOIDC.URL })

	tests := []struct {
		name    string
		run     func(b *browser) page
		status  int
		message string
		next    bool // the continuation (next=/account) is known and kept
	}{
		{"unreachable", func(b *browser) page { return f.click(b, b.get(f.down.URL+"/login?next=/account"), "Dead Hub") },
			http.StatusBadGateway, "Dead Hub could not be reached, try again or use another way to sign in.", true},
		{"not an OpenID provider", func(b *browser) page { return f.click(b, b.get(f.down.URL+"/login?next=/account"), "Wrong Hub") },
			http.StatusBadGateway, "Wrong Hub is not set up correctly on this hub; tell an administrator.", true},
		{"request refused as invalid", func(b *browser) page {
			state := f.upstreamState(b, upstreamName)
			return b.get(f.down.URL + "/login/" + upstreamName + "/callback?" + url.Values{"error": {"invalid_scope"}, "state": {state}}.Encode())
		}, http.StatusBadGateway, upstreamDisplay + " is not set up correctly on this hub; tell an administrator.", true},
		{"cancelled", func(b *browser) page {
			state := f.upstreamState(b, upstreamName)
			return b.get(f.down.URL + "/login/" + upstreamName + "/callback?" + url.Values{"error": {"access_denied"}, "state": {state}}.Encode())
		}, http.StatusUnauthorized, "Sign-in at " + upstreamDisplay + " was cancelled.", true},
		{"bad state", func(b *browser) page {
			f.upstreamState(b, upstreamName)
			return b.get(f.down.URL + "/login/" + upstreamName + "/callback?code=x&state=forged")
		}, http.StatusBadRequest, "The sign-in at " + upstreamDisplay + " could not be verified. Start again.", false},
		{"no account", func(b *browser) page {
			return f.upLogin(b, f.click(b, b.get(f.down.URL+"/login?next=/account"), "Closed Hub"), upstreamUser, upstreamPass)
		}, http.StatusForbidden, "There is no account for this identity — ask an administrator.", true},
		{"unknown provider", func(b *browser) page { return b.get(f.down.URL + "/login/nope?next=/account") },
			http.StatusNotFound, "There is no such sign-in provider on this hub, or it is turned off.", true},
		{"another provider's callback", func(b *browser) page {
			state := f.upstreamState(b, upstreamName)
			return b.get(f.down.URL + "/login/nope/callback?" + url.Values{"code": {"x"}, "state": {state}}.Encode())
		}, http.StatusBadRequest, "The sign-in at nope could not be verified. Start again.", true},
		{"database down", func(b *browser) page {
			store.down.Store(true)
			defer store.down.Store(false)
			return f.signIn(b, b.get(f.down.URL+"/login?next=/account"))
		}, http.StatusServiceUnavailable, "The hub cannot reach its database. Try again in a moment.", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := tt.run(f.browser())
			if p.Status != tt.status || !strings.Contains(p.Body, tt.message) {
				t.Fatalf("status %d, want %d with %q:\n%s", p.Status, tt.status, tt.message, p.Body)
			}
			href, ok := buttons(p.Body)[upstreamDisplay]
			if !ok {
				t.Fatalf("the page does not offer the buttons again:\n%s", p.Body)
			}
			if tt.next && !strings.Contains(href, "next=%2Faccount") {
				t.Errorf("button %s: want it to carry next=/account", href)
			}
		})
	}
}

// A disabled hub user stays out whatever the upstream says, and a disabled
// provider's callback is refused.
func TestFederatedSignInDisabled(t *testing.T) {
	f := newFederation(t)
	ctx := context.Background()
	b := f.browser()
	if p := f.signIn(b, b.get(f.down.URL+"/login?next=/account")); p.Status != http.StatusOK {
		t.Fatalf("first sign-in: %d %s", p.Status, p.URL)
	}
	u, err := f.down.Store.GetUserByUsername(ctx, upstreamUser)
	if err != nil {
		t.Fatalf("the provisioned user: %v", err)
	}
	if err := f.down.Store.UpdateUser(ctx, u.ID, func(u storage.User) (storage.User, error) { u.Disabled = true; return u, nil }); err != nil {
		t.Fatal(err)
	}
	b = f.browser()
	p := f.signIn(b, b.get(f.down.URL+"/login?next=/account"))
	if p.Status != http.StatusForbidden || !strings.Contains(p.Body, "disabled") {
		t.Errorf("a disabled user's upstream sign-in: %d, want 403 saying the account is disabled:\n%s", p.Status, p.Body)
	}

	b = f.browser()
	up := f.click(b, b.get(f.down.URL+"/login?next=/account"), upstreamDisplay)
	if err := f.down.Store.UpdateIdentityProvider(ctx, upstreamName, func(ip storage.IdentityProvider) (storage.IdentityProvider, error) {
		ip.Disabled = true
		return ip, nil
	}); err != nil {
		t.Fatal(err)
	}
	if p := f.upLogin(b, up, upstreamUser, upstreamPass); p.Status != http.StatusNotFound {
		t.Errorf("callback of a provider disabled meanwhile: %d, want 404:\n%s", p.Status, p.Body)
	}
}

// Text from the provider's configuration is escaped on the login page.
func TestProviderNameEscaped(t *testing.T) {
	f := newFederation(t)
	f.addProvider("odd", `Lab <b>"Keycloak"</b>`, func(*storage.IdentityProvider) {})
	p := f.browser().get(f.down.URL + "/login")
	if strings.Contains(p.Body, "<b>") || !strings.Contains(p.Body, "Lab &lt;b&gt;&#34;Keycloak&#34;&lt;/b&gt;") {
		t.Errorf("display name not escaped:\n%s", p.Body)
	}
}

// Each address starts at most 20 upstream sign-ins at once, then one
// every few seconds: each stores a sign-in under way and sends the
// browser to someone else's server.
func TestUpstreamStartsAreRateLimited(t *testing.T) {
	f := newFederation(t)
	b := f.browser()
	b.client.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	for i := range 20 {
		if p := b.get(f.down.URL + "/login/" + upstreamName + "?next=/account"); p.Status != http.StatusSeeOther {
			t.Fatalf("sign-in %d: %d, want 303 to the upstream", i+1, p.Status)
		}
	}
	p := b.get(f.down.URL + "/login/" + upstreamName + "?next=/account")
	if p.Status != http.StatusTooManyRequests || p.Header.Get("Retry-After") == "" || !strings.Contains(p.Body, "Too many sign-ins started") {
		t.Fatalf("sign-in 21: %d (Retry-After %q), want 429 on the login page:\n%s", p.Status, p.Header.Get("Retry-After"), p.Body)
	}
	f.down.Clock.Advance(3 * time.Second)
	if p := b.get(f.down.URL + "/login/" + upstreamName + "?next=/account"); p.Status != http.StatusSeeOther {
		t.Errorf("after 3 s: %d, want 303", p.Status)
	}
}
