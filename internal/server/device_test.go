package server_test

import (
	"context"
	"encoding/base64"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"golang.org/x/oauth2"

	"github.com/hubauth/hubauth/internal/hubtest"
)

// startDevice begins a device authorization with x/oauth2.
func startDevice(t *testing.T, cfg *oauth2.Config) *oauth2.DeviceAuthResponse {
	t.Helper()
	da, err := cfg.DeviceAuth(context.Background())
	if err != nil {
		t.Fatalf("device authorization: %v", err)
	}
	return da
}

// pollOnce asks the token endpoint once for a device code.
func (h *hub) pollOnce(t *testing.T, deviceCode string) (int, string) {
	t.Helper()
	status, body, _ := h.postForm(t, "/oauth/token", url.Values{
		"grant_type": {"urn:ietf:params:oauth:grant-type:device_code"}, "device_code": {deviceCode}, "client_id": {"hubauth-cli"}})
	e, _ := body["error"].(string)
	return status, e
}

// approveDevice enters code on the /device page, logs in and decides.
func (b *browser) approveDevice(code, decision string) page {
	b.t.Helper()
	p := b.post("/device", url.Values{"user_code": {code}})
	if strings.Contains(p.Body, `action="/login"`) {
		p = b.login(p, demoUser, demoPassword)
	}
	if !strings.Contains(p.Body, `action="/device/approve"`) {
		b.t.Fatalf("want the approval page, got %d:\n%s", p.Status, p.Body)
	}
	form := hubtest.Hidden(p.Body)
	form.Set("decision", decision)
	return b.post("/device/approve", form)
}

func TestDeviceFlow(t *testing.T) {
	h := newHub(t)
	cfg := h.cliConfig()
	da := startDevice(t, cfg)
	if len(da.UserCode) != 9 || da.UserCode[4] != '-' || da.Interval != 5 || da.VerificationURIComplete == "" {
		t.Fatalf("device response = %+v", da)
	}
	if status, e := h.pollOnce(t, da.DeviceCode); status != http.StatusBadRequest || e != "authorization_pending" {
		t.Fatalf("first poll = %d %s, want authorization_pending", status, e)
	}
	if _, e := h.pollOnce(t, da.DeviceCode); e != "slow_down" {
		t.Fatalf("immediate second poll = %s, want slow_down", e)
	}

	b := h.newBrowser(t)
	// The page accepts the code in lower case and without its dash.
	typed := strings.ToLower(strings.ReplaceAll(da.UserCode, "-", ""))
	p := b.approveDevice(typed, "approve")
	if p.Status != http.StatusOK || !strings.Contains(p.Body, "Device connected") {
		t.Fatalf("approve: %d\n%s", p.Status, p.Body)
	}
	h.Clock.Advance(11 * time.Second) // past the interval grown by slow_down
	tok, err := cfg.DeviceAccessToken(context.Background(), da)
	if err != nil {
		t.Fatalf("device token: %v", err)
	}
	if tok.RefreshToken == "" {
		t.Fatal("device login without a refresh token")
	}
	h.Clock.Advance(11 * time.Second)
	if _, e := h.pollOnce(t, da.DeviceCode); e != "invalid_grant" {
		t.Fatalf("reused device code: %s, want invalid_grant", e)
	}
}

// Device codes are 32 random bytes (README, security model), base64url:
// two never repeat and each decodes to 32 bytes.
func TestDeviceCodeIs32RandomBytes(t *testing.T) {
	h := newHub(t)
	seen := map[string]bool{}
	for range 3 {
		da := startDevice(t, h.cliConfig())
		raw, err := base64.RawURLEncoding.DecodeString(da.DeviceCode)
		if err != nil || len(raw) != 32 {
			t.Fatalf("device_code %q: %d bytes (%v), want 32", da.DeviceCode, len(raw), err)
		}
		if seen[da.DeviceCode] {
			t.Fatalf("device_code %q issued twice", da.DeviceCode)
		}
		seen[da.DeviceCode] = true
		if want := h.URL + "/device?user_code=" + da.UserCode; da.VerificationURIComplete != want {
			t.Errorf("verification_uri_complete = %q, want %q", da.VerificationURIComplete, want)
		}
	}
}

func TestDeviceDeniedAndExpired(t *testing.T) {
	h := newHub(t)
	cfg := h.cliConfig()
	denied := startDevice(t, cfg)
	p := h.newBrowser(t).approveDevice(denied.UserCode, "deny")
	if !strings.Contains(p.Body, "denied") {
		t.Fatalf("deny page:\n%s", p.Body)
	}
	if _, e := h.pollOnce(t, denied.DeviceCode); e != "access_denied" {
		t.Fatalf("denied poll = %s, want access_denied", e)
	}
	expired := startDevice(t, cfg)
	h.Clock.Advance(11 * time.Minute)
	if _, e := h.pollOnce(t, expired.DeviceCode); e != "expired_token" {
		t.Fatalf("expired poll = %s, want expired_token", e)
	}
	if p := h.newBrowser(t).post("/device", url.Values{"user_code": {expired.UserCode}}); p.Status != http.StatusBadRequest {
		t.Fatalf("expired code on the page: %d, want 400", p.Status)
	}
	if _, e := h.pollOnce(t, "not-a-device-code"); e != "invalid_grant" {
		t.Fatalf("unknown device code = %s, want invalid_grant", e)
	}
}

func TestDeviceCodeEntryIsRateLimited(t *testing.T) {
	h := newHub(t)
	b := h.newBrowser(t)
	var last page
	for range 30 {
		last = b.post("/device", url.Values{"user_code": {"BCDF-GHJK"}})
		if last.Status == http.StatusTooManyRequests {
			break
		}
		if last.Status != http.StatusBadRequest {
			t.Fatalf("wrong code: %d, want 400", last.Status)
		}
	}
	if last.Status != http.StatusTooManyRequests || last.Header.Get("Retry-After") == "" {
		t.Fatalf("after many wrong codes: %d Retry-After=%q, want 429 with Retry-After", last.Status, last.Header.Get("Retry-After"))
	}
}
