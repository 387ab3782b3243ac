package server_test

import (
	"context"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/hubauth/hubauth/internal/secret"
	"github.com/hubauth/hubauth/internal/storage"
)

var (
	patPattern      = regexp.MustCompile(`hubauth_pat_[0-9A-Za-z]+`)
	tokenRevokeForm = regexp.MustCompile(`action="/account/tokens/([^"/]+)/revoke"`)
	loginRevokeForm = regexp.MustCompile(`action="/account/sessions/([^"/]+)/revoke"`)
)

// accountBrowser signs a cookie-keeping browser in through /account and
// returns it with the account page it lands on.
func (h *hub) accountBrowser(t *testing.T) (*browser, page) {
	t.Helper()
	b := h.newBrowser(t)
	p := b.login(b.get(h.URL+"/account"), demoUser, demoPassword)
	if p.Status != http.StatusOK || p.URL.Path != "/account" || !strings.Contains(p.Body, `id="new-token"`) {
		t.Fatalf("after login: want the account page, got %d %s\n%s", p.Status, p.URL, p.Body)
	}
	return b, p
}

// newTokenForm is the new-token form as the page posts it.
func newTokenForm(name, expiresIn string, scopes ...string) url.Values {
	f := url.Values{"name": {name}, "expires_in": {expiresIn}}
	for _, s := range scopes {
		f.Set("scope_"+s, "on")
	}
	return f
}

func TestAccountPageNeedsLogin(t *testing.T) {
	h := newHub(t)
	b := h.newBrowser(t)
	for _, p := range []page{
		b.get(h.URL + "/account"),
		b.post("/account/tokens", newTokenForm("x", "86400")),
		b.post("/account/tokens/abc/revoke", nil),
	} {
		if p.URL.Path != "/login" || p.URL.Query().Get("next") != "/account" || !strings.Contains(p.Body, `name="next" value="/account"`) {
			t.Errorf("without a session: got %d %s, want the login page with next=/account", p.Status, p.URL)
		}
	}
	if home := h.newBrowser(t); !strings.Contains(home.login(home.get(h.URL+"/login"), demoUser, demoPassword).Body, `href="/account"`) {
		t.Error("the home page does not link to /account")
	}
}

func TestAccountPageProfile(t *testing.T) {
	h := newHub(t)
	ctx := context.Background()
	u, _ := h.Store.GetUserByUsername(ctx, demoUser)
	if err := h.Store.CreateGroup(ctx, storage.Group{Name: "nmr-lab", CreatedAt: time.Now()}); err != nil {
		t.Fatal(err)
	}
	if err := h.Store.AddGroupMember(ctx, "nmr-lab", u.ID); err != nil {
		t.Fatal(err)
	}
	_, p := h.accountBrowser(t)
	for _, want := range []string{demoUser, "Ada", "ada@example.org", "nmr-lab", "You have no personal tokens."} {
		if !strings.Contains(p.Body, want) {
			t.Errorf("account page lacks %q", want)
		}
	}
	for _, hd := range []string{"Content-Security-Policy", "X-Frame-Options", "Referrer-Policy"} {
		if p.Header.Get(hd) == "" {
			t.Errorf("account page without %s", hd)
		}
	}
	if cc := p.Header.Get("Cache-Control"); cc != "no-store" {
		t.Errorf("Cache-Control = %q, want no-store", cc)
	}
}

