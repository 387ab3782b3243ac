package compat

import (
	"context"
	"errors"
	"net/http"

	"github.com/hubauth/hubauth/internal/server/clientaddr"
	"github.com/hubauth/hubauth/internal/server/jsonapi"
	"github.com/hubauth/hubauth/internal/server/mfa"
	"github.com/hubauth/hubauth/internal/storage"
)

// codeMFARequired is the error of a password login that needs a second
// factor it did not send: the client asks for the code (hubauth login
// --method password does) and sends it again as otp.
const codeMFARequired = "mfa_required"

// secondFactor checks the otp field of u's password login when u has a
// second factor or the policy requires one, and returns the AMR the
// tokens record: ["pwd"] alone, or with "otp" and "mfa".
func (h *Handler) secondFactor(ctx context.Context, r *http.Request, u storage.User, otp string) ([]string, error) {
	pwd := []string{storage.AMRPassword}
	if h.cfg.MFA == nil {
		return pwd, nil
	}
	f, err := h.cfg.MFA.Factors(ctx, u)
	if err != nil {
		return nil, err
	}
	switch {
	case !f.Any() && !h.cfg.MFA.Policy().Requires(u):
		return pwd, nil
	case !f.Any():
		return nil, jsonapi.Errorf(http.StatusUnauthorized, codeMFARequired,
			"this hub requires a second factor: set up an authenticator app at "+h.cfg.PublicURL+"/account first")
	case otp == "" && !f.TOTP:
		return nil, jsonapi.Errorf(http.StatusUnauthorized, codeMFARequired,
			"this account's second factor is a passkey, which only a browser can use: sign in with the browser or device login (hubauth login --method browser or device), or send a recovery code as otp")
	case otp == "":
		return nil, jsonapi.Errorf(http.StatusUnauthorized, codeMFARequired,
			"this account signs in with a second factor: send the authenticator app's code (or a recovery code) as otp")
	}
	m, err := h.cfg.MFA.Verify(ctx, u, otp, clientaddr.From(r).ThrottleKey())
	if err != nil {
		return nil, otpError(err)
	}
	return storage.WithSecondFactor(pwd, m), nil
}

// otpError turns a refused code into the endpoint's answer; a throttled
// one goes on to loginError's 429.
func otpError(err error) error {
	switch {
	case errors.Is(err, mfa.ErrWrongCode), errors.Is(err, mfa.ErrMalformed), errors.Is(err, mfa.ErrNoFactor):
		return jsonapi.Errorf(http.StatusUnauthorized, "invalid_otp", "the code is wrong or expired")
	case errors.Is(err, mfa.ErrReplayed):
		return jsonapi.Errorf(http.StatusUnauthorized, "invalid_otp", "the code was already used: wait for the next one")
	}
	return err
}
