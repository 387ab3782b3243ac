package postgres

import (
	"context"

	"github.com/hubauth/hubauth/internal/storage"
)

const scopeCols = `name, description, created_at`

func scanScope(sc scanner) (storage.Scope, error) {
	var s storage.Scope
	err := sc.Scan(&s.Name, &s.Description, timeCol{&s.CreatedAt})
	return s, err
}

// CreateScope stores a new scope; ErrAlreadyExists when the name is taken.
func (s *Store) CreateScope(ctx context.Context, sc storage.Scope) error {
	_, err := s.exec(ctx, "create scope", `INSERT INTO scopes (`+scopeCols+`) VALUES ($1, $2, $3)`,
		sc.Name, sc.Description, nanos(sc.CreatedAt))
	return err
}

// ListScopes lists every scope, sorted by name (bytewise, whatever the
// database's collation).
func (s *Store) ListScopes(ctx context.Context) ([]storage.Scope, error) {
	rows, err := s.pool.Query(ctx, `SELECT `+scopeCols+` FROM scopes ORDER BY name COLLATE "C"`)
	scs, err := scanAll(rows, err, scanScope)
	return scs, s.wrap("list scopes", err)
}

// DeleteScope deletes the scope with this name; ErrNotFound when there is
// none.
func (s *Store) DeleteScope(ctx context.Context, name string) error {
	return s.execOne(ctx, "delete scope", `DELETE FROM scopes WHERE name = $1`, name)
}
