package resource_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/hubauth/hubauth/internal/server/mfa"
	"github.com/hubauth/hubauth/internal/storage"
	"github.com/hubauth/hubauth/resource"
)

// TestRequireMFA: RequireMFA lets through tokens of a sign-in with two
// factors, JWT or introspected, and answers the others RFC 9470's
// insufficient_user_authentication with acr_values="mfa".
func TestRequireMFA(t *testing.T) {
	h := newHub(t)
	const key = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
	now := h.Clock.Now()
	if err := h.Store.BeginTOTP(t.Context(), storage.TOTP{UserID: h.UserID, Secret: key, CreatedAt: now}); err != nil {
		t.Fatal(err)
	}
	if err := h.Store.ConfirmTOTP(t.Context(), h.UserID, key, 0, nil, now); err != nil {
		t.Fatal(err)
	}
	code, err := mfa.Code(key, h.Clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	two := h.PostForm(t, "/api/v1/auth/token", url.Values{"username": {demoUser}, "password": {demoPassword}, "otp": {code}})["access_token"].(string)
	id, sec := h.apiClient(t)
	pat := h.PersonalToken(t, two)
	m := newMiddleware(t, h, resource.Config{ClientID: id, ClientSecret: sec})
	guarded := m.Handler(resource.RequireMFA(whoami))
	tests := []struct {
		name, token string
		want        int
	}{
		{"JWT of two factors", two, http.StatusOK},
		{"personal token (no sign-in)", pat, http.StatusUnauthorized},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := call(t, guarded, bearer(tt.token))
			if got.Status != tt.want {
				t.Fatalf("got %+v, want %d", got, tt.want)
			}
			if tt.want == http.StatusOK && (!got.Caller.MFA() || got.Caller.ACR != "mfa") {
				t.Errorf("caller %+v, want amr with mfa and acr mfa", got.Caller)
			}
			if tt.want != http.StatusOK && (got.Error != "insufficient_user_authentication" || !strings.Contains(got.Challenge, `acr_values="mfa"`)) {
				t.Errorf("refusal %+v, want insufficient_user_authentication with acr_values", got)
			}
		})
	}
	// A password-only JWT of another user is refused too.
	h.AddUser(t, "bob", "bob's long password")
	one := h.AccessToken(t, "bob", "bob's long password", "")
	if got := call(t, guarded, bearer(one)); got.Status != http.StatusUnauthorized || got.Error != "insufficient_user_authentication" {
		t.Errorf("password-only token: %+v", got)
	}
	if got := call(t, m.Handler(whoami), bearer(one)); got.Status != http.StatusOK || got.Caller.MFA() || strings.Join(got.Caller.AMR, " ") != "pwd" {
		t.Errorf("password-only caller: %+v, want amr [pwd]", got.Caller)
	}
}
