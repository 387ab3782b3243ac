package storagetest

import (
	"testing"
	"time"

	"github.com/hubauth/hubauth/internal/storage"
)

// testGetLiveAccessToken: an access token is live while its id is not
// revoked, its session (if any) is not revoked, and its client and user
// (if any) exist and are enabled; then the call returns both rows.
func testGetLiveAccessToken(t *testing.T, s storage.Storage) {
	ctx := t.Context()
	ada, off := newUser("u-1", "ada"), newUser("u-2", "off")
	off.Disabled = true
	createUsers(t, s, ada, off)
	web, disabled := newClient("web"), newClient("disabled")
	disabled.Disabled = true
	for _, c := range []storage.Client{web, disabled} {
		must(t, "CreateClient", s.CreateClient(ctx, c))
	}
	createSession(t, s, newSession("s-1", at(0)), "rt-1")
	createSession(t, s, newSession("s-2", at(0)), "rt-2")
	must(t, "RevokeSession", s.RevokeSession(ctx, "s-2", at(time.Hour)))
	must(t, "RevokeAccessToken", s.RevokeAccessToken(ctx, "jti-revoked", at(15*time.Minute)))

	tests := []struct {
		name     string
		refs     storage.AccessTokenRefs
		wantUser storage.User // zero for a service account
		dead     bool
	}{
		{name: "live", refs: storage.AccessTokenRefs{TokenID: "jti-1", SessionID: "s-1", ClientID: "web", UserID: "u-1"}, wantUser: ada},
		{name: "without a session", refs: storage.AccessTokenRefs{TokenID: "jti-1", ClientID: "web", UserID: "u-1"}, wantUser: ada},
		{name: "service account", refs: storage.AccessTokenRefs{TokenID: "jti-1", ClientID: "web"}},
		{name: "id revoked", refs: storage.AccessTokenRefs{TokenID: "jti-revoked", SessionID: "s-1", ClientID: "web", UserID: "u-1"}, dead: true},
		{name: "service account's id revoked", refs: storage.AccessTokenRefs{TokenID: "jti-revoked", ClientID: "web"}, dead: true},
		{name: "session revoked", refs: storage.AccessTokenRefs{TokenID: "jti-1", SessionID: "s-2", ClientID: "web", UserID: "u-1"}, dead: true},
		{name: "session unknown", refs: storage.AccessTokenRefs{TokenID: "jti-1", SessionID: "none", ClientID: "web", UserID: "u-1"}, dead: true},
		{name: "client disabled", refs: storage.AccessTokenRefs{TokenID: "jti-1", ClientID: "disabled", UserID: "u-1"}, dead: true},
		{name: "client unknown", refs: storage.AccessTokenRefs{TokenID: "jti-1", ClientID: "none", UserID: "u-1"}, dead: true},
		{name: "service account disabled", refs: storage.AccessTokenRefs{TokenID: "jti-1", ClientID: "disabled"}, dead: true},
		{name: "user disabled", refs: storage.AccessTokenRefs{TokenID: "jti-1", ClientID: "web", UserID: "u-2"}, dead: true},
		{name: "user unknown", refs: storage.AccessTokenRefs{TokenID: "jti-1", ClientID: "web", UserID: "none"}, dead: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, u, err := s.GetLiveAccessToken(ctx, tt.refs)
			if tt.dead {
				checkErr(t, "GetLiveAccessToken", err, storage.ErrNotFound)
				return
			}
			checkErr(t, "GetLiveAccessToken", err, nil)
			diff(t, "client", c, web)
			diff(t, "user", u, tt.wantUser)
		})
	}
}
