package postgres

import (
	"context"

	"github.com/jackc/pgx/v5"

	"github.com/hubauth/hubauth/internal/storage"
)

const idpCols = `name, issuer, client_id, client_secret, display_name, scopes, username_claim,
	groups_claim, groups_prefix, provision, link_verified_email, disabled, created_at`

func scanIDP(sc scanner) (storage.IdentityProvider, error) {
	var p storage.IdentityProvider
	err := sc.Scan(&p.Name, &p.Issuer, &p.ClientID, &p.ClientSecret, &p.DisplayName, listCol{&p.Scopes},
		&p.UsernameClaim, &p.GroupsClaim, &p.GroupsPrefix, &p.Provision, &p.LinkVerifiedEmail,
		&p.Disabled, timeCol{&p.CreatedAt})
	return p, err
}

// idpArgs are p's values in idpCols order, after its name.
func idpArgs(p storage.IdentityProvider) []any {
	return []any{p.Issuer, p.ClientID, p.ClientSecret, p.DisplayName, list(p.Scopes), p.UsernameClaim,
		p.GroupsClaim, p.GroupsPrefix, p.Provision, p.LinkVerifiedEmail, p.Disabled, nanos(p.CreatedAt)}
}

// CreateIdentityProvider stores a new provider; ErrAlreadyExists when the
// name is taken.
func (s *Store) CreateIdentityProvider(ctx context.Context, p storage.IdentityProvider) error {
	_, err := s.exec(ctx, "create identity provider", `INSERT INTO identity_providers (`+idpCols+`)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`, append([]any{p.Name}, idpArgs(p)...)...)
	return err
}

// GetIdentityProvider returns the provider with this name.
func (s *Store) GetIdentityProvider(ctx context.Context, name string) (storage.IdentityProvider, error) {
	return s.getIDP(ctx, s.pool, `WHERE name = $1`, name)
}

// getIDP reads one provider; where may end in FOR UPDATE.
func (s *Store) getIDP(ctx context.Context, q querier, where, name string) (storage.IdentityProvider, error) {
	p, err := scanIDP(q.QueryRow(ctx, `SELECT `+idpCols+` FROM identity_providers `+where, name))
	return p, s.wrap("get identity provider", err)
}

// ListIdentityProviders lists every provider, sorted by name (bytewise,
// whatever the database's collation).
func (s *Store) ListIdentityProviders(ctx context.Context) ([]storage.IdentityProvider, error) {
	rows, err := s.pool.Query(ctx, `SELECT `+idpCols+` FROM identity_providers ORDER BY name COLLATE "C"`)
	ps, err := scanAll(rows, err, scanIDP)
	return ps, s.wrap("list identity providers", err)
}

// UpdateIdentityProvider applies update to the stored provider inside one
// transaction holding its row lock. The name cannot change.
func (s *Store) UpdateIdentityProvider(ctx context.Context, name string, update func(storage.IdentityProvider) (storage.IdentityProvider, error)) error {
	const op = "update identity provider"
	return s.write(ctx, op, func(tx pgx.Tx) error {
		old, err := s.getIDP(ctx, tx, `WHERE name = $1 FOR UPDATE`, name)
		if err != nil {
			return err
		}
		p, err := update(old)
		if err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `UPDATE identity_providers SET issuer = $1, client_id = $2,
			client_secret = $3, display_name = $4, scopes = $5, username_claim = $6, groups_claim = $7,
			groups_prefix = $8, provision = $9, link_verified_email = $10, disabled = $11,
			created_at = $12 WHERE name = $13`, append(idpArgs(p), name)...)
		return s.wrap(op, err)
	})
}

// DeleteIdentityProvider deletes the provider with this name; ErrNotFound
// when there is none.
func (s *Store) DeleteIdentityProvider(ctx context.Context, name string) error {
	return s.execOne(ctx, "delete identity provider", `DELETE FROM identity_providers WHERE name = $1`, name)
}