func TestAccountCreateAndRevokeToken(t *testing.T) {
	h := newHub(t)
	b, _ := h.accountBrowser(t)
	p := b.post("/account/tokens", newTokenForm("laptop", "604800", "groups:read", "users:read"))
	tok := patPattern.FindString(p.Body)
	if p.Status != http.StatusCreated || tok == "" || !strings.Contains(p.Body, "shown only this once") {
		t.Fatalf("create: got %d, want 201 with the secret shown once\n%s", p.Status, p.Body)
	}
	if strings.Contains(p.URL.String(), tok) || strings.Contains(h.Logs.String(), tok) {
		t.Fatal("the secret is in the URL or the logs")
	}
	if db := h.dump(t); strings.Contains(db, tok) || !strings.Contains(db, secret.Hash(tok)) {
		t.Fatal("the database must hold the secret's hash and never the secret")
	}
	// The token works with its scopes; the page lists it without the secret.
	if status, _, _ := h.getJSON(t, "/api/v1/groups", tok); status != http.StatusOK {
		t.Fatalf("GET /api/v1/groups with the new token: %d", status)
	}
	status, listed, _ := h.getJSON(t, "/api/v1/tokens", h.passwordToken(t))
	data, _ := listed["data"].([]any)
	if status != http.StatusOK || len(data) != 1 {
		t.Fatalf("GET /api/v1/tokens: %d %v", status, listed)
	}
	entry, _ := data[0].(map[string]any)
	if entry["name"] != "laptop" || fmt.Sprint(entry["scopes"]) != "[users:read groups:read]" {
		t.Errorf("stored token = %v", entry)
	}
	p = b.get(h.URL + "/account")
	if strings.Contains(p.Body, tok) || !strings.Contains(p.Body, "laptop") || !strings.Contains(p.Body, "groups:read") {
		t.Fatalf("listing: want the name and scopes without the secret\n%s", p.Body)
	}
	m := tokenRevokeForm.FindStringSubmatch(p.Body)
	if m == nil {
		t.Fatal("no Revoke button for the token")
	}
	p = b.post("/account/tokens/"+m[1]+"/revoke", nil)
	if p.Status != http.StatusOK || p.URL.Query().Get("done") != "token_revoked" || !strings.Contains(p.Body, "You have no personal tokens.") {
		t.Fatalf("revoke: got %d %s", p.Status, p.URL)
	}
	if status, _, _ := h.getJSON(t, "/api/v1/users/me", tok); status != http.StatusUnauthorized {
		t.Errorf("revoked token: got %d, want 401", status)
	}
	if p = b.post("/account/tokens/"+m[1]+"/revoke", nil); p.Status != http.StatusNotFound {
		t.Errorf("revoking again: got %d, want 404", p.Status)
	}
}

func TestAccountTokenBadInput(t *testing.T) {
	h := newHub(t)
	b, _ := h.accountBrowser(t)
	if p := b.post("/account/tokens", newTokenForm("ci", "86400")); p.Status != http.StatusCreated {
		t.Fatalf("first token: %d", p.Status)
	}
	tests := []struct {
		name string
		form url.Values
		want int
		msg  string
	}{
		{"empty name", newTokenForm("", "86400"), 422, "name must be 1 to 64 characters"},
		{"name too long", newTokenForm(strings.Repeat("n", 65), "86400"), 422, "name must be 1 to 64 characters"},
		{"surrounding spaces", newTokenForm(" ci ", "86400"), 422, "without surrounding spaces"},
		{"control characters", newTokenForm("ci\x1b]52;c;aGk=\x07", "86400"), 422, "name must not contain control characters"},
		{"over the maximum", newTokenForm("long", "2592001"), 422, "2592000 seconds (the server&#39;s maximum)"},
		{"no lifetime", newTokenForm("nolife", "soon"), 422, "expires_in must be"},
		{"duplicate name", newTokenForm("ci", "86400", "groups"), 409, `you already have a token named &#34;ci&#34;`},
		{"repeated field", url.Values{"name": {"a", "b"}, "expires_in": {"60"}}, 400, "repeats a field"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := b.post("/account/tokens", tt.form)
			if p.Status != tt.want || !strings.Contains(strings.ToLower(p.Body), strings.ToLower(tt.msg)) {
				t.Fatalf("got %d, want %d with %q\n%s", p.Status, tt.want, tt.msg, p.Body)
			}
			if patPattern.MatchString(p.Body) {
				t.Fatal("a refused form shows a secret")
			}
			if tt.want != 400 && !strings.Contains(p.Body, `value="`+html.EscapeString(tt.form.Get("name"))+`"`) {
				t.Error("the refused form lost the name typed")
			}
		})
	}
	if tt := tests[len(tests)-2]; !strings.Contains(b.post("/account/tokens", tt.form).Body, `name="scope_groups" value="on" checked`) {
		t.Error("the refused form lost the scopes chosen")
	}
}

