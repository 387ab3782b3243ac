package server

import (
	"context"
	"errors"
	"fmt"

	"github.com/hubauth/hubauth/internal/server/docs"
	"github.com/hubauth/hubauth/internal/storage"
)

// seed creates the built-in clients, present in every hub database from
// its first start.
//
// hubauth-cli: first-party (no consent page), loopback redirects on any
// port (RFC 8252), and the NOMAD-style password endpoint (grant
// "password", which the OAuth token endpoint does not offer), and any
// scope the hub grants (not RestrictScopes: it is the user's own tool,
// e.g. hubauth tokens create --scopes uploads:write). It is created unless
// it exists (an operator may have disabled or restricted it: it is never
// reset here).
//
// hubauth-docs: the API dashboard's client (see seedDocs).
func seed(ctx context.Context, store storage.Storage, cfg *Config) error {
	c := storage.Client{
		ID:           storage.CLIClientID,
		Name:         "hubauth CLI",
		Public:       true,
		RedirectURIs: []string{"http://127.0.0.1/callback", "http://[::1]/callback"},
		GrantTypes:   []string{storage.GrantAuthorizationCode, storage.GrantRefreshToken, storage.GrantDeviceCode, storage.GrantPassword},
		FirstParty:   true,
		CreatedAt:    cfg.Now().UTC(),
	}
	err := store.CreateClient(ctx, c)
	if err != nil && !errors.Is(err, storage.ErrAlreadyExists) {
		return fmt.Errorf("server: create built-in client: %w", err)
	}
	return seedDocs(ctx, store, cfg)
}

// seedDocs creates hubauth-docs, the public client of the hub's API
// dashboard: the authorization code grant with PKCE (every public client
// must use it) back to the dashboards' oauth2-redirect.html, and the
// password grant of /api/v1/auth/token (Swagger UI's password flow).
// It is first-party, as hubauth-cli is: the dashboard is the hub's own
// page on the hub's own origin, and its redirect URIs are that origin's,
// so no other site can receive its codes; a consent page would only ask
// users whether they trust the hub with their own account.
//
// Its redirect URIs follow the issuer: they are set again at every start
// (so a changed --issuer keeps the dashboard working); anything else an
// operator changed (disabled, restricted scopes) is kept.
func seedDocs(ctx context.Context, store storage.Storage, cfg *Config) error {
	uris := docs.RedirectURIs(cfg.Issuer)
	c := storage.Client{
		ID:           storage.DocsClientID,
		Name:         "hubauth API dashboard",
		Public:       true,
		RedirectURIs: uris,
		GrantTypes:   []string{storage.GrantAuthorizationCode, storage.GrantPassword},
		FirstParty:   true,
		CreatedAt:    cfg.Now().UTC(),
	}
	err := store.CreateClient(ctx, c)
	if errors.Is(err, storage.ErrAlreadyExists) {
		err = store.UpdateClient(ctx, c.ID, func(old storage.Client) (storage.Client, error) {
			old.RedirectURIs = uris
			return old, nil
		})
	}
	if err != nil {
		return fmt.Errorf("server: create built-in client %s: %w", storage.DocsClientID, err)
	}
	return nil
}
