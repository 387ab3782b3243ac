package client

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"

	"golang.org/x/oauth2"
)

// hubPasswordPath is hubauth's (and NOMAD's) password login endpoint,
// relative to the server.
const hubPasswordPath = "/api/v1/auth/token"

// PasswordOptions configure LoginPassword.
type PasswordOptions struct {
	// TokenName labels the session on the server (sent as token_name
	// to hubauth's endpoint; the standard grant has no such parameter).
	TokenName string

	// Force replaces a live stored session instead of failing with
	// ErrSessionExists.
	Force bool

	// OTP, if set, is asked for the second factor (an authenticator app's
	// code or a recovery code) when the server answers that the account
	// needs one (hubauth's mfa_required); it is not called otherwise.
	// Without it such a login fails with ErrMFARequired.
	OTP func(ctx context.Context) (string, error)
}

// LoginPassword logs in with a username and password and stores the
// session. It uses the resource owner password grant (RFC 6749 §4.3) when
// the provider lists "password" in grant_types_supported, and otherwise
// hubauth's POST /api/v1/auth/token, which takes public clients only. The
// server refusing the credentials (invalid_grant) is ErrInvalidCredentials;
// any other refusal, such as invalid_client for a client that needs its
// secret, is the provider's own: an *oauth2.RetrieveError from the grant,
// an *HTTPError from hubauth's endpoint. A throttled login is an
// *HTTPError (429 or 503) whose RetryAfter says when to try again.
func (c *Client) LoginPassword(ctx context.Context, username, password string, opts PasswordOptions) error {
	if username == "" || password == "" {
		return errors.New("client: a username and a password are required")
	}
	if err := c.checkReplace(opts.Force); err != nil {
		return err
	}
	m, err := c.discover(ctx)
	if err != nil {
		return err
	}
	var tok *oauth2.Token
	if m.supportsGrant("password") {
		tok, err = c.passwordGrant(ctx, m, username, password)
	} else {
		tok, err = c.hubPasswordLogin(ctx, username, password, opts.TokenName, "")
		if errors.Is(err, ErrMFARequired) && opts.OTP != nil {
			tok, err = c.withOTP(ctx, username, password, opts)
		}
	}
	if err != nil {
		return err
	}
	return c.finishLogin(ctx, MethodPassword, tok, opts.Force)
}

// passwordGrant is the standard grant, through x/oauth2.
func (c *Client) passwordGrant(ctx context.Context, m *providerMetadata, username, password string) (*oauth2.Token, error) {
	tok, err := c.oauthConfig(m, c.loginClient()).PasswordCredentialsToken(c.oauthContext(ctx), username, password)
	var re *oauth2.RetrieveError
	switch {
	case errors.As(err, &re) && re.ErrorCode == "invalid_grant": // RFC 6749 §5.2; a 401 is invalid_client
		return nil, ErrInvalidCredentials
	case re != nil:
		return nil, fmt.Errorf("client: password login: %w", err)
	case err != nil:
		return nil, unreachable(c.cfg.Server, err)
	}
	return tok, nil
}

// withOTP asks opts.OTP for the second factor and logs in again with it.
func (c *Client) withOTP(ctx context.Context, username, password string, opts PasswordOptions) (*oauth2.Token, error) {
	code, err := opts.OTP(ctx)
	if err != nil {
		return nil, err
	}
	if code == "" {
		return nil, ErrMFARequired
	}
	return c.hubPasswordLogin(ctx, username, password, opts.TokenName, code)
}

// hubPasswordLogin posts the credentials (and the second factor otp, if
// any) as a form to hubauth's endpoint, which answers {access_token,
// token_type, expires_in, refresh_token}.
func (c *Client) hubPasswordLogin(ctx context.Context, username, password, tokenName, otp string) (*oauth2.Token, error) {
	form := url.Values{"username": {username}, "password": {password}, "client_id": {c.cfg.ClientID},
		"scope": {strings.Join(c.cfg.Scopes, " ")}}
	if tokenName != "" {
		form.Set(tokenNameParam, tokenName)
	}
	if otp != "" {
		form.Set("otp", otp)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.cfg.Server+hubPasswordPath, strings.NewReader(form.Encode()))
	if err != nil {
		return nil, fmt.Errorf("client: %w", err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "application/json")
	resp, err := c.providerClient().Do(req)
	if err != nil {
		return nil, unreachable(c.cfg.Server, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode == http.StatusNotFound || resp.StatusCode == http.StatusMethodNotAllowed {
		return nil, fmt.Errorf("client: %s offers no password login: %w", c.cfg.Server, errors.ErrUnsupported)
	}
	err = CheckResponse(resp)
	var herr *HTTPError
	if errors.As(err, &herr) && herr.StatusCode == http.StatusUnauthorized {
		switch herr.Code {
		case "", "invalid_grant":
			return nil, ErrInvalidCredentials // NOMAD's endpoint answers a bare 401
		case "mfa_required":
			return nil, fmt.Errorf("%w: the server says: %s", ErrMFARequired, printable(herr.Description))
		case "invalid_otp":
			return nil, ErrInvalidOTP
		}
	}
	if err != nil {
		return nil, err
	}
	return decodeTokenResponse(resp.Body)
}

// decodeTokenResponse reads a token response (RFC 6749 §5.1).
func decodeTokenResponse(r io.Reader) (*oauth2.Token, error) {
	var body struct {
		AccessToken  string `json:"access_token"`
		TokenType    string `json:"token_type"`
		RefreshToken string `json:"refresh_token"`
		ExpiresIn    int64  `json:"expires_in"`
		Scope        string `json:"scope"`
		IDToken      string `json:"id_token"`
	}
	if err := json.NewDecoder(io.LimitReader(r, 1<<20)).Decode(&body); err != nil || body.AccessToken == "" {
		return nil, errors.New("client: the token endpoint answered without an access token")
	}
	tok := &oauth2.Token{AccessToken: body.AccessToken, TokenType: body.TokenType,
		RefreshToken: body.RefreshToken, ExpiresIn: body.ExpiresIn}
	return tok.WithExtra(map[string]any{"scope": body.Scope, "id_token": body.IDToken}), nil
}
