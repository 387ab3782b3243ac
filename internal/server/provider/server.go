package provider

import (
	"context"
	"errors"
	"net/http"
	"strings"

	"github.com/zitadel/oidc/v3/pkg/oidc"
	"github.com/zitadel/oidc/v3/pkg/op"

	"github.com/hubauth/hubauth/internal/secret"
	"github.com/hubauth/hubauth/internal/server/audience"
	"github.com/hubauth/hubauth/internal/server/bearer"
	"github.com/hubauth/hubauth/internal/storage"
)

// server is zitadel's LegacyServer with the steps where the hub is stricter.
type server struct {
	*op.LegacyServer
	storage *Storage
	bearer  *bearer.Verifier
	polls   *pollTracker
}

var _ op.ExtendedLegacyServer = (*server)(nil)

// Authorize refuses the response types and modes the hub does not publish
// (checkResponse), requires PKCE with S256 from public clients and refuses
// the plain method from everyone (RFC 9700 §2.1.1); errors go back to the
// client's (already validated) redirect URI.
func (s *server) Authorize(ctx context.Context, r *op.ClientRequest[oidc.AuthRequest]) (*op.Redirect, error) {
	if err := checkResponse(r); err != nil {
		return op.TryErrorRedirect(ctx, r.Data, err, s.Provider().Encoder(), nil)
	}
	if err := checkPKCE(r.Client, r.Data); err != nil {
		return op.TryErrorRedirect(ctx, r.Data, err, s.Provider().Encoder(), nil)
	}
	// The library drops scopes it does not know; the hub refuses them up
	// front, naming the valid ones, as at every other entrance.
	if err := s.checkRequested(ctx, r.Client, strings.Fields(r.Form.Get("scope"))); err != nil {
		if errors.Is(err, storage.ErrUnavailable) {
			return nil, err
		}
		return op.TryErrorRedirect(ctx, r.Data, err, s.Provider().Encoder(), nil)
	}
	// As the library's, but an unreachable database is a 503 here rather
	// than a server_error sent to the application.
	if _, err := op.ValidateAuthReqIDTokenHint(ctx, r.Data.IDTokenHint, s.Provider().IDTokenHintVerifier(ctx)); err != nil {
		return nil, err
	}
	resources, err := s.storage.grantResources(ctx, r.Form, r.Data.Scopes)
	if errors.Is(err, storage.ErrUnavailable) {
		return nil, err
	}
	if err != nil {
		return op.TryErrorRedirect(ctx, r.Data, err, s.Provider().Encoder(), nil)
	}
	req, err := s.storage.createAuthRequest(ctx, r.Data, sessionLabel(r.Form), resources)
	if errors.Is(err, storage.ErrUnavailable) {
		return nil, err
	}
	if err != nil {
		return op.TryErrorRedirect(ctx, r.Data, oidc.DefaultToServerError(err, "unable to save auth request"), s.Provider().Encoder(), nil)
	}
	return op.NewRedirect(r.Client.LoginURL(req.GetID())), nil
}

func checkPKCE(c op.Client, req *oidc.AuthRequest) error {
	switch {
	case req.CodeChallenge == "" && c.AuthMethod() == oidc.AuthMethodNone:
		return oidc.ErrInvalidRequest().WithDescription("PKCE is required: send code_challenge with code_challenge_method=S256")
	case req.CodeChallenge != "" && req.CodeChallengeMethod != oidc.CodeChallengeMethodS256:
		return oidc.ErrInvalidRequest().WithDescription("code_challenge_method must be S256")
	case len(req.CodeChallenge) > 128:
		return oidc.ErrInvalidRequest().WithDescription("code_challenge is too long")
	}
	return nil
}

