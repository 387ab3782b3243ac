package server_test

import (
	"context"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/hubauth/hubauth/internal/storage"
)

// exchangedRefresh exchanges a fresh login's access token as pipeline for
// a refresh token of the data hub (scope openid uploads:read).
func exchangedRefresh(t *testing.T, h *hub, pipeSec string) string {
	t.Helper()
	login := h.browserLogin(t, h.newBrowser(t), h.cliConfig("openid", "offline_access", "uploads:read"))
	got, err := exchanger(h, "pipeline", pipeSec, login.AccessToken, url.Values{"resource": {dataURI},
		"scope": {"openid uploads:read"}, "requested_token_type": {"urn:ietf:params:oauth:token-type:refresh_token"}}).Token(context.Background())
	if err != nil || got.RefreshToken == "" {
		t.Fatalf("exchange: %v, refresh token %q", err, got.RefreshToken)
	}
	return got.RefreshToken
}

// refreshAs refreshes rt as the confidential client id.
func refreshAs(t *testing.T, h *hub, id, sec, rt string) (int, map[string]any) {
	t.Helper()
	status, body, _ := h.postForm(t, "/oauth/token", url.Values{"grant_type": {"refresh_token"}, "refresh_token": {rt},
		"client_id": {id}, "client_secret": {sec}})
	return status, body
}

// TestExchangedRefreshGivesNoIDToken: refreshing an exchanged session
// gives the acting client an access token, never an ID token of the
// user's login (though the scope holds openid).
func TestExchangedRefreshGivesNoIDToken(t *testing.T) {
	h := newAPIHub(t)
	pipeSec := h.AddClient(t, pipelineClient("pipeline", dataURI))
	status, body := refreshAs(t, h, "pipeline", pipeSec, exchangedRefresh(t, h, pipeSec))
	if status != http.StatusOK || body["access_token"] == nil {
		t.Fatalf("refresh: %d %v", status, body)
	}
	if body["id_token"] != nil {
		t.Errorf("refresh of an exchanged session returned an ID token: %v", body)
	}
}

// TestExchangeRightsTakenAway: once the client may no longer exchange
// tokens (the grant, or the session's API taken from its exchange
// audiences), the refresh of what it exchanged is refused.
func TestExchangeRightsTakenAway(t *testing.T) {
	for _, tt := range []struct {
		name   string
		update func(storage.Client) storage.Client
	}{
		{"grant taken away", func(c storage.Client) storage.Client {
			c.GrantTypes, c.ExchangeAudiences = []string{storage.GrantRefreshToken}, nil // refresh kept: the exchange grant alone is gone
			return c
		}},
		{"audience taken away", func(c storage.Client) storage.Client {
			c.ExchangeAudiences = []string{computeURI}
			return c
		}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			h := newAPIHub(t)
			pipeSec := h.AddClient(t, pipelineClient("pipeline", dataURI))
			rt := exchangedRefresh(t, h, pipeSec)
			if err := h.Store.UpdateClient(t.Context(), "pipeline", func(c storage.Client) (storage.Client, error) {
				return tt.update(c), nil
			}); err != nil {
				t.Fatal(err)
			}
			h.Clock.Advance(3 * time.Second) // past the client cache
			if status, body := refreshAs(t, h, "pipeline", pipeSec, rt); status != http.StatusBadRequest || body["error"] != "invalid_grant" {
				t.Errorf("refresh after the exchange rights were taken: %d %v, want 400 invalid_grant", status, body)
			}
		})
	}
}

