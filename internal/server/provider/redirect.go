package provider

import (
	"context"
	"slices"

	"github.com/zitadel/oidc/v3/pkg/oidc"
	"github.com/zitadel/oidc/v3/pkg/op"

	"github.com/hubauth/hubauth/internal/loopback"
	"github.com/hubauth/hubauth/internal/names"
)

// VerifyAuthRequest loads the client as the library does and then checks
// the redirect URI by the hub's rule (redirectAllowed) before anything can
// be sent there; the library's own check then accepts that URI alone
// (client.RedirectURIs). A response type other than code is let through as code
// for the library's checks; Authorize answers it with
// unsupported_response_type at the now verified redirect URI.
func (s *server) VerifyAuthRequest(ctx context.Context, r *op.Request[oidc.AuthRequest]) (*op.ClientRequest[oidc.AuthRequest], error) {
	cr, err := s.LegacyServer.VerifyAuthRequest(ctx, r)
	if err != nil {
		return nil, err
	}
	uri := cr.Data.RedirectURI
	if uri == "" {
		return nil, oidc.ErrInvalidRequestRedirectURI().WithDescription("redirect_uri is missing")
	}
	if !redirectAllowed(cr.Client.RedirectURIs(), uri, cr.Client.ApplicationType() == op.ApplicationTypeNative) {
		return nil, oidc.ErrInvalidRequestRedirectURI().WithDescription("redirect_uri %s is not registered for this application", names.Quote(uri))
	}
	if c, ok := cr.Client.(*client); ok { // a copy: the library's check is for this request only
		allowed := *c
		allowed.redirect = uri
		cr.Client = &allowed
	}
	if cr.Data.ResponseType != "" {
		cr.Data.ResponseType = oidc.ResponseTypeCode
	}
	return cr, nil
}

// checkResponse refuses, at the redirect URI, a response type, a response
// mode or a request_uri the hub does not publish (RFC 6749 §4.1.2.1). It
// reads the response type as sent: VerifyAuthRequest has set it to code.
func checkResponse(r *op.ClientRequest[oidc.AuthRequest]) error {
	if rt := r.Form.Get("response_type"); rt != "" && !slices.Contains(responseTypes, rt) {
		return (&oidc.Error{ErrorType: "unsupported_response_type"}).WithDescription("response_type %s is not supported: the hub offers the authorization code flow (response_type=code)", names.Quote(rt))
	}
	if r.Form.Get("request_uri") != "" { // OpenID Connect Core §6.2, not published
		return (&oidc.Error{ErrorType: "request_uri_not_supported"}).WithDescription("request_uri is not supported")
	}
	if rm := r.Data.ResponseMode; rm != "" && !slices.Contains(responseModes, rm) {
		r.Data.ResponseMode = "" // the error itself goes back in the query
		return oidc.ErrInvalidRequest().WithDescription("response_mode %s is not supported: use query or fragment", names.Quote(string(rm)))
	}
	return nil
}

// redirectAllowed reports whether uri may receive the answer to an
// authorization request of a client that registered registered: one of
// them exactly (RFC 6749 §3.1.2.3), or, for a native client, a registered
// loopback one (loopback.Parse) with the same path and query on any port
// (RFC 8252 §7.3), on localhost only where the client registered localhost
// (§8.3).
func redirectAllowed(registered []string, uri string, native bool) bool {
	if slices.Contains(registered, uri) {
		return true
	}
	u, ok := loopback.Parse(uri)
	if !native || !ok {
		return false
	}
	return slices.ContainsFunc(registered, func(reg string) bool {
		r, ok := loopback.Parse(reg)
		return ok && (!loopback.Localhost(u.Hostname()) || loopback.Localhost(r.Hostname())) &&
			r.EscapedPath() == u.EscapedPath() && r.RawQuery == u.RawQuery
	})
}
