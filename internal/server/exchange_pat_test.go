package server_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/hubauth/hubauth/internal/hubtest"
)

// TestTokenExchangeOfAPersonalToken: a personal token is a subject token;
// what it exchanges for is bound to it: listed with the user's sessions,
// naming it, never outliving it nor gaining a scope, and ended at once by
// revoking or rotating it through the hub's API.
func TestTokenExchangeOfAPersonalToken(t *testing.T) {
	h := newAPIHub(t)
	rs := h.AddClient(t, resourceClient)
	pipeSec := h.AddClient(t, pipelineClient("pipeline", dataURI))
	manager := h.AccessToken(t, demoUser, demoPassword, "openid profile tokens:read tokens:create tokens:delete") // first-party: manages the user's tokens
	newPAT := func(name string) (token, id string) {
		status, body, _ := h.send(t, "POST", "/api/v1/tokens", manager,
			`{"name":"`+name+`","expires_in":3600,"scopes":["uploads:read"]}`)
		if status != http.StatusCreated {
			t.Fatalf("create personal token: %d %v", status, body)
		}
		return body["token"].(string), body["id"].(string)
	}
	pipeRefresh := func(rt string) string {
		status, body, _ := h.postForm(t, "/oauth/token", url.Values{"grant_type": {"refresh_token"}, "refresh_token": {rt},
			"client_id": {"pipeline"}, "client_secret": {pipeSec}})
		if status == http.StatusOK {
			return ""
		}
		e, _ := body["error"].(string)
		return e
	}
	exchange := func(t *testing.T, pat string) (access, rt string) {
		t.Helper()
		got, err := exchanger(h, "pipeline", pipeSec, pat, url.Values{"resource": {dataURI},
			"requested_token_type": {"urn:ietf:params:oauth:token-type:refresh_token"}}).Token(context.Background())
		if err != nil {
			t.Fatalf("exchange of a personal token: %v", err)
		}
		tokenFor(t, "exchanged from a personal token", got.AccessToken, dataURI, "uploads:read")
		if got := h.introspect(t, rs, got.AccessToken); got["active"] != true {
			t.Fatalf("introspection of the exchanged token: %v", got)
		}
		return got.AccessToken, got.RefreshToken
	}

	for _, tt := range []struct {
		name   string
		method string
		path   func(id, sid string) string // of the token's id and the exchanged session's
	}{
		{"revoking the personal token", "DELETE", func(id, _ string) string { return "/api/v1/tokens/" + id }},
		{"rotating the personal token", "POST", func(id, _ string) string { return "/api/v1/tokens/" + id + "/rotate" }},
		{"revoking the listed session", "DELETE", func(_, sid string) string { return "/api/v1/sessions/" + sid }},
	} {
		t.Run(tt.name, func(t *testing.T) {
			pat, id := newPAT(strings.ReplaceAll(tt.name, " ", "-"))
			access, rt := exchange(t, pat)
			if e := pipeRefresh(rt); e != "" {
				t.Fatalf("refresh while the personal token is live: %q", e)
			}
			var listed map[string]any
			for _, s := range sessionList(t, h, manager) {
				if s["personal_token"] == id {
					listed = s
				}
			}
			if listed == nil || listed["acting_for"] != "pat:"+id || listed["client_id"] != "pipeline" {
				t.Fatalf("the exchanged session is not listed naming personal token %s: %v", id, sessionList(t, h, manager))
			}
			path := tt.path(id, listed["id"].(string))
			if status, body, _ := h.send(t, tt.method, path, manager, ""); status/100 != 2 {
				t.Fatalf("%s %s: %d %v", tt.method, path, status, body)
			}
			if got := h.introspect(t, rs, access); got["active"] != false {
				t.Errorf("introspection right after %s: %v", tt.name, got)
			}
			if e := pipeRefresh(rt); e != "invalid_grant" {
				t.Errorf("refresh after %s: %q, want invalid_grant", tt.name, e)
			}
			for _, s := range sessionList(t, h, manager) {
				if s["personal_token"] == id {
					t.Errorf("still listed after %s: %v", tt.name, s)
				}
			}
		})
	}

	t.Run("listed on the account page", func(t *testing.T) {
		b := h.newBrowser(t)
		h.browserLogin(t, b, h.cliConfig("openid"))
		pat, _ := newPAT("nightly-upload")
		exchange(t, pat)
		page := b.get(h.URL + "/account")
		if want := "acting for you from your personal token “nightly-upload”"; !strings.Contains(page.Body, want) {
			t.Errorf("account page lacks %q", want)
		}
	})

	t.Run("no scope gained", func(t *testing.T) {
		pat, _ := newPAT("narrow")
		_, err := exchanger(h, "pipeline", pipeSec, pat, url.Values{"resource": {dataURI}, "scope": {"uploads:write"}}).Token(context.Background())
		if retrieveError(err) != "invalid_scope" {
			t.Errorf("exchange for a scope the personal token lacks: %v, want invalid_scope", err)
		}
	})

	t.Run("never outliving the personal token", func(t *testing.T) {
		user, _ := h.Store.GetUserByUsername(t.Context(), demoUser)
		pat, pt := hubtest.StorePersonalToken(t, h.Store, user.ID, "short", []string{"uploads:read"}, 5*time.Minute, h.Clock.Now())
		access, _ := exchange(t, pat)
		if exp := int64(claims(t, access)["exp"].(float64)); exp > pt.ExpiresAt.Unix() {
			t.Errorf("exchanged token expires at %d, after its personal token (%d)", exp, pt.ExpiresAt.Unix())
		}
		h.Clock.Advance(6 * time.Minute)
		_, err := exchanger(h, "pipeline", pipeSec, pat, url.Values{"resource": {dataURI}}).Token(context.Background())
		if retrieveError(err) != "invalid_grant" {
			t.Errorf("exchange of an expired personal token: %v, want invalid_grant", err)
		}
	})

	t.Run("a personal token without expiry", func(t *testing.T) {
		user, _ := h.Store.GetUserByUsername(t.Context(), demoUser)
		pat, pt := hubtest.StorePersonalToken(t, h.Store, user.ID, "forever", []string{"uploads:read"}, 0, h.Clock.Now())
		access, _ := exchange(t, pat)
		x, err := h.Store.GetSession(t.Context(), claims(t, access)["sid"].(string))
		if err != nil {
			t.Fatal(err)
		}
		if limit := h.Clock.Now().Add(90 * 24 * time.Hour); !pt.ExpiresAt.IsZero() || x.ExpiresAt.IsZero() || x.ExpiresAt.After(limit) {
			t.Errorf("session exchanged from a token without expiry ends %v, want by %v (a login's lifetime)", x.ExpiresAt, limit)
		}
	})

	t.Run("disabling the user", func(t *testing.T) {
		pat, _ := newPAT("disabled")
		access, rt := exchange(t, pat)
		h.disableUser(t, demoUser)
		h.Clock.Advance(6 * time.Second) // past the user cache
		if got := h.introspect(t, rs, access); got["active"] != false {
			t.Errorf("introspection after disabling the user: %v", got)
		}
		if e := pipeRefresh(rt); e != "invalid_grant" {
			t.Errorf("refresh after disabling the user: %q, want invalid_grant", e)
		}
	})
}
