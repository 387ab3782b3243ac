package admin

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/hubauth/hubauth/internal/names"
	"github.com/hubauth/hubauth/internal/secret"
	"github.com/hubauth/hubauth/internal/server/scopes"
	"github.com/hubauth/hubauth/internal/storage"
)

// NewClient is an OAuth client to register.
type NewClient struct {
	ID           string
	Name         string // shown on the consent page
	Public       bool   // no secret (native app, CLI)
	RedirectURIs []string
	GrantTypes   []string // empty: DefaultGrants(Public)
	FirstParty   bool     // no consent page
	Scopes       []string // the scopes it may ask for; nil: scopes.SignIn
	// ExchangeAudiences are the registered APIs' URIs the client may
	// exchange a user's token for (with the token-exchange grant).
	ExchangeAudiences []string
}

// Check validates what can be checked without the database: the id, the
// name, the redirect URIs and the grant types.
func (n NewClient) Check() error {
	_, err := n.client()
	return err
}

// client returns the client to store, without its secret.
func (n NewClient) client() (storage.Client, error) {
	if err := names.CheckID("client ID", n.ID); err != nil {
		return storage.Client{}, invalid(err)
	}
	if err := names.CheckText("--name", n.Name); err != nil {
		return storage.Client{}, invalid(err)
	}
	for _, u := range n.RedirectURIs {
		if err := CheckRedirectURI(u); err != nil {
			return storage.Client{}, invalid(err)
		}
	}
	grants, err := clientGrants(n.GrantTypes, n.Public)
	if err != nil {
		return storage.Client{}, invalid(err)
	}
	if err := checkExchange(grants, n.ExchangeAudiences); err != nil {
		return storage.Client{}, invalid(err)
	}
	allowed := names.Dedupe(n.Scopes)
	if n.Scopes == nil {
		allowed = slices.Clone(scopes.SignIn)
	}
	return storage.Client{
		ID:             n.ID,
		Name:           n.Name,
		Public:         n.Public,
		RedirectURIs:   names.Dedupe(n.RedirectURIs),
		GrantTypes:     grants,
		FirstParty:     n.FirstParty,
		RestrictScopes: true,
		AllowedScopes:  allowed,

		ExchangeAudiences: names.Dedupe(n.ExchangeAudiences),
	}, nil
}

// AddClient registers a client and audits it. A confidential client gets a
// new secret, returned here once and stored only as a hash; a public
// client's secret is "".
func (a *Admin) AddClient(ctx context.Context, n NewClient) (storage.Client, string, error) {
	c, err := n.client()
	if err != nil {
		return c, "", err
	}
	if err := a.checkClientScopes(ctx, c.AllowedScopes); err != nil {
		return c, "", err
	}
	if err := a.checkExchangeAudiences(ctx, c.ExchangeAudiences); err != nil {
		return c, "", err
	}
	var sec string
	if !c.Public {
		sec = secret.New()
		c.SecretHash = secret.Hash(sec)
	}
	c.CreatedAt = a.now().UTC()
	if err := a.store.CreateClient(ctx, c); err != nil {
		return c, "", describe(err, "client", c.ID)
	}
	return c, sec, a.audit(ctx, storage.AuditEvent{ClientID: c.ID, Detail: clientDetail(c)})
}

// clientDetail describes a new client for the audit log.
func clientDetail(c storage.Client) string {
	kind := "confidential"
	if c.Public {
		kind = "public"
	}
	detail := fmt.Sprintf("add %s client %s (grants: %s; redirect URIs: %s; first-party: %t; scopes: %s",
		kind, c.ID, strings.Join(c.GrantTypes, " "), strings.Join(c.RedirectURIs, " "), c.FirstParty,
		strings.Join(c.AllowedScopes, " "))
	if len(c.ExchangeAudiences) > 0 {
		detail += "; exchange audiences: " + strings.Join(c.ExchangeAudiences, " ")
	}
	return detail + ")"
}

// SetClientScopes sets the scopes a client may ask for, or with
// unrestricted every scope the hub grants (list is then ignored), and
// audits it. It returns what the client may now ask for, as the audit
// event says it: "any scope" or the scopes separated by spaces.
func (a *Admin) SetClientScopes(ctx context.Context, id string, list []string, unrestricted bool) (string, error) {
	list = names.Dedupe(list)
	if unrestricted {
		list = nil
	} else if err := a.checkClientScopes(ctx, list); err != nil {
		return "", err
	}
	err := a.store.UpdateClient(ctx, id, func(c storage.Client) (storage.Client, error) {
		c.RestrictScopes, c.AllowedScopes = !unrestricted, list
		return c, nil
	})
	if err != nil {
		return "", describe(err, "client", id)
	}
	what := "any scope"
	if !unrestricted {
		what = strings.Join(list, " ")
	}
	return what, a.audit(ctx, storage.AuditEvent{ClientID: id, Detail: "set scopes of client " + id + ": " + what})
}

// checkClientScopes refuses an empty list and scopes the hub does not
// grant (built-in or registered), naming the valid ones.
func (a *Admin) checkClientScopes(ctx context.Context, list []string) error {
	if len(list) == 0 {
		return invalid(errors.New("no scopes given: name at least one (e.g. openid), or use --unrestricted"))
	}
	registered, err := a.store.ListScopes(ctx)
	if err != nil {
		return err
	}
	if err := scopes.NewSet(registered).Check(list); err != nil {
		return invalid(fmt.Errorf("%w (register a platform scope with hubauth admin scope add)", err))
	}
	return nil
}

// SetClientDisabled disables a client (it can no longer log users in nor
// get tokens) or enables it again, and audits it. The built-in client
// hubauth-cli may be disabled too.
func (a *Admin) SetClientDisabled(ctx context.Context, id string, disabled bool) error {
	err := a.store.UpdateClient(ctx, id, func(c storage.Client) (storage.Client, error) {
		c.Disabled = disabled
		return c, nil
	})
	if errors.Is(err, storage.ErrNotFound) && id == storage.CLIClientID {
		return &adminError{msg: fmt.Sprintf("no client %q yet: hubauth serve creates it when it first starts", id), causes: []error{err}}
	}
	if err != nil {
		return describe(err, "client", id)
	}
	verb := map[bool]string{true: "disable", false: "enable"}[disabled]
	return a.audit(ctx, storage.AuditEvent{ClientID: id, Detail: verb + " client " + id})
}