// TestAccessOnlyExchangeEndsWithItsToken: an exchange without a refresh
// token starts a session ending when its access token expires, not when
// the login does: it leaves the user's session list then.
func TestAccessOnlyExchangeEndsWithItsToken(t *testing.T) {
	h := newAPIHub(t)
	pipeSec := h.AddClient(t, pipelineClient("pipeline", dataURI))
	login := h.browserLogin(t, h.newBrowser(t), h.cliConfig("openid", "offline_access", "uploads:read"))
	got, err := exchanger(h, "pipeline", pipeSec, login.AccessToken, url.Values{"resource": {dataURI}}).Token(context.Background())
	if err != nil || got.RefreshToken != "" {
		t.Fatalf("exchange: %v, refresh token %q", err, got.RefreshToken)
	}
	c := claims(t, got.AccessToken)
	sid, _ := c["sid"].(string)
	sess, err := h.Store.GetSession(t.Context(), sid)
	if err != nil {
		t.Fatalf("exchanged session %q: %v", sid, err)
	}
	if exp := time.Unix(int64(c["exp"].(float64)), 0); !sess.ExpiresAt.Truncate(time.Second).Equal(exp) {
		t.Errorf("exchanged session ends %v, want its access token's exp %v", sess.ExpiresAt, exp)
	}
	h.Clock.Advance(sess.ExpiresAt.Sub(h.Clock.Now()) + time.Second)
	list, err := h.Store.ListUserSessions(t.Context(), sess.UserID, h.Clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range list {
		if s.ID == sid {
			t.Errorf("the exchanged session is still listed after its access token expired")
		}
	}
	if len(list) == 0 {
		t.Errorf("the login session is no longer listed either: %v", list)
	}
}

// TestExchangedRefreshEndsWithAnIdleLogin: an exchanged session refreshed
// often still ends once the login it came from has been idle longer than
// a refresh token lives (30 days), though neither ended.
func TestExchangedRefreshEndsWithAnIdleLogin(t *testing.T) {
	h := newAPIHub(t)
	pipeSec := h.AddClient(t, pipelineClient("pipeline", dataURI))
	rt := exchangedRefresh(t, h, pipeSec)
	h.Clock.Advance(20 * 24 * time.Hour)
	status, body := refreshAs(t, h, "pipeline", pipeSec, rt)
	if status != http.StatusOK {
		t.Fatalf("refresh 20 days on: %d %v", status, body)
	}
	h.Clock.Advance(20 * 24 * time.Hour) // the login idle 40 days
	if status, body := refreshAs(t, h, "pipeline", pipeSec, body["refresh_token"].(string)); status != http.StatusBadRequest || body["error"] != "invalid_grant" {
		t.Errorf("refresh with the login idle 40 days: %d %v, want 400 invalid_grant", status, body)
	}
}

// TestExchangeNearTheLoginsEnd: exchanged five minutes before the login
// session's absolute end (90 days, kept alive by refreshes), the access
// token and the exchanged session end with the login, not 15 minutes on.
func TestExchangeNearTheLoginsEnd(t *testing.T) {
	h := newAPIHub(t)
	pipeSec := h.AddClient(t, pipelineClient("pipeline", dataURI))
	login := h.browserLogin(t, h.newBrowser(t), h.cliConfig("openid", "offline_access", "uploads:read"))
	parent, err := h.Store.GetSession(t.Context(), claims(t, login.AccessToken)["sid"].(string))
	if err != nil {
		t.Fatal(err)
	}
	rt := login.RefreshToken
	var access string
	for h.Clock.Now().Before(parent.ExpiresAt.Add(-5 * time.Minute)) { // refreshed within the 30-day idle limit
		h.Clock.Advance(min(29*24*time.Hour, parent.ExpiresAt.Add(-5*time.Minute).Sub(h.Clock.Now())))
		body := refreshWith(t, h, rt, nil, "")
		rt, access = body["refresh_token"].(string), body["access_token"].(string)
	}
	got, err := exchanger(h, "pipeline", pipeSec, access, url.Values{"resource": {dataURI},
		"requested_token_type": {"urn:ietf:params:oauth:token-type:refresh_token"}}).Token(context.Background())
	if err != nil {
		t.Fatalf("exchange: %v", err)
	}
	c := claims(t, got.AccessToken)
	if exp := time.Unix(int64(c["exp"].(float64)), 0); exp.After(parent.ExpiresAt) {
		t.Errorf("exchanged access token expires %v, after the login session's end %v", exp, parent.ExpiresAt)
	}
	child, err := h.Store.GetSession(t.Context(), c["sid"].(string))
	if err != nil || child.ExpiresAt.After(parent.ExpiresAt) {
		t.Errorf("exchanged session %+v (%v), want it ending by the login's end %v", child, err, parent.ExpiresAt)
	}
}
