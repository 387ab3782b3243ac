package storage

import (
	"context"
	"errors"
	"fmt"
	"slices"
)

// ErrLastSignIn means an identity cannot be unlinked: it is the user's
// last way to sign in.
var ErrLastSignIn = errors.New("storage: this is the user's last way to sign in")

// SignInWays says what counts as a way to sign in when an identity is
// unlinked (CheckUnlink). The zero value counts nothing, so that
// CheckUnlink refuses every unlink.
type SignInWays struct {
	// Password: a user's password counts, password sign-in being on. A
	// federated-only hub (serve --password-login=false) leaves it false.
	Password bool
	// Providers are the hub's identity providers. An identity counts only
	// when its provider is among them and enabled: a disabled provider's
	// sign-ins are refused.
	Providers []IdentityProvider
}

// CheckUnlink is the rule for unlinking u's identity (provider, subject),
// the check of DeleteUserIdentity: u keeps at least one way to sign in, a
// password (when w counts passwords) or another identity of an enabled
// provider. ids holds every identity of u, the one being unlinked
// included. It returns ErrLastSignIn, or nil.
func CheckUnlink(u User, ids []UserIdentity, provider, subject string, w SignInWays) error {
	if w.Password && u.PasswordHash != "" {
		return nil
	}
	for _, id := range ids {
		if (id.Provider != provider || id.Subject != subject) && w.enabled(id.Provider) {
			return nil
		}
	}
	return ErrLastSignIn
}

// enabled reports whether the provider named name is among w's and enabled.
func (w SignInWays) enabled(name string) bool {
	return slices.ContainsFunc(w.Providers, func(p IdentityProvider) bool { return p.Name == name && !p.Disabled })
}

// UnlinkIdentity unlinks the identity (provider, subject) of the user with
// id userID under CheckUnlink, passwords counting when passwordsOn, with
// the providers as s holds them now: ErrLastSignIn when it is the user's
// last way to sign in, ErrNotFound when the user has no such identity.
func UnlinkIdentity(ctx context.Context, s Storage, userID, provider, subject string, passwordsOn bool) error {
	all, err := s.ListIdentityProviders(ctx)
	if err != nil {
		return fmt.Errorf("storage: unlink identity: %w", err)
	}
	w := SignInWays{Password: passwordsOn, Providers: all}
	return s.DeleteUserIdentity(ctx, userID, provider, subject, func(u User, ids []UserIdentity) error {
		return CheckUnlink(u, ids, provider, subject, w)
	})
}