func TestAccountRevokeSession(t *testing.T) {
	h := newHub(t)
	b, _ := h.accountBrowser(t)
	cfg := h.cliConfig()
	tok := h.browserLogin(t, b, cfg) // the CLI logs in through this browser
	p := b.get(h.URL + "/account")
	m := loginRevokeForm.FindStringSubmatch(p.Body)
	if m == nil || !strings.Contains(p.Body, "hubauth CLI") || !strings.Contains(p.Body, "browser") {
		t.Fatalf("account page does not list the CLI login\n%s", p.Body)
	}
	// Another user's session is not found, as if it did not exist.
	other := h.newBrowser(t)
	h.AddUser(t, "bob", demoPassword)
	other.login(other.get(h.URL+"/account"), "bob", demoPassword)
	if p := other.post("/account/sessions/"+m[1]+"/revoke", nil); p.Status != http.StatusNotFound {
		t.Fatalf("bob revoking ada's login: got %d, want 404", p.Status)
	}
	p = b.post("/account/sessions/"+m[1]+"/revoke", nil)
	if p.Status != http.StatusOK || p.URL.Query().Get("done") != "session_revoked" || loginRevokeForm.MatchString(p.Body) {
		t.Fatalf("revoke: got %d %s", p.Status, p.URL)
	}
	tok.Expiry = time.Now().Add(-time.Minute)
	if _, err := cfg.TokenSource(context.Background(), tok).Token(); retrieveError(err) != "invalid_grant" {
		t.Fatalf("refresh after revoking the login: err = %v, want invalid_grant", err)
	}
	if p = b.post("/account/sessions/"+m[1]+"/revoke", nil); p.Status != http.StatusNotFound {
		t.Errorf("revoking again: got %d, want 404", p.Status)
	}
	if p = b.get(h.URL + "/account"); p.Status != http.StatusOK {
		t.Errorf("the browser's own hub session must survive: %d %s", p.Status, p.URL)
	}
}

func TestAccountCrossOriginRefused(t *testing.T) {
	h := newHub(t)
	b, _ := h.accountBrowser(t)
	if p := b.do(h.crossOriginPost("/account/tokens", newTokenForm("evil", "86400"))); p.Status != http.StatusForbidden {
		t.Fatalf("cross-origin POST: got %d, want 403", p.Status)
	}
	u, _ := h.Store.GetUserByUsername(context.Background(), demoUser)
	if ts, _ := h.Store.ListPersonalTokens(context.Background(), u.ID); len(ts) != 0 {
		t.Fatalf("a cross-origin POST created %d tokens", len(ts))
	}
}

// The new-token form offers the platform's registered scopes beside the
// hub's, with their descriptions, and a token created with one carries it.
func TestAccountTokenWithPlatformScope(t *testing.T) {
	h := newHub(t)
	if err := h.Store.CreateScope(context.Background(), uploadsWrite); err != nil {
		t.Fatal(err)
	}
	b, p := h.accountBrowser(t)
	if !strings.Contains(p.Body, `name="scope_uploads:write"`) || !strings.Contains(p.Body, "create and publish uploads") {
		t.Fatalf("the new-token form does not offer uploads:write:\n%s", p.Body)
	}
	if strings.Contains(p.Body, `name="scope_openid"`) {
		t.Error("the new-token form offers the sign-in scope openid")
	}
	p = b.post("/account/tokens", newTokenForm("uploader", "86400", "uploads:write"))
	tok := patPattern.FindString(p.Body)
	if p.Status != http.StatusCreated || tok == "" {
		t.Fatalf("create: got %d\n%s", p.Status, p.Body)
	}
	if got := tokenScopes(t, h, "uploader"); got != "[uploads:write]" {
		t.Errorf("the stored token has the scopes %s, want [uploads:write]", got)
	}
}