// CodeExchange is the library's, except that a code issued with a PKCE
// challenge always needs its verifier, whatever the client type; the code
// is spent only once the client, verifier and redirect URI match, so a
// wrong presentation cannot burn the right client's code; a disabled user
// gets invalid_grant before anything is issued; and storage failures are
// server errors, not invalid_grant.
func (s *server) CodeExchange(ctx context.Context, r *op.ClientRequest[oidc.AccessTokenRequest]) (*op.Response, error) {
	apis, err := s.storage.cfg.APIs.Load(ctx)
	if err != nil {
		return nil, grantError(err)
	}
	var target *audience.Target // RFC 8707: a resource the code covers, checked before it is spent
	authReq, err := s.storage.redeemCode(ctx, r.Data.Code, func(a *authRequest) error {
		if err := checkRedemption(r.Client, r.Data, a); err != nil {
			return err
		}
		target, err = tokenTarget(apis, r.Form, a.Resources, a.Scopes)
		return err
	})
	if err != nil {
		return nil, grantError(err)
	}
	authReq.target = target
	if _, err := s.storage.activeUser(ctx, authReq.GetSubject()); err != nil {
		return nil, grantError(err)
	}
	resp, err := s.tokenResponse(ctx, authReq, r.Client, r.Data.Code, "", idAlways)
	if err != nil {
		return nil, grantError(err)
	}
	return op.NewResponse(resp), nil
}

// checkRedemption is what a code exchange must match (RFC 6749 §4.1.3,
// RFC 7636 §4.6).
func checkRedemption(c op.Client, req *oidc.AccessTokenRequest, a *authRequest) error {
	if err := op.AuthorizeCodeChallenge(req.CodeVerifier, a.GetCodeChallenge()); err != nil {
		return err
	}
	if c.GetID() != a.GetClientID() {
		return oidc.ErrInvalidGrant().WithDescription("the code was issued to another client")
	}
	if req.RedirectURI != a.GetRedirectURI() {
		return oidc.ErrInvalidGrant().WithDescription("redirect_uri does not match the authorization request")
	}
	return nil
}

// DeviceToken answers a device's poll (RFC 8628 §3.5): slow_down to a
// device that polls faster than its interval, and each approval is
// consumed exactly once.
func (s *server) DeviceToken(ctx context.Context, r *op.ClientRequest[oidc.DeviceAccessTokenRequest]) (*op.Response, error) {
	hash := secret.Hash(r.Data.DeviceCode)
	d, err := s.storage.store.GetDeviceAuthByDeviceCode(ctx, hash)
	if errors.Is(err, storage.ErrNotFound) || (err == nil && d.ClientID != r.Client.GetID()) {
		return nil, oidc.ErrInvalidGrant().WithDescription("unknown device_code")
	}
	if err != nil {
		return nil, grantError(err)
	}
	now := s.storage.now()
	if !now.Before(d.ExpiresAt) {
		return nil, oidc.ErrExpiredDeviceCode()
	}
	if !s.polls.allow(hash, now, d.ExpiresAt) {
		return nil, oidc.ErrSlowDown()
	}
	switch d.State {
	case storage.DevicePending:
		return nil, oidc.ErrAuthorizationPending()
	case storage.DeviceDenied:
		return nil, oidc.ErrAccessDenied().WithDescription("the user denied the request")
	case storage.DeviceConsumed:
		return nil, oidc.ErrInvalidGrant().WithDescription("the device_code was already used")
	}
	apis, err := s.storage.cfg.APIs.Load(ctx)
	if err != nil {
		return nil, grantError(err)
	}
	// RFC 8707: a resource the authorization covers, checked before it is spent.
	target, err := tokenTarget(apis, r.Form, d.Resources, d.Scopes)
	if err != nil {
		return nil, err
	}
	return s.issueDeviceTokens(ctx, r.Client, hash, *target)
}

