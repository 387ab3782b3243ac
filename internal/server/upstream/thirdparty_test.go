package upstream_test

import (
	"log/slog"

	"net/http/httptest"
	"net/url"
	"regexp"
	"testing"

	"github.com/oauth2-proxy/mockoidc"
	"github.com/zitadel/oidc/v3/example/server/exampleop"
	zstorage "github.com/zitadel/oidc/v3/example/server/storage"

	"github.com/hubauth/hubauth/internal/hubtest"
	"github.com/hubauth/hubauth/internal/storage"
)

// Round trips against providers nobody here wrote: zitadel/oidc's example
// OP, oauth2-proxy's mockoidc, and another hub.

// zitadelOP starts zitadel's example OpenID provider on 127.0.0.1 with
// one web client, "hub", whose redirect URI is callback; it returns the
// issuer.
func zitadelOP(t *testing.T, callback string) string {
	t.Helper()
	ts := httptest.NewUnstartedServer(nil)
	issuer := "http://" + ts.Listener.Addr().String()
	clients := map[string]*zstorage.Client{"hub": zstorage.WebClient("hub", "zitadel-secret", callback)}
	st := zstorage.NewStorageWithClients(zstorage.NewUserStore(issuer), clients)
	ts.Config.Handler = exampleop.SetupServer(issuer, st, slog.New(slog.DiscardHandler), false)
	ts.Start()
	t.Cleanup(ts.Close)
	return issuer
}

// zitadelLogin fills the example OP's login form (test-user, verysecure).
func zitadelLogin(issuer string) upstreamLogin {
	idField := regexp.MustCompile(`name="id" value="([^"]*)"`)
	return func(b *browser, p page) page {
		b.t.Helper()
		m := idField.FindStringSubmatch(p.Body)
		if m == nil {
			b.t.Fatalf("no login form at the example OP: %d %s\n%s", p.Status, p.URL, p.Body)
		}
		host := mustURL(issuer).Hostname()
		return b.postForm(issuer+"/login/username", url.Values{"id": {m[1]}, "username": {"test-user@" + host}, "password": {"verysecure"}})
	}
}

func TestZitadelExampleOP(t *testing.T) {
	rg := newRig(t)
	issuer := zitadelOP(t, rg.callbackURL("zitadel"))
	rg.addProvider(storage.IdentityProvider{Name: "zitadel", Issuer: issuer, ClientID: "hub", ClientSecret: "zitadel-secret"})
	res := rg.signIn(newBrowser(t), "zitadel", zitadelLogin(issuer))
	wantErr(t, res.Err, nil)
	id := res.ID
	// The example OP puts the profile in userinfo, not the ID token.
	if id.Subject != "id1" || id.Username != "test-user@127.0.0.1" || id.Name != "Test User" ||
		id.Email != "test-user@zitadel.ch" || !id.EmailVerified {
		t.Fatalf("identity = %+v", id)
	}
	if res.User.Username != "test-user@127.0.0.1" || res.User.Email != "test-user@zitadel.ch" {
		t.Fatalf("user = %+v", res.User)
	}
	// A second sign-in (the OP asks again: it keeps no session) is the same user.
	again := rg.signIn(newBrowser(t), "zitadel", zitadelLogin(issuer))
	if again.Err != nil || again.User.ID != res.User.ID {
		t.Fatalf("second sign-in: %v, user %s, want %s", again.Err, again.User.ID, res.User.ID)
	}
}

func TestMockOIDC(t *testing.T) {
	m, err := mockoidc.Run()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { m.Shutdown() })
	rg := newRig(t)
	rg.addProvider(storage.IdentityProvider{Name: "mock", Issuer: m.Issuer(), ClientID: m.ClientID, ClientSecret: m.ClientSecret,
		Scopes: []string{"openid", "profile", "email", "groups"}, GroupsClaim: "groups", GroupsPrefix: "mock-"})
	m.QueueUser(&mockoidc.MockUser{Subject: "m-1", Email: "Jane@Example.com", EmailVerified: true, PreferredUsername: "Jane Doe", Groups: []string{"eng", "design"}})
	res := rg.signIn(newBrowser(t), "mock", nil)
	wantErr(t, res.Err, nil)
	if res.ID.Subject != "m-1" || res.ID.Email != "Jane@Example.com" || !res.ID.EmailVerified || res.User.Username != "janedoe" {
		t.Fatalf("identity %+v, user %+v", res.ID, res.User)
	}
	if got := groupsOf(t, rg, res.User.ID); got != "mock-design mock-eng" {
		t.Fatalf("groups = %q", got)
	}
	// mockoidc answers an unknown code with 401: refused, not unreachable.
	b := newBrowser(t)
	u := rg.toCallback(b, "mock", nil)
	res = rg.visit(b, withParam(u, "code", "not-a-code"))
	if res.Err == nil || rg.lastAudit(storage.AuditUpstreamFailed) != "provider mock: token endpoint refused the code" {
		t.Fatalf("unknown code: %v, audit %q", res.Err, rg.lastAudit(storage.AuditUpstreamFailed))
	}
}

// TestHubToHub: another hubauth serve is the upstream — an institute's
// hub federated into a platform's.
func TestHubToHub(t *testing.T) {
	rg := newRig(t)
	inst := hubtest.New(t, hubtest.WithUser("ada", "institute-pw-1", "physics"),
		hubtest.WithClient(storage.Client{ID: "platform", Name: "Platform hub", RedirectURIs: []string{rg.callbackURL("inst")},
			GrantTypes: []string{"authorization_code"}, FirstParty: true}))
	rg.addProvider(storage.IdentityProvider{Name: "inst", Issuer: inst.URL, ClientID: "platform", ClientSecret: inst.Secrets["platform"],
		Scopes: []string{"openid", "profile", "email", "groups"}, GroupsClaim: "groups", GroupsPrefix: "inst-"})
	login := func(b *browser, p page) page {
		b.t.Helper()
		form := hubtest.Hidden(p.Body)
		if form.Get("authRequestID") == "" {
			b.t.Fatalf("no login form at the upstream hub: %d %s\n%s", p.Status, p.URL, p.Body)
		}
		form.Set("username", "ada")
		form.Set("password", "institute-pw-1")
		return b.do(inst.FormPost("/login", form))
	}
	res := rg.signIn(newBrowser(t), "inst", login)
	wantErr(t, res.Err, nil)
	if res.ID.Subject != inst.Users["ada"] || res.ID.Username != "ada" || res.User.Username != "ada" ||
		res.User.Email != "ada@example.org" || !res.ID.EmailVerified || !res.User.EmailVerified || res.User.Name != "Ada" {
		t.Fatalf("identity %+v, user %+v", res.ID, res.User)
	}
	if got := groupsOf(t, rg, res.User.ID); got != "inst-physics" {
		t.Fatalf("groups = %q, want inst-physics", got)
	}
	// The upstream hub's single sign-on: a second round trip in the same
	// browser asks nothing.
	b := newBrowser(t)
	wantErr(t, rg.signIn(b, "inst", login).Err, nil)
	if again := rg.signIn(b, "inst", nil); again.Err != nil || again.User.ID != res.User.ID {
		t.Fatalf("second sign-in: %v", again.Err)
	}
}
