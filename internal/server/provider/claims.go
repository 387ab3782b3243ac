package provider

import (
	"context"

	"github.com/zitadel/oidc/v3/pkg/oidc"
	"github.com/zitadel/oidc/v3/pkg/op"

	"github.com/hubauth/hubauth/internal/server/scopes"
	"github.com/hubauth/hubauth/internal/storage"
)

// GetPrivateClaimsFromScopes is not used: the hub signs its access tokens
// itself (signAccess), with the claims of accessClaims.
func (s *Storage) GetPrivateClaimsFromScopes(context.Context, string, string, []string) (map[string]any, error) {
	return nil, nil
}

// SetUserinfoFromScopes is deprecated in the library; SetUserinfoFromRequest
// fills the ID token.
func (s *Storage) SetUserinfoFromScopes(context.Context, *oidc.UserInfo, string, string, []string) error {
	return nil
}

// SetUserinfoFromRequest fills the ID token's user claims, and idp for a
// sign-in through an upstream provider.
func (s *Storage) SetUserinfoFromRequest(ctx context.Context, info *oidc.UserInfo, req op.IDTokenRequest, granted []string) error {
	setIDP(info, idpOf(req))
	if _, ok := req.(op.AuthRequest); !ok {
		// The library sets acr from authorization requests only.
		if acr := storage.ACR(methods(recordedAMR(req))); acr != "" {
			info.AppendClaims("acr", acr)
		}
	}
	if r, ok := req.(*refreshRequest); ok {
		return s.fillUser(ctx, info, r.user, scopes.ClaimsOf(granted))
	}
	return s.FillUserinfo(ctx, info, req.GetSubject(), scopes.ClaimsOf(granted))
}

// setIDP sets the idp claim: the upstream provider the user signed in
// through ("" for a sign-in at the hub itself: no claim).
func setIDP(info *oidc.UserInfo, idp string) {
	if idp != "" {
		info.AppendClaims("idp", idp)
	}
}

// SetUserinfoFromToken fills userinfo for a token the library verified; the
// hub's userinfo endpoint verifies tokens itself (Server.UserInfo), so this
// grants the OIDC profile scopes only.
func (s *Storage) SetUserinfoFromToken(ctx context.Context, info *oidc.UserInfo, _, subject, _ string) error {
	return s.FillUserinfo(ctx, info, subject, scopes.Claims{Profile: true})
}

// SetIntrospectionFromToken fills an introspection answer for a token the
// library verified; the hub's endpoint uses Server.Introspect instead.
func (s *Storage) SetIntrospectionFromToken(ctx context.Context, resp *oidc.IntrospectionResponse, _, subject, _ string) error {
	info := new(oidc.UserInfo)
	if err := s.FillUserinfo(ctx, info, subject, scopes.Claims{Profile: true}); err != nil {
		return err
	}
	resp.SetUserInfo(info)
	return nil
}

// FillUserinfo sets the claims of user id that show reveals: sub always;
// name and preferred_username with Profile; email and email_verified with
// Email; groups with Groups. A service account (client credentials) has
// only sub.
func (s *Storage) FillUserinfo(ctx context.Context, info *oidc.UserInfo, id string, show scopes.Claims) error {
	info.Subject = id
	u, err := s.users.get(ctx, id)
	if err != nil {
		if _, cerr := s.store.GetClient(ctx, id); cerr == nil {
			return nil
		}
		return err
	}
	return s.fillUser(ctx, info, u, show)
}

func (s *Storage) fillUser(ctx context.Context, info *oidc.UserInfo, u storage.User, show scopes.Claims) error {
	info.Subject = u.ID
	if u.Disabled {
		return oidc.ErrAccessDenied().WithDescription("the user is disabled")
	}
	if show.Profile {
		info.Name = u.Name
		info.PreferredUsername = u.Username
	}
	if show.Email && u.Email != "" {
		info.Email, info.EmailVerified = u.Email, oidc.Bool(u.EmailVerified)
	}
	if show.Groups {
		return s.addGroups(ctx, info, u)
	}
	return nil
}

func (s *Storage) addGroups(ctx context.Context, info *oidc.UserInfo, u storage.User) error {
	groups, err := s.store.ListUserGroups(ctx, u.ID)
	if err != nil {
		return err
	}
	if groups == nil {
		groups = []string{}
	}
	info.AppendClaims("groups", groups)
	return nil
}
