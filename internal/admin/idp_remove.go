package admin

import (
	"context"
	"errors"
	"fmt"

	"github.com/hubauth/hubauth/internal/storage"
)

// ErrLinkedIdentities is wrapped by the refusal of a change that would
// lose or repurpose the identities linked through a provider (removing it,
// moving it to another issuer) when the change is not forced.
var ErrLinkedIdentities = errors.New("identity provider has linked identities")

// RemoveIdentityProvider deletes a provider, unlinking every identity
// linked through it, and audits it; it returns how many it unlinked. While
// identities are linked it is refused with ErrLinkedIdentities, naming
// their number, unless force: their users may have no other way to sign
// in (disabling the provider keeps them).
func (a *Admin) RemoveIdentityProvider(ctx context.Context, name string, force bool) (int, error) {
	n, err := a.linkedIdentities(ctx, name)
	if err != nil {
		return 0, err
	}
	if n > 0 && !force {
		return 0, &adminError{msg: fmt.Sprintf("identity provider %q has %s: removing it unlinks them, and users without another way to sign in "+
			"can no longer sign in; give --force to remove it anyway, or disable it instead (idp disable %s)", name, countLinked(n), name),
			causes: []error{ErrLinkedIdentities}}
	}
	if err := a.store.DeleteIdentityProvider(ctx, name); err != nil {
		return 0, describe(err, "identity provider", name)
	}
	detail := "remove identity provider " + name
	if n > 0 {
		detail += " (" + countLinked(n) + " unlinked)"
	}
	return n, a.audit(ctx, storage.AuditEvent{Detail: detail})
}

// checkIssuerMove refuses to move the provider named name from issuer
// from to issuer to while identities are linked through it,
// unless force: an upstream's subjects are unique only at its issuer, so
// at another issuer a linked subject may be someone else.
func (a *Admin) checkIssuerMove(ctx context.Context, name, from, to string, force bool) error {
	if from == to || force {
		return nil
	}
	n, err := a.linkedIdentities(ctx, name)
	if err != nil || n == 0 {
		return err
	}
	return &adminError{msg: fmt.Sprintf("identity provider %q has %s, subjects at %s: at another issuer the same subject may be someone else; "+
		"give --force only if the same upstream moved (its subjects unchanged), else add a new provider", name, countLinked(n), from),
		causes: []error{ErrLinkedIdentities}}
}

// linkedIdentities counts the identities linked through the provider
// named name; an unknown provider is an error matching storage.ErrNotFound.
func (a *Admin) linkedIdentities(ctx context.Context, name string) (int, error) {
	if _, err := GetIdentityProvider(ctx, a.store, name); err != nil {
		return 0, err
	}
	n, err := a.store.CountProviderIdentities(ctx, name)
	if err != nil {
		return 0, fmt.Errorf("count the identities of identity provider %s: %w", name, err)
	}
	return n, nil
}

// countLinked is "N linked identities", singular for 1.
func countLinked(n int) string {
	if n == 1 {
		return "1 linked identity"
	}
	return fmt.Sprintf("%d linked identities", n)
}
