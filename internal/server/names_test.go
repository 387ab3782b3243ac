package server_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"golang.org/x/oauth2"
)

// osc52 would write "hi" to the clipboard of a terminal that printed it.
const osc52 = "\x1b]52;c;aGk=\x07"

// Every name a user or client sets over HTTP is refused with a control
// character in it (a clear 422 or 400), and nothing is stored.
func TestNamesWithControlCharactersRefused(t *testing.T) {
	h := newHub(t)
	access := h.passwordToken(t)
	const rule = "must not contain control characters"
	t.Run("personal token name", func(t *testing.T) {
		for _, name := range []string{`ci\u001b]52;c;aGk=\u0007`, `ci\tlaptop`, `evil\u202etxt.exe`} {
			status, body, _ := h.send(t, "POST", "/api/v1/tokens", access, `{"name":"`+name+`","expires_in":60}`)
			if desc, _ := body["error_description"].(string); status != http.StatusUnprocessableEntity || body["error"] != "invalid_request" || !strings.Contains(desc, rule) {
				t.Errorf("POST /api/v1/tokens name %s: %d %v, want 422 saying the name %s", name, status, body, rule)
			}
		}
	})
	t.Run("session name at the password endpoint", func(t *testing.T) {
		status, body, _ := h.postForm(t, "/api/v1/auth/token", url.Values{"username": {demoUser}, "password": {demoPassword}, "token_name": {"laptop" + osc52}})
		if desc, _ := body["error_description"].(string); status != http.StatusBadRequest || !strings.Contains(desc, "token_name "+rule) || body["access_token"] != nil {
			t.Errorf("token_name with OSC 52: %d %v, want 400 saying token_name %s", status, body, rule)
		}
	})
	t.Run("session name at device authorization", func(t *testing.T) {
		_, err := h.cliConfig().DeviceAuth(context.Background(), oauth2.SetAuthURLParam("token_name", "node\u009b2J"))
		if retrieveError(err) != "invalid_request" || !strings.Contains(err.Error(), rule) {
			t.Errorf("device authorization with a CSI token_name: %v, want invalid_request saying %s", err, rule)
		}
	})
	t.Run("session name at authorize", func(t *testing.T) {
		p := h.newBrowser(t).authorize(h.cliConfig(), "s", oauth2.S256ChallengeOption(oauth2.GenerateVerifier()),
			oauth2.SetAuthURLParam("token_name", "laptop\n"+osc52))
		if p.Status != http.StatusBadRequest || p.Location != nil || !strings.Contains(p.Body, rule) {
			t.Errorf("authorize with a control-character token_name: %d %v, want the 400 error page saying %s", p.Status, p.Location, rule)
		}
	})
	u, err := h.Store.GetUserByUsername(context.Background(), demoUser)
	if err != nil {
		t.Fatal(err)
	}
	if tokens, err := h.Store.ListPersonalTokens(context.Background(), u.ID); err != nil || len(tokens) != 0 {
		t.Errorf("stored tokens = %v, %v; want none", tokens, err)
	}
	if sessions, err := h.Store.ListUserSessions(context.Background(), u.ID, h.Clock.Now()); err != nil || len(sessions) != 1 {
		t.Errorf("sessions = %d, %v; want only the first login's", len(sessions), err)
	}
}
