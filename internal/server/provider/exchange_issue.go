package provider

import (
	"context"
	"time"

	"github.com/zitadel/oidc/v3/pkg/oidc"

	"github.com/hubauth/hubauth/internal/secret"
	"github.com/hubauth/hubauth/internal/server/audience"
	"github.com/hubauth/hubauth/internal/server/bearer"
	"github.com/hubauth/hubauth/internal/server/clientaddr"
	"github.com/hubauth/hubauth/internal/storage"
)

// issueExchanged issues the exchanged tokens for client c acting for the
// subject p: an access token for target and, with refresh, a refresh
// token. A subject of a login session, or a personal token, gets a session
// exchanged from it (listed with the user's sessions, revoked with it); an
// access token of no session (a login without a refresh token) exchanges
// for an access token only, ending no later than it.
func (s *server) issueExchanged(ctx context.Context, c *client, p bearer.Principal, asked []string, target audience.Target, refresh bool) (*exchangeRequest, *oidc.TokenExchangeResponse, error) {
	req := &exchangeRequest{userID: p.Subject, target: target, actors: []string{c.ID}, notAfter: p.ExpiresAt}
	var rt string
	if p.SessionID == "" && p.Kind != bearer.KindPersonalToken {
		if refresh {
			return req, nil, oidc.ErrInvalidRequest().WithDescription("a refresh token needs a subject token of a login session or a personal token")
		}
	} else {
		parent, err := s.storage.exchangeParent(ctx, p)
		if err != nil {
			return req, nil, err
		}
		if rt, err = s.storage.startExchanged(ctx, c, parent, asked, req, refresh); err != nil {
			return req, nil, err
		}
	}
	access, _, validity, err := s.storage.createAccessToken(ctx, req, c, "")
	if err != nil {
		return req, nil, err
	}
	return req, &oidc.TokenExchangeResponse{AccessToken: access, IssuedTokenType: oidc.AccessTokenType,
		TokenType: oidc.BearerToken, ExpiresIn: uint64(validity.Seconds()), Scopes: target.Scopes, RefreshToken: rt}, nil
}

// startExchanged starts the session exchanged from parent for c, with a
// refresh token when refresh; it sets req's session, actors, sign-in and
// end from the parent.
func (s *Storage) startExchanged(ctx context.Context, c *client, parent storage.Session, asked []string, req *exchangeRequest, refresh bool) (string, error) {
	now := s.now()
	req.actors = append(req.actors, parent.Actors...)
	req.amr, req.notAfter = parent.AMR, parent.ExpiresAt
	sess := storage.Session{ID: secret.ID(), UserID: parent.UserID, ClientID: c.ID, Method: storage.MethodExchange,
		Name: parent.Name, Address: clientaddr.FromContext(ctx).String(), Scopes: asked,
		Resources: []string{req.target.Audience}, AuthTime: parent.AuthTime, AMR: parent.AMR,
		CreatedAt: now, LastUsedAt: now, ExpiresAt: parent.ExpiresAt, ParentID: parent.ID, Actors: req.actors}
	var token string
	var first storage.RefreshToken
	if refresh {
		token, first = s.newRefreshToken(sess.ID, now)
		first.ExpiresAt = clampExp(first.ExpiresAt, parent.ExpiresAt)
	} else {
		// Without a refresh token the session serves one access token:
		// it ends with it (collected, not listed for the parent's life).
		sess.ExpiresAt = clampExp(now.Add(s.cfg.AccessTokenTTL), parent.ExpiresAt)
		req.notAfter = sess.ExpiresAt
	}
	// Stored only while the parent is live, in the write transaction a
	// revocation of the parent is ordered with: a logout (or the personal
	// token revoked) racing with this exchange either refuses it or
	// revokes the child too.
	if err := s.store.CreateExchangedSession(ctx, sess, first, now); isNotFound(err) {
		return "", errSubjectEnded
	} else if err != nil {
		return "", err
	}
	req.sessionID = sess.ID
	return token, nil
}

// exchangeExpiry is when an exchanged access token issued now expires:
// the usual lifetime, or sooner its subject's end.
func (s *Storage) exchangeExpiry(r *exchangeRequest) time.Time {
	return clampExp(s.now().Add(s.cfg.AccessTokenTTL), r.notAfter)
}

// parentLive refuses the refresh of a session exchanged from a login
// that has ended, or been idle longer than a refresh token lives (its
// own refresh tokens have expired), or from a personal token no longer
// live: what was exchanged never outlives its subject, idle limit
// included. Other sessions pass.
func (s *Storage) parentLive(ctx context.Context, sess storage.Session) error {
	if sess.ParentID == "" {
		return nil
	}
	if id, ok := storage.ParentPersonalToken(sess.ParentID); ok {
		_, err := s.personalTokenParent(ctx, sess.UserID, id)
		return err
	}
	p, err := s.store.GetSession(ctx, sess.ParentID)
	now := s.now()
	if isNotFound(err) || (err == nil && (!p.RevokedAt.IsZero() || !now.Before(p.ExpiresAt) ||
		!now.Before(p.LastUsedAt.Add(s.cfg.RefreshTokenTTL)))) {
		return oidc.ErrInvalidGrant().WithDescription("the login this session was exchanged from has ended or been idle too long")
	}
	return err
}
