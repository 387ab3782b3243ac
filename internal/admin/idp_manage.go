package admin

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"

	"github.com/hubauth/hubauth/internal/names"
	"github.com/hubauth/hubauth/internal/storage"
)

// ErrUpstream is wrapped by the error of an upstream provider that could
// not be checked at add: unreachable, slow, not OpenID Connect, or naming
// another issuer in its discovery document.
var ErrUpstream = errors.New("upstream provider check failed")

// DiscoveryTimeout bounds the discovery request made when a provider is added.
const DiscoveryTimeout = 10 * time.Second

// AddIdentityProvider checks the upstream by OpenID Connect discovery
// (within DiscoveryTimeout), stores the provider and audits it. An upstream
// that cannot be reached, does not serve a discovery document or names
// another issuer in it (OpenID Connect Discovery §4.3) gives ErrUpstream,
// and nothing is stored.
func (a *Admin) AddIdentityProvider(ctx context.Context, n NewIdentityProvider) (storage.IdentityProvider, error) {
	p, err := n.provider()
	if err != nil {
		return p, err
	}
	if err := discover(ctx, p.Issuer); err != nil {
		return p, err
	}
	p.CreatedAt = a.now().UTC()
	if err := a.store.CreateIdentityProvider(ctx, p); err != nil {
		return p, describe(err, "identity provider", p.Name)
	}
	return p, a.audit(ctx, storage.AuditEvent{Detail: idpDetail(p)})
}

// discover fetches issuer's discovery document, as go-oidc checks it. The
// message quotes go-oidc's error clipped, as it holds the upstream's
// response body.
func discover(ctx context.Context, issuer string) error {
	ctx, cancel := context.WithTimeout(ctx, DiscoveryTimeout)
	defer cancel()
	if _, err := oidc.NewProvider(ctx, issuer); err != nil {
		return &adminError{
			msg:    fmt.Sprintf("upstream %s is not a reachable OpenID Connect provider (nothing saved): %s", issuer, names.Clip(err.Error(), 300)),
			causes: []error{ErrUpstream, err},
		}
	}
	return nil
}

// idpDetail describes a new provider for the audit log, without its secret.
func idpDetail(p storage.IdentityProvider) string {
	return fmt.Sprintf("add identity provider %s (issuer: %s; client ID: %s; scopes: %s; username claim: %s; groups claim: %s; groups prefix: %s; provision: %s; link verified e-mail: %t)",
		p.Name, p.Issuer, p.ClientID, strings.Join(p.Scopes, " "), p.UsernameClaim, p.GroupsClaim,
		p.GroupsPrefix, p.Provision, p.LinkVerifiedEmail)
}

// SetIdentityProviderDisabled disables a provider (its sign-in is refused)
// or enables it again, and audits it.
func (a *Admin) SetIdentityProviderDisabled(ctx context.Context, name string, disabled bool) error {
	err := a.store.UpdateIdentityProvider(ctx, name, func(p storage.IdentityProvider) (storage.IdentityProvider, error) {
		p.Disabled = disabled
		return p, nil
	})
	if err != nil {
		return describe(err, "identity provider", name)
	}
	verb := map[bool]string{true: "disable", false: "enable"}[disabled]
	return a.audit(ctx, storage.AuditEvent{Detail: verb + " identity provider " + name})
}

// GetIdentityProvider returns the provider named name, or an error saying
// there is none that matches storage.ErrNotFound.
func GetIdentityProvider(ctx context.Context, s storage.Storage, name string) (storage.IdentityProvider, error) {
	p, err := s.GetIdentityProvider(ctx, name)
	return p, describe(err, "identity provider", name)
}
