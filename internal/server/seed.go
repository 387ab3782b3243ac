package server

import (
	"context"
	"errors"
	"fmt"

	"github.com/hubauth/hubauth/internal/storage"
)

// seed creates the built-in client hubauth-cli, present in every hub
// database from its first start: first-party (no consent page), loopback
// redirects on any port (RFC 8252), and the NOMAD-style password endpoint
// (grant "password", which the OAuth token endpoint does not offer), and
// any scope the hub grants (not RestrictScopes: it is the user's own tool,
// e.g. hubauth tokens create --scopes uploads:write). It is created unless
// it exists (an operator may have disabled or restricted it: it is never
// reset here).
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
	return nil
}
