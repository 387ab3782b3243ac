package provider_test

import (
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/hubauth/hubauth/internal/server/provider"
	"github.com/hubauth/hubauth/internal/storage"
)

func TestDeviceGrant(t *testing.T) {
	o := newServer(t)
	status, _, start := o.post(t, provider.PathDevice, url.Values{"client_id": {"cli"}, "scope": {"openid offline_access"}, "token_name": {"lab pc"}}, "", "")
	deviceCode, _ := start["device_code"].(string)
	userCode, _ := start["user_code"].(string)
	if status != http.StatusOK || deviceCode == "" || userCode == "" {
		t.Fatalf("device authorization = %d %v", status, start)
	}
	poll := func() map[string]any {
		t.Helper()
		_, _, body := o.post(t, provider.PathToken, url.Values{"grant_type": {"urn:ietf:params:oauth:grant-type:device_code"},
			"device_code": {deviceCode}, "client_id": {"cli"}}, "", "")
		return body
	}
	if got := poll(); got["error"] != "authorization_pending" {
		t.Errorf("poll before approval = %v, want authorization_pending", got)
	}
	o.clock.Advance(time.Second)
	if got := poll(); got["error"] != "slow_down" {
		t.Errorf("poll a second later = %v, want slow_down (RFC 8628 §3.5)", got)
	}

	code, ok := provider.NormalizeUserCode(userCode)
	if !ok {
		t.Fatalf("user code %q does not normalise", userCode)
	}
	must(t, o.store.UpdateDeviceAuth(t.Context(), code, func(d storage.DeviceAuth) (storage.DeviceAuth, error) {
		d.State, d.UserID, d.AuthTime, d.AMR = storage.DeviceApproved, o.ada.ID, o.clock.Now().UTC(), []string{"pwd"}
		return d, nil
	}))
	o.clock.Advance(11 * time.Second)
	got := poll()
	access, _ := got["access_token"].(string)
	if access == "" {
		t.Fatalf("poll after approval = %v, want tokens", got)
	}
	p, err := o.bearer.Verify(t.Context(), access)
	must(t, err)
	s, err := o.store.GetSession(t.Context(), p.SessionID)
	if err != nil || s.Method != storage.MethodDevice || s.Name != "lab pc" {
		t.Errorf("session = %+v, %v; want a device login named by token_name", s, err)
	}
	o.clock.Advance(11 * time.Second)
	if got := poll(); got["error"] != "invalid_grant" {
		t.Errorf("poll after the tokens were issued = %v, want invalid_grant (single use)", got)
	}
	o.clock.Advance(10 * time.Minute)
	if got := poll(); got["error"] != "expired_token" {
		t.Errorf("poll after expiry = %v, want expired_token", got)
	}
}
