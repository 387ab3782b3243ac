package client

import (
	"context"
	"errors"
	"fmt"
	"time"

	"golang.org/x/oauth2"
)

// DeviceCode is what the user needs to approve a device login
// (RFC 8628 §3.2).
type DeviceCode struct {
	// UserCode is the code to enter, e.g. "BCDF-GHJK".
	UserCode string
	// VerificationURI is the page where the code is entered.
	VerificationURI string
	// VerificationURIComplete, if the provider sent it, opens the page
	// with the code already filled in (for a QR code).
	VerificationURIComplete string
	// Expiry is when the code expires; zero when the provider did not say.
	Expiry time.Time
}

// DeviceOptions configure LoginDevice.
type DeviceOptions struct {
	// Prompt is called once, before the wait, to show the code and the
	// page to the user. Nil shows nothing: the caller then has no way to
	// tell the user, so set it.
	Prompt func(DeviceCode)

	// TokenName labels the session on the server (sent as token_name).
	TokenName string

	// Force replaces a live stored session instead of failing with
	// ErrSessionExists.
	Force bool
}

// LoginDevice logs in with the device authorization grant (RFC 8628):
// the user approves the login on another device while LoginDevice polls
// the token endpoint, honouring the provider's interval and slow_down.
// It stores the session.
//
// It fails with ErrAccessDenied when the user refuses, ErrExpiredCode
// when the code expires first, ctx.Err() when ctx ends, and an error
// matching errors.ErrUnsupported when the provider has no device
// authorization endpoint.
func (c *Client) LoginDevice(ctx context.Context, opts DeviceOptions) error {
	if err := c.checkReplace(opts.Force); err != nil {
		return err
	}
	m, err := c.discover(ctx)
	if err != nil {
		return err
	}
	if m.DeviceAuthorizationEndpoint == "" {
		return fmt.Errorf("client: %s offers no device login (no device_authorization_endpoint in its discovery document); use the browser login instead: %w",
			c.cfg.Server, errors.ErrUnsupported)
	}
	conf := c.oauthConfig(m, c.loginClient())
	octx := c.oauthContext(ctx)
	da, err := conf.DeviceAuth(octx, append(tokenNameOption(opts.TokenName), secretOption(c.loginClient())...)...)
	if err != nil {
		return c.deviceStartError(ctx, err)
	}
	if opts.Prompt != nil {
		opts.Prompt(DeviceCode{UserCode: da.UserCode, VerificationURI: da.VerificationURI,
			VerificationURIComplete: da.VerificationURIComplete, Expiry: da.Expiry})
	}
	tok, err := conf.DeviceAccessToken(octx, da)
	if err != nil {
		return c.devicePollError(ctx, err, da.Expiry)
	}
	return c.finishLogin(ctx, MethodDevice, tok, opts.Force)
}

// secretOption sends a confidential client's secret with the device
// authorization request, which x/oauth2 sends with client_id alone: RFC
// 8628 §3.1 asks for the client authentication of RFC 6749 §2.3.
func secretOption(a clientAuth) []oauth2.AuthCodeOption {
	if a.Secret == "" {
		return nil
	}
	return []oauth2.AuthCodeOption{oauth2.SetAuthURLParam("client_secret", a.Secret)}
}

// deviceStartError describes a failed device authorization request.
func (c *Client) deviceStartError(ctx context.Context, err error) error {
	var re *oauth2.RetrieveError
	switch {
	case ctx.Err() != nil:
		return ctx.Err()
	case errors.As(err, &re):
		return fmt.Errorf("client: start the device login: %w", err)
	}
	return unreachable(c.cfg.Server, err)
}

// devicePollError maps the end of the poll (RFC 8628 §3.5) to the SDK's
// errors. DeviceAccessToken stops at the code's expiry with
// DeadlineExceeded: that is ErrExpiredCode unless ctx itself ended.
func (c *Client) devicePollError(ctx context.Context, err error, expiry time.Time) error {
	var re *oauth2.RetrieveError
	switch {
	case ctx.Err() != nil:
		return ctx.Err()
	case errors.As(err, &re) && re.ErrorCode == "access_denied":
		return ErrAccessDenied
	case errors.As(err, &re) && re.ErrorCode == "expired_token":
		return ErrExpiredCode
	case re != nil:
		return fmt.Errorf("client: device login: %w", err)
	case errors.Is(err, context.DeadlineExceeded) && !expiry.IsZero() && !time.Now().Before(expiry):
		return ErrExpiredCode
	}
	return unreachable(c.cfg.Server, err)
}