func (s *server) issueDeviceTokens(ctx context.Context, c op.Client, hash string, target audience.Target) (*op.Response, error) {
	d, err := s.storage.store.ConsumeDeviceAuth(ctx, hash)
	if errors.Is(err, storage.ErrNotFound) {
		return nil, oidc.ErrInvalidGrant().WithDescription("the device_code was already used")
	}
	if err != nil {
		return nil, grantError(err)
	}
	s.polls.forget(hash)
	if _, err := s.storage.activeUser(ctx, d.UserID); err != nil {
		return nil, grantError(err)
	}
	resp, err := s.tokenResponse(ctx, newDeviceGrant(d, c, target), c, "", "", idForOpenID)
	if err != nil {
		return nil, grantError(err)
	}
	return op.NewResponse(resp), nil
}

// UserInfo answers for access tokens and personal tokens; the claims follow
// the token's scopes (a personal token shows the profile and email).
func (s *server) UserInfo(ctx context.Context, r *op.Request[oidc.UserInfoRequest]) (*op.Response, error) {
	p, err := s.bearer.Verify(ctx, r.Data.AccessToken)
	if errors.Is(err, bearer.ErrInvalidToken) {
		return nil, op.NewStatusError(&oidc.Error{ErrorType: "invalid_token", Description: "the access token is invalid, expired or revoked"}, http.StatusUnauthorized)
	}
	if err != nil {
		return nil, err
	}
	info := new(oidc.UserInfo)
	if err := s.storage.FillUserinfo(ctx, info, p.Subject, p.Claims()); err != nil {
		return nil, op.NewStatusError(err, http.StatusForbidden)
	}
	amr, err := s.storage.sessionAMR(ctx, p.SessionID)
	if err != nil {
		return nil, err
	}
	setSignIn(info, amr)
	return op.NewResponse(info), nil
}

// DeviceAuthorization starts RFC 8628 for clients allowed the device grant
// (§3.1), refusing unknown scopes up front; startDevice mints the codes.
func (s *server) DeviceAuthorization(ctx context.Context, r *op.ClientRequest[oidc.DeviceAuthorizationRequest]) (*op.Response, error) {
	if !op.ValidateGrantType(r.Client, oidc.GrantTypeDeviceCode) {
		return nil, oidc.ErrUnauthorizedClient().WithDescription("the client may not use the device flow")
	}
	if err := s.checkRequested(ctx, r.Client, r.Data.Scopes); err != nil {
		return nil, err
	}
	resources, err := s.storage.grantResources(ctx, r.Form, r.Data.Scopes)
	if err != nil {
		return nil, err
	}
	resp, err := s.startDevice(ctx, storage.DeviceAuth{ClientID: r.Client.GetID(), Scopes: r.Data.Scopes,
		SessionName: sessionLabel(r.Form), Resources: resources})
	if err != nil {
		return nil, err
	}
	return op.NewResponse(resp), nil
}

// Revocation revokes a refresh token (its whole session), a personal token
// or an access token (RFC 7009). The token_type_hint is only a hint (§2.1):
// opaque tokens are looked up whatever it says. Unknown tokens get 200.
func (s *server) Revocation(ctx context.Context, r *op.ClientRequest[oidc.RevocationRequest]) (*op.Response, error) {
	if r.Data.Token == "" {
		return nil, oidc.ErrInvalidRequest().WithDescription("token is missing")
	}
	userID, id, err := s.storage.GetRefreshTokenInfo(ctx, r.Client.GetID(), r.Data.Token)
	if errors.Is(err, storage.ErrUnavailable) {
		return nil, err // a 200 would tell the client a token was revoked that was not
	}
	if err != nil {
		p, verr := s.bearer.Verify(ctx, r.Data.Token)
		if errors.Is(verr, storage.ErrUnavailable) {
			return nil, verr
		}
		if verr != nil {
			return op.NewResponse(nil), nil
		}
		userID, id = p.Subject, p.TokenID
	}
	if oerr := s.storage.RevokeToken(ctx, id, userID, r.Client.GetID()); oerr != nil {
		if errors.Is(oerr, storage.ErrUnavailable) {
			return nil, oerr
		}
		return nil, op.RevocationError(oerr)
	}
	return op.NewResponse(nil), nil
}
