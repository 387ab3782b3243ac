package server_test

import (
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/hubauth/hubauth/internal/server/bearer"
	"github.com/hubauth/hubauth/internal/storage"
)

// TestDisablingEndsTokens: disabling a client or a user ends their tokens
// at every bearer entrance within bearer.VerifiedTTL when another process
// writes it (at once through the hub), not when the access token expires, and
// their refresh tokens are refused. Personal tokens belong to the user, not
// to a client.
func TestDisablingEndsTokens(t *testing.T) {
	tests := []struct {
		name         string
		disable      func(t *testing.T, h *hub)
		personalLive bool
	}{
		{name: "client", personalLive: true, disable: func(t *testing.T, h *hub) {
			err := h.Store.UpdateClient(t.Context(), "hubauth-cli", func(c storage.Client) (storage.Client, error) {
				c.Disabled = true
				return c, nil
			})
			if err != nil {
				t.Fatal(err)
			}
		}},
		{name: "user", disable: func(t *testing.T, h *hub) { h.disableUser(t, demoUser) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHub(t)
			_, login, _ := h.postForm(t, "/api/v1/auth/token", url.Values{"username": {demoUser}, "password": {demoPassword}})
			access, _ := login["access_token"].(string)
			rt, _ := login["refresh_token"].(string)
			status, created, _ := h.send(t, "POST", "/api/v1/tokens", access, `{"name":"ci","expires_in":3600}`)
			personal, _ := created["token"].(string)
			if status != http.StatusCreated || personal == "" {
				t.Fatalf("create a personal token: %d %v", status, created)
			}
			// Written to the database directly, as `hubauth admin` (another
			// process) does: bearer uses see it within the verified-token
			// cache's bound. Through the hub's own handlers it is at once
			// (bearer.TestVerifiedAccessTokenEnded).
			tt.disable(t, h)
			h.Clock.Advance(bearer.VerifiedTTL)

			uses := []struct {
				what, path, token string
				want              int
			}{
				{"access token at /userinfo", "/userinfo", access, http.StatusUnauthorized},
				{"access token at /api/v1", "/api/v1/users/me", access, http.StatusUnauthorized},
				{"personal token at /api/v1", "/api/v1/users/me", personal, http.StatusUnauthorized},
			}
			if tt.personalLive {
				uses[2].want = http.StatusOK
			}
			for _, u := range uses {
				if got, body, _ := h.getJSON(t, u.path, u.token); got != u.want {
					t.Errorf("%s: %d %v, want %d", u.what, got, body, u.want)
				}
			}
			h.Clock.Advance(2 * time.Second) // past the token endpoint's client and user cache
			if _, e := refresh(t, h, rt); e == "" {
				t.Errorf("refresh succeeded, want an error")
			}
		})
	}
}

// disableUser disables the user named username in the database directly,
// as `hubauth admin user disable` (another process) does.
func (h *hub) disableUser(t *testing.T, username string) {
	t.Helper()
	u, err := h.Store.GetUserByUsername(t.Context(), username)
	if err == nil {
		err = h.Store.UpdateUser(t.Context(), u.ID, func(u storage.User) (storage.User, error) {
			u.Disabled = true
			return u, nil
		})
	}
	if err != nil {
		t.Fatal(err)
	}
}
