package sqlite

import (
	"context"

	"github.com/hubauth/hubauth/internal/storage"
)

const apiCols = `id, uri, name, created_at`

func scanAPI(sc scanner) (storage.API, error) {
	var a storage.API
	err := sc.Scan(&a.ID, &a.URI, &a.Name, timeCol{&a.CreatedAt})
	return a, err
}

// CreateAPI stores the API and its ownership of a.Scopes in one
// transaction: ErrAlreadyExists when the id or URI is taken or a scope is
// another API's, ErrNotFound (a foreign key) when a scope is not registered.
func (s *Store) CreateAPI(ctx context.Context, a storage.API) error {
	const op = "create api"
	return s.write(ctx, op, func(tx querier) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO apis (`+apiCols+`) VALUES (?, ?, ?, ?)`,
			a.ID, a.URI, a.Name, nanos(a.CreatedAt))
		if err != nil {
			return s.wrap(op, err)
		}
		for _, sc := range a.Scopes {
			if _, err := tx.ExecContext(ctx, `INSERT INTO api_scopes (scope, api_id) VALUES (?, ?)`, sc, a.ID); err != nil {
				return s.wrap(op, err)
			}
		}
		return nil
	})
}

// GetAPI returns the API with this id and its scopes.
func (s *Store) GetAPI(ctx context.Context, id string) (storage.API, error) {
	list, err := s.listAPIs(ctx, `WHERE id = ?`, id)
	if err == nil && len(list) == 0 {
		return storage.API{}, notFound("get api")
	}
	if err != nil {
		return storage.API{}, err
	}
	return list[0], nil
}

// ListAPIs lists every API with its scopes, sorted by id (bytewise).
func (s *Store) ListAPIs(ctx context.Context) ([]storage.API, error) {
	return s.listAPIs(ctx, ``)
}

// listAPIs reads the APIs that where selects, then their scopes.
func (s *Store) listAPIs(ctx context.Context, where string, args ...any) ([]storage.API, error) {
	rows, err := s.rq.QueryContext(ctx, `SELECT `+apiCols+` FROM apis `+where+` ORDER BY id`, args...)
	list, err := scanAll(rows, err, scanAPI)
	if err != nil {
		return nil, s.wrap("list apis", err)
	}
	type owned struct{ scope, api string }
	rows, err = s.rq.QueryContext(ctx, `SELECT scope, api_id FROM api_scopes ORDER BY scope`)
	scopes, err := scanAll(rows, err, func(sc scanner) (owned, error) {
		var o owned
		return o, sc.Scan(&o.scope, &o.api)
	})
	if err != nil {
		return nil, s.wrap("list api scopes", err)
	}
	for i := range list {
		for _, o := range scopes {
			if o.api == list[i].ID {
				list[i].Scopes = append(list[i].Scopes, o.scope)
			}
		}
	}
	return list, nil
}

// DeleteAPI removes the API and, by the foreign key, its ownership of
// scopes; ErrNotFound when there is none.
func (s *Store) DeleteAPI(ctx context.Context, id string) error {
	return s.execOne(ctx, "delete api", `DELETE FROM apis WHERE id = ?`, id)
}
