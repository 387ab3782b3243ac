package provider

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/zitadel/oidc/v3/pkg/oidc"

	"github.com/hubauth/hubauth/internal/server/bearer"
)

// TestIntrospectionAsTheLibraryWritesIt: the one-pass answer has exactly
// the JSON members the library's IntrospectionResponse wrote, with the
// hub's extra claims merged in, for every kind of token the hub answers.
func TestIntrospectionAsTheLibraryWritesIt(t *testing.T) {
	now := time.Unix(1_800_000_000, 0)
	user := func(claims map[string]any) *oidc.UserInfo {
		info := &oidc.UserInfo{Subject: "u1", Claims: claims}
		info.Name, info.PreferredUsername = "Ada Lovelace", "ada"
		return info
	}
	tests := []struct {
		name string
		p    bearer.Principal
		info *oidc.UserInfo
	}{
		{"access token of a login, everything shown",
			bearer.Principal{Subject: "u1", ClientID: "cli", Scopes: []string{"openid", "email", "groups"}, Kind: "access_token",
				SessionID: "s1", TokenID: "t1", IssuedAt: now, ExpiresAt: now.Add(time.Hour), Audience: []string{"https://api.example"},
				Actor: &oidc.ActorClaims{Subject: "pipeline", Actor: &oidc.ActorClaims{Subject: "ci"}}},
			func() *oidc.UserInfo {
				info := user(map[string]any{"groups": []string{"nmr"}, "amr": []string{"pwd", "otp", "mfa"}, "acr": "mfa", "idp": "orcid"})
				info.Email, info.EmailVerified = "ada@example.org", true
				return info
			}()},
		{"no groups, unverified e-mail",
			bearer.Principal{Subject: "u1", ClientID: "cli", Scopes: []string{"groups"}, Kind: "refresh_token", SessionID: "s1",
				IssuedAt: now, ExpiresAt: now.Add(time.Hour), Audience: []string{"cli"}},
			func() *oidc.UserInfo {
				info := user(map[string]any{"groups": []string{}, "amr": []string{"pwd"}})
				info.Email = "ada@example.org"
				return info
			}()},
		{"personal token, no session",
			bearer.Principal{Subject: "u1", ClientID: "hubauth-cli", Kind: "personal_token", TokenID: "pat1", IssuedAt: now},
			user(nil)},
		{"service account",
			bearer.Principal{Subject: "svc", ClientID: "svc", Scopes: []string{"uploads:read"}, Kind: "access_token",
				IssuedAt: now, ExpiresAt: now.Add(time.Hour), Audience: []string{"svc"}},
			&oidc.UserInfo{Subject: "svc"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			lib := new(oidc.IntrospectionResponse)
			lib.SetUserInfo(tt.info)
			libraryFill(lib, tt.p, "https://hub.example")
			got := asMap(t, activeIntrospection(tt.p, tt.info, "https://hub.example"))
			if diff := cmp.Diff(asMap(t, lib), got); diff != "" {
				t.Errorf("answer differs from the library's (-library +hub):\n%s", diff)
			}
		})
	}
	t.Run("inactive", func(t *testing.T) {
		if diff := cmp.Diff(asMap(t, new(oidc.IntrospectionResponse)), asMap(t, introspection{})); diff != "" {
			t.Errorf("inactive answer differs (-library +hub):\n%s", diff)
		}
	})
}

// libraryFill is how the endpoint filled the library's answer before it
// wrote its own.
func libraryFill(resp *oidc.IntrospectionResponse, p bearer.Principal, issuer string) {
	resp.Active = true
	resp.Scope = p.Scopes
	resp.ClientID = p.ClientID
	resp.TokenType = p.Kind
	resp.IssuedAt = oidc.FromTime(p.IssuedAt)
	resp.Expiration = oidc.FromTime(p.ExpiresAt)
	resp.Subject = p.Subject
	resp.Issuer = issuer
	resp.JWTID = p.TokenID
	resp.Audience = p.Audience
	resp.Actor = p.Actor
	if p.SessionID != "" {
		if resp.Claims == nil {
			resp.Claims = map[string]any{}
		}
		resp.Claims["sid"] = p.SessionID
	}
}

func asMap(t *testing.T, v any) map[string]any {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return jsonObject(t, b)
}

// jsonObject decodes a JSON object.
func jsonObject(t *testing.T, b []byte) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	return m
}
