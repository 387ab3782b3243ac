package admin

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/hubauth/hubauth/internal/names"
	"github.com/hubauth/hubauth/internal/storage"
)

// IdentityProviderChanges are the changes `idp update` makes to a stored
// provider: a nil field stays as stored. The result is checked by the
// rules of NewIdentityProvider.
type IdentityProviderChanges struct {
	// Issuer, when set, is checked by discovery as at add. The identities
	// linked to the provider stay: change it only when the same upstream
	// moved (its subjects are unique per issuer only); while there are
	// any, UpdateIdentityProvider needs force.
	Issuer            *string
	ClientID          *string
	ClientSecret      *string
	DisplayName       *string  // "": the provider's name
	Scopes            []string // nil: unchanged
	UsernameClaim     *string
	GroupsClaim       *string // "": groups are no longer taken from the upstream
	GroupsPrefix      *string
	Provision         *string
	LinkVerifiedEmail *bool
}

// apply returns p with the changes made.
func (c IdentityProviderChanges) apply(p storage.IdentityProvider) storage.IdentityProvider {
	set := func(dst *string, v *string) {
		if v != nil {
			*dst = *v
		}
	}
	set(&p.Issuer, c.Issuer)
	set(&p.ClientID, c.ClientID)
	set(&p.ClientSecret, c.ClientSecret)
	set(&p.DisplayName, c.DisplayName)
	set(&p.UsernameClaim, c.UsernameClaim)
	set(&p.GroupsClaim, c.GroupsClaim)
	set(&p.GroupsPrefix, c.GroupsPrefix)
	set(&p.Provision, c.Provision)
	if p.DisplayName == "" {
		p.DisplayName = p.Name
	}
	if c.Scopes != nil {
		p.Scopes = names.Dedupe(c.Scopes)
	}
	if c.LinkVerifiedEmail != nil {
		p.LinkVerifiedEmail = *c.LinkVerifiedEmail
	}
	return p
}

// Empty reports whether c changes nothing.
func (c IdentityProviderChanges) Empty() bool { return c.detail() == "" }

// detail describes the changes for the audit log, without the secret.
func (c IdentityProviderChanges) detail() string {
	var parts []string
	add := func(label string, v *string) {
		if v != nil {
			parts = append(parts, label+": "+*v)
		}
	}
	add("issuer", c.Issuer)
	add("client ID", c.ClientID)
	if c.ClientSecret != nil {
		parts = append(parts, "client secret replaced")
	}
	if c.DisplayName != nil {
		parts = append(parts, "display name: "+names.Quote(*c.DisplayName))
	}
	if c.Scopes != nil {
		parts = append(parts, "scopes: "+strings.Join(names.Dedupe(c.Scopes), " "))
	}
	add("username claim", c.UsernameClaim)
	add("groups claim", c.GroupsClaim)
	add("groups prefix", c.GroupsPrefix)
	add("provision", c.Provision)
	if c.LinkVerifiedEmail != nil {
		parts = append(parts, fmt.Sprintf("link verified e-mail: %t", *c.LinkVerifiedEmail))
	}
	return strings.Join(parts, "; ")
}

// UpdateIdentityProvider changes the stored provider named name, checks
// the result by the rules of AddIdentityProvider (a new issuer by
// discovery too: ErrUpstream, and nothing changes) and audits it. The
// change is made in one transaction on the provider as stored then. A new
// issuer while identities are linked through the provider is refused
// with ErrLinkedIdentities unless force (checkIssuerMove).
func (a *Admin) UpdateIdentityProvider(ctx context.Context, name string, c IdentityProviderChanges, force bool) (storage.IdentityProvider, error) {
	old, err := GetIdentityProvider(ctx, a.store, name)
	if err != nil {
		return old, err
	}
	if c.Empty() {
		return old, invalid(errors.New("nothing to change: give at least one setting to update"))
	}
	p := c.apply(old)
	if err := checkIDP(p); err != nil {
		return old, err
	}
	if err := a.checkIssuerMove(ctx, name, old.Issuer, p.Issuer, force); err != nil {
		return old, err
	}
	if c.Issuer != nil {
		if err := discover(ctx, p.Issuer); err != nil {
			return old, err
		}
	}
	err = a.store.UpdateIdentityProvider(ctx, name, func(old storage.IdentityProvider) (storage.IdentityProvider, error) {
		p = c.apply(old)
		return p, checkIDP(p)
	})
	if err != nil {
		return p, describe(err, "identity provider", name)
	}
	return p, a.audit(ctx, storage.AuditEvent{Detail: "update identity provider " + name + " (" + c.detail() + ")"})
}
