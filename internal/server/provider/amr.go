package provider

import (
	"context"
	"errors"

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
	return []string{"pwd"}
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

// sessionIDP returns the upstream provider the login session sid began
// with, for userinfo's idp claim: one read, and none for a token of no
// login session (a personal token, a service account). A session ended
// since the token was checked has no provider to tell.
func (s *Storage) sessionIDP(ctx context.Context, sid string) (string, error) {
	if sid == "" {
		return "", nil
	}
	sess, err := s.store.GetSession(ctx, sid)
	if errors.Is(err, storage.ErrNotFound) {
		return "", nil
	}
	if err != nil {
		return "", err
	}
	_, idp := storage.SplitAMR(sess.AMR)
	return idp, nil
}
