package sqlite

import (
	"context"
	"time"

	"github.com/hubauth/hubauth/internal/storage"
)

const clientCols = `id, name, secret_hash, public, redirect_uris, grant_types, first_party,
	restrict_scopes, allowed_scopes, disabled, created_at, exchange_audiences`

// clientDest lists where a clientCols row goes in c.
func clientDest(c *storage.Client) []any {
	return []any{&c.ID, &c.Name, &c.SecretHash, &c.Public, listCol{&c.RedirectURIs},
		listCol{&c.GrantTypes}, &c.FirstParty, &c.RestrictScopes, listCol{&c.AllowedScopes},
		&c.Disabled, timeCol{&c.CreatedAt}, listCol{&c.ExchangeAudiences}}
}

func scanClient(sc scanner) (storage.Client, error) {
	var c storage.Client
	err := sc.Scan(clientDest(&c)...)
	return c, err
}

// CreateClient stores a new client; ErrAlreadyExists when the id is taken.
func (s *Store) CreateClient(ctx context.Context, c storage.Client) error {
	_, err := s.exec(ctx, "create client", `INSERT INTO clients (`+clientCols+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		c.ID, c.Name, c.SecretHash, c.Public, list(c.RedirectURIs), list(c.GrantTypes),
		c.FirstParty, c.RestrictScopes, list(c.AllowedScopes), c.Disabled, nanos(c.CreatedAt), list(c.ExchangeAudiences))
	return err
}

// GetClient returns the client with this id.
func (s *Store) GetClient(ctx context.Context, id string) (storage.Client, error) {
	return s.getClient(ctx, s.rq, id)
}

func (s *Store) getClient(ctx context.Context, q querier, id string) (storage.Client, error) {
	c, err := scanClient(q.QueryRowContext(ctx, `SELECT `+clientCols+` FROM clients WHERE id = ?`, id))
	return c, s.wrap("get client", err)
}

// ListClients lists every client, sorted by id.
func (s *Store) ListClients(ctx context.Context) ([]storage.Client, error) {
	rows, err := s.rq.QueryContext(ctx, `SELECT `+clientCols+` FROM clients ORDER BY id`)
	cs, err := scanAll(rows, err, scanClient)
	return cs, s.wrap("list clients", err)
}

// UpdateClient applies update to the stored client inside one write
// transaction, like UpdateUser. The ID cannot change.
func (s *Store) UpdateClient(ctx context.Context, id string, update func(storage.Client) (storage.Client, error)) error {
	const op = "update client"
	return s.write(ctx, op, func(tx querier) error {
		old, err := s.getClient(ctx, tx, id)
		if err != nil {
			return err
		}
		c, err := update(old)
		if err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `UPDATE clients SET name = ?, secret_hash = ?, public = ?,
			redirect_uris = ?, grant_types = ?, first_party = ?, restrict_scopes = ?, allowed_scopes = ?,
			disabled = ?, created_at = ?, exchange_audiences = ? WHERE id = ?`,
			c.Name, c.SecretHash, c.Public, list(c.RedirectURIs), list(c.GrantTypes),
			c.FirstParty, c.RestrictScopes, list(c.AllowedScopes), c.Disabled, nanos(c.CreatedAt),
			list(c.ExchangeAudiences), id)
		return s.wrap(op, err)
	})
}

// ListSigningKeys lists all keys, newest first.
func (s *Store) ListSigningKeys(ctx context.Context) ([]storage.SigningKey, error) {
	rows, err := s.rq.QueryContext(ctx, `SELECT id, algorithm, private_pem, created_at, retired_at
		FROM signing_keys ORDER BY created_at DESC, id DESC`)
	ks, err := scanAll(rows, err, func(sc scanner) (storage.SigningKey, error) {
		var k storage.SigningKey
		err := sc.Scan(&k.ID, &k.Algorithm, &k.PrivatePEM, timeCol{&k.CreatedAt}, timeCol{&k.RetiredAt})
		return k, err
	})
	return ks, s.wrap("list signing keys", err)
}

// RotateSigningKeys retires every active key at next.CreatedAt and stores
// next, in one transaction; ErrAlreadyExists when next's id is taken.
func (s *Store) RotateSigningKeys(ctx context.Context, next storage.SigningKey) error {
	const op = "rotate signing keys"
	return s.write(ctx, op, func(tx querier) error {
		_, err := tx.ExecContext(ctx, `UPDATE signing_keys SET retired_at = ? WHERE retired_at = 0`,
			nanos(next.CreatedAt))
		if err != nil {
			return s.wrap(op, err)
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO signing_keys (id, algorithm, private_pem, created_at, retired_at)
			VALUES (?, ?, ?, ?, ?)`, next.ID, next.Algorithm, next.PrivatePEM, nanos(next.CreatedAt), nanos(next.RetiredAt))
		return s.wrap(op, err)
	})
}

// DeleteSigningKeysRetiredBefore removes the keys retired before t.
func (s *Store) DeleteSigningKeysRetiredBefore(ctx context.Context, t time.Time) error {
	_, err := s.exec(ctx, "delete signing keys",
		`DELETE FROM signing_keys WHERE retired_at <> 0 AND retired_at < ?`, nanos(t))
	return err
}
