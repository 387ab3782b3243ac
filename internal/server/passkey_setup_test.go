package server_test

import (
	"net/url"
	"strings"
	"testing"

	"github.com/hubauth/hubauth/internal/hubtest"
)

// TestSetUpAtLoginRefusedWithFactor: the login-time set-up is for users
// without a second factor. A user with one (an app, a passkey), signed in
// with the password alone, never gets to add another and pass it: the
// set-up pages send to the second factor's page and save nothing.
func TestSetUpAtLoginRefusedWithFactor(t *testing.T) {
	for _, tt := range []struct {
		name  string
		setUp func(b *browser)
	}{
		{"with an authenticator app", func(b *browser) { b.enrolTOTP() }},
		{"with a passkey", func(b *browser) { b.addPasskey("victim") }},
	} {
		t.Run(tt.name, func(t *testing.T) {
			h := newLocalhostHub(t)
			victim := h.newBrowser(t)
			victim.signIn(demoUser, demoPassword)
			tt.setUp(victim)
			id := demoID(t, h)
			before, _ := h.Store.GetSecondFactors(t.Context(), id)

			atk := h.newBrowser(t)
			if p := atk.signIn(demoUser, demoPassword); !strings.Contains(p.Body, `action="/mfa"`) {
				t.Fatalf("after the password: want the second factor asked\n%s", p.Body)
			}
			if p := atk.get(h.URL + "/mfa/setup"); secretRE.MatchString(p.Body) || p.URL.Path != "/mfa" {
				t.Errorf("GET /mfa/setup: %d %s, want sent to /mfa without a key\n%s", p.Status, p.URL, p.Body)
			}
			if p := atk.get(h.URL + "/mfa/setup/qr"); p.Header.Get("Content-Type") == "image/png" {
				t.Errorf("GET /mfa/setup/qr: %d, a QR code", p.Status)
			}
			if p := atk.post("/mfa/setup", url.Values{"code": {"123456"}}); p.URL.Path != "/mfa" {
				t.Errorf("POST /mfa/setup: %d %s, want sent to /mfa\n%s", p.Status, p.URL, p.Body)
			}
			p := atk.post("/mfa/setup/passkey", url.Values{"name": {"attacker"}})
			if p.URL.Path != "/mfa" || optionsRE.MatchString(p.Body) {
				t.Errorf("POST /mfa/setup/passkey: %d %s, want sent to /mfa without a ceremony\n%s", p.Status, p.URL, p.Body)
			}
			// The finish step refuses by itself too, before any ceremony.
			k := hubtest.NewPasskey(t, "localhost")
			p = atk.post("/mfa/setup/passkey/finish", url.Values{"credential": {string(k.Register(t, []byte(`{"publicKey":{"challenge":"AAAA","user":{"id":"dQ"}}}`), h.URL))}})
			if p.URL.Path != "/mfa" {
				t.Errorf("POST /mfa/setup/passkey/finish: %d %s, want sent to /mfa\n%s", p.Status, p.URL, p.Body)
			}
			after, _ := h.Store.GetSecondFactors(t.Context(), id)
			if after != before {
				t.Errorf("the refused set-up changed the second factors: %+v -> %+v", before, after)
			}
		})
	}
}
