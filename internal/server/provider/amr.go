package provider

import (
	"context"
	"errors"
	"slices"

	"github.com/zitadel/oidc/v3/pkg/oidc"

	"github.com/hubauth/hubauth/internal/storage"
)

// The AMR recorded of a sign-in travels from the hub session to the
// authorization request, the device authorization and the login session
// as it is (for a federated sign-in storage.FederatedAMR: the method and
// the provider). What is issued splits it (storage.SplitAMR): every
// GetAMR, which the library turns into the ID token's amr claim, gives the
// methods only, and idpOf gives the provider for the idp claim.

// recorder is a token request that knows the AMR recorded of its sign-in.
type recorder interface{ recordedAMR() []string }

func (a *authRequest) recordedAMR() []string    { return a.AMR }
func (r *refreshRequest) recordedAMR() []string { return r.session.AMR }
func (g *deviceGrant) recordedAMR() []string    { return g.DeviceAuthorizationState.AMR }
func (r *PasswordRequest) recordedAMR() []string {
	if len(r.AMR) == 0 {
		return []string{storage.AMRPassword}
	}
	return r.AMR
}

// methods returns the authentication methods of a recorded AMR: the amr
// claim.
func methods(amr []string) []string {
	m, _ := storage.SplitAMR(amr)
	return m
}

// recordedAMR returns what req recorded of its sign-in, nil when it is no
// sign-in (a service account).
func recordedAMR(req any) []string {
	if r, ok := req.(recorder); ok {
		return r.recordedAMR()
	}
	return nil
}

// idpOf returns the upstream provider req's user signed in through, ""
// for a sign-in at the hub itself: the idp claim.
func idpOf(req any) string {
	_, idp := storage.SplitAMR(recordedAMR(req))
	return idp
}

// sessionAMR returns the AMR recorded of the login session sid's
// sign-in, for userinfo's and introspection's amr, acr and idp claims: one
// read per session and node each cacheTTL (loadAMR), and none for a token
// of no login session (a personal token, a
// service account). A session ended since the token was checked has
// nothing to tell.
func (s *Storage) sessionAMR(ctx context.Context, sid string) ([]string, error) {
	if sid == "" {
		return nil, nil
	}
	amr, err := s.amrs.get(ctx, sid)
	if errors.Is(err, storage.ErrNotFound) {
		return nil, nil
	}
	return slices.Clone(amr), err
}

// loadAMR reads a session's AMR, which is recorded when the session
// starts and never changes: a cached copy stays right.
func loadAMR(store storage.Sessions) func(context.Context, string) ([]string, error) {
	return func(ctx context.Context, sid string) ([]string, error) {
		sess, err := store.GetSession(ctx, sid)
		return sess.AMR, err
	}
}

// setSignIn sets the claims that tell how the user signed in, from the
// recorded AMR: amr (RFC 8176 methods), acr ("mfa" after two factors) and
// idp (the upstream provider). A token of no sign-in gets none.
func setSignIn(info *oidc.UserInfo, amr []string) {
	if len(amr) == 0 {
		return
	}
	m, idp := storage.SplitAMR(amr)
	info.AppendClaims("amr", m)
	if acr := storage.ACR(m); acr != "" {
		info.AppendClaims("acr", acr)
	}
	setIDP(info, idp)
}
