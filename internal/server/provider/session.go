package provider

import (
	"context"
	"errors"
	"strconv"

	"github.com/zitadel/oidc/v3/pkg/op"

	"github.com/hubauth/hubauth/internal/storage"
)

// TerminateSession is superseded by TerminateSessionFromRequest.
func (s *Storage) TerminateSession(ctx context.Context, userID, clientID string) error {
	_, err := s.TerminateSessionFromRequest(ctx, &op.EndSessionRequest{UserID: userID, ClientID: clientID})
	return err
}

// TerminateSessionFromRequest ends the browser's hub session (found through
// the cookie the pages package put in ctx) and revokes the refresh tokens of
// every login made from it (OIDC RP-Initiated Logout), when the request
// carries an id_token_hint of the signed-in user; otherwise it sends the
// browser to the /logout confirmation. The redirect goes to the validated
// post_logout_redirect_uri, or to the logged-out page.
func (s *Storage) TerminateSessionFromRequest(ctx context.Context, req *op.EndSessionRequest) (string, error) {
	redirect := req.RedirectURI
	if redirect == "" {
		redirect = s.cfg.LoginPath + "?logged_out=1"
	}
	bs, ok := BrowserSessionFrom(ctx)
	if !ok {
		return redirect, nil
	}
	// A bare link must not sign a user out of everything: without an
	// id_token_hint for this very user, the user confirms on /logout.
	if req.IDTokenHintClaims == nil || req.IDTokenHintClaims.Subject != bs.UserID {
		return s.cfg.LogoutPath, nil
	}
	if err := s.EndBrowserSession(ctx, bs, req.ClientID); err != nil {
		return "", err
	}
	return redirect, nil
}

// EndBrowserSession ends a hub session and revokes every login made from
// it, with an audit event.
func (s *Storage) EndBrowserSession(ctx context.Context, bs storage.BrowserSession, clientID string) error {
	revoked, err := s.store.EndBrowserSession(ctx, bs.ID, s.now())
	if err != nil && !errors.Is(err, storage.ErrNotFound) {
		return err
	}
	s.audit(ctx, storage.AuditEvent{Type: storage.AuditLogout, UserID: bs.UserID, ClientID: clientID,
		Detail: "hub session ended; sessions revoked: " + strconv.Itoa(len(revoked))})
	return nil
}

type browserSessionKey struct{}

// WithBrowserSession records the browser's hub session in ctx.
func WithBrowserSession(ctx context.Context, bs storage.BrowserSession) context.Context {
	return context.WithValue(ctx, browserSessionKey{}, bs)
}

// BrowserSessionFrom returns the session recorded by WithBrowserSession.
func BrowserSessionFrom(ctx context.Context) (storage.BrowserSession, bool) {
	bs, ok := ctx.Value(browserSessionKey{}).(storage.BrowserSession)
	return bs, ok
}
