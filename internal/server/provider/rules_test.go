package provider

import (
	"strings"
	"testing"
	"time"

	"github.com/zitadel/oidc/v3/pkg/oidc"

	"github.com/hubauth/hubauth/internal/storage"
)

func TestNeedsLogin(t *testing.T) {
	created := time.Date(2026, 1, 2, 10, 0, 0, 0, time.UTC)
	now := created.Add(time.Minute)
	for _, tc := range []struct {
		name     string
		prompt   []string
		maxAge   int64
		authTime time.Time
		want     bool
	}{
		{"no prompt, no max_age", nil, -1, created.Add(-24 * time.Hour), false},
		{"prompt=login, older login", []string{oidc.PromptLogin}, -1, created.Add(-time.Second), true},
		{"prompt=login, login made for this request", []string{oidc.PromptLogin}, -1, created, false},
		{"prompt=login among others", []string{oidc.PromptConsent, oidc.PromptLogin}, -1, created.Add(-time.Second), true},
		{"prompt=consent only", []string{oidc.PromptConsent}, -1, created.Add(-time.Hour), false},
		{"max_age not exceeded", nil, 3600, created.Add(-time.Hour + time.Minute), false},
		{"max_age exactly reached", nil, 3600, now.Add(-time.Hour), false},
		{"max_age exceeded", nil, 3600, now.Add(-time.Hour - time.Second), true},
		{"max_age=0 and an older login (OIDC Core §3.1.2.1)", nil, 0, created.Add(-time.Second), true},
		{"max_age=0, login made for this request", nil, 0, created.Add(time.Second), false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a := storage.AuthRequest{Prompt: tc.prompt, MaxAgeSeconds: tc.maxAge, CreatedAt: created}
			bs := storage.BrowserSession{AuthTime: tc.authTime}
			if got := NeedsLogin(a, bs, now); got != tc.want {
				t.Errorf("NeedsLogin = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestRedirectAllowed(t *testing.T) {
	for _, tc := range []struct {
		name       string
		registered []string
		uri        string
		native     bool
		want       bool
	}{
		{"exact (RFC 6749 §3.1.2.3)", []string{"https://app.example/cb"}, "https://app.example/cb", false, true},
		{"other path", []string{"https://app.example/cb"}, "https://app.example/cb2", false, false},
		{"extra query", []string{"https://app.example/cb"}, "https://app.example/cb?x=1", false, false},
		{"case of the host", []string{"https://app.example/cb"}, "https://APP.example/cb", false, false},
		{"loopback, any port (RFC 8252 §7.3)", []string{"http://127.0.0.1/cb"}, "http://127.0.0.1:53219/cb", true, true},
		{"loopback IPv6, any port", []string{"http://[::1]/cb"}, "http://[::1]:8080/cb", true, true},
		{"loopback, web client: exact only", []string{"http://127.0.0.1/cb"}, "http://127.0.0.1:53219/cb", false, false},
		{"loopback, other path", []string{"http://127.0.0.1/cb"}, "http://127.0.0.1:53219/other", true, false},
		{"loopback, other query", []string{"http://127.0.0.1/cb?a=1"}, "http://127.0.0.1:5000/cb?a=2", true, false},
		{"loopback, same query", []string{"http://127.0.0.1/cb?a=1"}, "http://127.0.0.1:5000/cb?a=1", true, true},
		{"localhost not registered (RFC 8252 §8.3)", []string{"http://127.0.0.1/cb"}, "http://localhost:5000/cb", true, false},
		{"localhost registered", []string{"http://localhost/cb"}, "http://localhost:5000/cb", true, true},
		{"https loopback is not a loopback redirect", []string{"http://127.0.0.1/cb"}, "https://127.0.0.1:5000/cb", true, false},
		{"not loopback", []string{"http://127.0.0.1/cb"}, "http://192.0.2.1:5000/cb", true, false},
		{"nothing registered", nil, "http://127.0.0.1:5000/cb", true, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := redirectAllowed(tc.registered, tc.uri, tc.native); got != tc.want {
				t.Errorf("redirectAllowed(%q, %q, native %v) = %v, want %v", tc.registered, tc.uri, tc.native, got, tc.want)
			}
		})
	}
}

func TestCheckPKCE(t *testing.T) {
	public := &client{Client: storage.Client{Public: true}}
	confidential := &client{Client: storage.Client{}}
	s256 := oidc.CodeChallengeMethodS256
	for _, tc := range []struct {
		name     string
		c        *client
		req      oidc.AuthRequest
		wantDesc string
	}{
		{"public client with S256", public, oidc.AuthRequest{CodeChallenge: "abc", CodeChallengeMethod: s256}, ""},
		{"public client without PKCE", public, oidc.AuthRequest{}, "PKCE is required"},
		{"confidential client without PKCE", confidential, oidc.AuthRequest{}, ""},
		{"plain method", confidential, oidc.AuthRequest{CodeChallenge: "abc", CodeChallengeMethod: oidc.CodeChallengeMethodPlain}, "must be S256"},
		{"no method", public, oidc.AuthRequest{CodeChallenge: "abc"}, "must be S256"},
		{"challenge too long", public, oidc.AuthRequest{CodeChallenge: strings.Repeat("a", 129), CodeChallengeMethod: s256}, "too long"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := checkPKCE(tc.c, &tc.req)
			if tc.wantDesc == "" {
				if err != nil {
					t.Errorf("checkPKCE = %v, want nil", err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.wantDesc) {
				t.Errorf("checkPKCE = %v, want invalid_request saying %q", err, tc.wantDesc)
			}
		})
	}
}

func TestKindOf(t *testing.T) {
	for in, want := range map[string]string{
		"rt:s-1":  "refresh token (session s-1)",
		"pat:p-1": "personal token p-1",
		"jti-1":   "access token jti-1",
	} {
		if got := kindOf(in); got != want {
			t.Errorf("kindOf(%q) = %q, want %q", in, got, want)
		}
	}
}
