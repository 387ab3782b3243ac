package client

import (
	"context"
	"errors"

	"golang.org/x/oauth2"

	"github.com/hubauth/hubauth/client/internal/store"
)

// tokenNameParam carries the name the user gives a login (DVC Studio's
// token_name) to the authorization, device and password requests. A
// provider that does not know it ignores it.
const tokenNameParam = "token_name"

// tokenNameOption returns the AuthCodeOptions that send name, if any.
func tokenNameOption(name string) []oauth2.AuthCodeOption {
	if name == "" {
		return nil
	}
	return []oauth2.AuthCodeOption{oauth2.SetAuthURLParam(tokenNameParam, name)}
}

// idpHintParam names the upstream provider the hub signs the user in
// with, as Keycloak's kc_idp_hint does.
const idpHintParam = "idp_hint"

// idpHintOption sends idp_hint=idp when idp is set.
func idpHintOption(idp string) []oauth2.AuthCodeOption {
	if idp == "" {
		return nil
	}
	return []oauth2.AuthCodeOption{oauth2.SetAuthURLParam(idpHintParam, idp)}
}

// checkReplace fails with ErrSessionExists when a live session is stored
// for the server and profile and force is false. It is checked before a
// login starts, so that the user is not sent through a flow for nothing,
// and again when the new session is saved.
func (c *Client) checkReplace(force bool) error {
	if force {
		return nil
	}
	cur, ok, err := c.store.Load(c.cfg.Server, c.cfg.Profile)
	if err != nil {
		return err
	}
	if ok && c.inUse(cur) {
		return ErrSessionExists
	}
	return nil
}

// inUse reports whether s is a session a login must not replace without
// Force: one that can still authenticate, whose refresh token (if in the
// keyring) is still there.
func (c *Client) inUse(s store.Session) bool {
	return c.live(s) && !c.lost(s)
}

// finishLogin stores the session that tok starts and makes it current.
func (c *Client) finishLogin(ctx context.Context, method string, tok *oauth2.Token, force bool) error {
	s := c.applyToken(store.Session{
		Server: c.cfg.Server, Profile: c.cfg.Profile, ClientID: c.cfg.ClientID, ClientSecret: c.cfg.ClientSecret, Method: method,
		Scopes: c.cfg.Scopes, CreatedAt: c.now().UTC(),
	}, tok)
	if s.TokenType == "" {
		s.TokenType = "Bearer"
	}
	if err := c.identify(ctx, &s); err != nil && method == MethodToken {
		return err // a token given as is must be one the provider accepts
	}
	var old string // the keyring entry of the session replaced
	err := c.store.Update(c.cfg.Server, c.cfg.Profile, func(cur store.Session, ok bool) (*store.Session, error) {
		if ok && !force && c.inUse(cur) {
			return nil, ErrSessionExists
		}
		old, s = cur.Keyring, c.seal(s, c.toKeyring(cur, ok))
		return &s, nil
	})
	if err != nil {
		return err
	}
	c.forget(old, s.Keyring)
	c.setSession(s, true)
	return nil
}

// identify fills in whose session s is: from the provider's userinfo
// endpoint when it answers, else from the claims of the ID token or a JWT
// access token (read for display only). A 401 from userinfo is returned:
// for a token given as is, it means the provider does not accept it; a
// token just issued may lack the openid scope that userinfo requires.
func (c *Client) identify(ctx context.Context, s *store.Session) error {
	if m, err := c.discover(ctx); err == nil && m.UserinfoEndpoint != "" {
		info, err := c.fetchUserinfo(ctx, m.UserinfoEndpoint, s.AccessToken)
		if err == nil && info.Subject != "" {
			s.Subject, s.Username = info.Subject, info.Username
			return nil
		}
		if errors.Is(err, ErrNotLoggedIn) {
			identifyFromClaims(s)
			return err
		}
	}
	identifyFromClaims(s)
	return nil
}

// identifyFromClaims reads the user from the ID token or a JWT access
// token, unverified, for display.
func identifyFromClaims(s *store.Session) {
	for _, t := range []string{s.IDToken, s.AccessToken} {
		if claims, ok := peekJWT(t); ok && claims.Subject != "" {
			s.Subject, s.Username = claims.Subject, claims.PreferredUsername
			return
		}
	}
}
