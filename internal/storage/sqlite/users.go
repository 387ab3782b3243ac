package sqlite

import (
	"context"

	"github.com/hubauth/hubauth/internal/storage"
)

const userCols = `id, username, name, email, email_verified, password_hash, admin, disabled, created_at`

var memberCols = prefixed("u.", userCols)

// userDest lists where a userCols row goes in u.
func userDest(u *storage.User) []any {
	return []any{&u.ID, &u.Username, &u.Name, &u.Email, &u.EmailVerified, &u.PasswordHash,
		&u.Admin, &u.Disabled, timeCol{&u.CreatedAt}}
}

func scanUser(sc scanner) (storage.User, error) {
	var u storage.User
	err := sc.Scan(userDest(&u)...)
	return u, err
}

// CreateUser stores a new user; ErrAlreadyExists when the id or the username
// is taken.
func (s *Store) CreateUser(ctx context.Context, u storage.User) error {
	_, err := s.exec(ctx, "create user", `INSERT INTO users (`+userCols+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		u.ID, u.Username, u.Name, u.Email, u.EmailVerified, u.PasswordHash, u.Admin, u.Disabled, nanos(u.CreatedAt))
	return err
}

// GetUser returns the user with this id.
func (s *Store) GetUser(ctx context.Context, id string) (storage.User, error) {
	return s.getUser(ctx, s.rq, "get user", `id = ?`, id)
}

// GetUserByUsername returns the user with this username (exact match).
func (s *Store) GetUserByUsername(ctx context.Context, username string) (storage.User, error) {
	return s.getUser(ctx, s.rq, "get user", `username = ?`, username)
}

func (s *Store) getUser(ctx context.Context, q querier, op, where string, arg any) (storage.User, error) {
	u, err := scanUser(q.QueryRowContext(ctx, `SELECT `+userCols+` FROM users WHERE `+where, arg))
	return u, s.wrap(op, err)
}

// ListUsers lists every user, sorted by username.
func (s *Store) ListUsers(ctx context.Context) ([]storage.User, error) {
	rows, err := s.rq.QueryContext(ctx, `SELECT `+userCols+` FROM users ORDER BY username`)
	us, err := scanAll(rows, err, scanUser)
	return us, s.wrap("list users", err)
}

// GetUsersByEmail lists the users whose e-mail address is email, in any
// case (SQLite's lower(): ASCII letters), sorted by username.
func (s *Store) GetUsersByEmail(ctx context.Context, email string) ([]storage.User, error) {
	if email == "" {
		return nil, nil
	}
	rows, err := s.rq.QueryContext(ctx, `SELECT `+userCols+` FROM users WHERE email <> '' AND lower(email) = lower(?) ORDER BY username`, email)
	us, err := scanAll(rows, err, scanUser)
	return us, s.wrap("get users by e-mail", err)
}

// UpdateUser applies update to the stored user inside one write transaction.
// The ID cannot change. An error from update is returned as it is and
// nothing is written. update must not write to the Store (it would wait for
// the writer it is running in).
func (s *Store) UpdateUser(ctx context.Context, id string, update func(storage.User) (storage.User, error)) error {
	const op = "update user"
	return s.write(ctx, op, func(tx querier) error {
		old, err := s.getUser(ctx, tx, op, `id = ?`, id)
		if err != nil {
			return err
		}
		u, err := update(old)
		if err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `UPDATE users SET username = ?, name = ?, email = ?, email_verified = ?,
			password_hash = ?, admin = ?, disabled = ?, created_at = ? WHERE id = ?`,
			u.Username, u.Name, u.Email, u.EmailVerified, u.PasswordHash, u.Admin, u.Disabled, nanos(u.CreatedAt), id)
		return s.wrap(op, err)
	})
}

// CreateGroup stores a new group; ErrAlreadyExists when the name is taken.
func (s *Store) CreateGroup(ctx context.Context, g storage.Group) error {
	_, err := s.exec(ctx, "create group", `INSERT INTO groups (name, created_at) VALUES (?, ?)`,
		g.Name, nanos(g.CreatedAt))
	return err
}

// ListGroups lists every group, sorted by name.
func (s *Store) ListGroups(ctx context.Context) ([]storage.Group, error) {
	rows, err := s.rq.QueryContext(ctx, `SELECT name, created_at FROM groups ORDER BY name`)
	gs, err := scanAll(rows, err, func(sc scanner) (storage.Group, error) {
		var g storage.Group
		return g, sc.Scan(&g.Name, timeCol{&g.CreatedAt})
	})
	return gs, s.wrap("list groups", err)
}

// AddGroupMember adds a user to a group; ErrNotFound when either is missing
// (a foreign key), ErrAlreadyExists when the user is a member already.
func (s *Store) AddGroupMember(ctx context.Context, group, userID string) error {
	_, err := s.exec(ctx, "add group member",
		`INSERT INTO group_members (group_name, user_id) VALUES (?, ?)`, group, userID)
	return err
}

// RemoveGroupMember removes a user from a group; ErrNotFound when the user
// is not a member.
func (s *Store) RemoveGroupMember(ctx context.Context, group, userID string) error {
	return s.execOne(ctx, "remove group member",
		`DELETE FROM group_members WHERE group_name = ? AND user_id = ?`, group, userID)
}

// ListGroupMembers lists a group's members sorted by username; ErrNotFound
// for an unknown group.
func (s *Store) ListGroupMembers(ctx context.Context, group string) ([]storage.User, error) {
	const op = "list group members"
	var name string
	err := s.rq.QueryRowContext(ctx, `SELECT name FROM groups WHERE name = ?`, group).Scan(&name)
	if err != nil {
		return nil, s.wrap(op, err)
	}
	rows, err := s.rq.QueryContext(ctx, `SELECT `+memberCols+`
		FROM group_members m JOIN users u ON u.id = m.user_id
		WHERE m.group_name = ? ORDER BY u.username`, group)
	us, err := scanAll(rows, err, scanUser)
	return us, s.wrap(op, err)
}

// ListUserGroups lists the names of the groups a user belongs to, sorted;
// an unknown user has none.
func (s *Store) ListUserGroups(ctx context.Context, userID string) ([]string, error) {
	rows, err := s.rq.QueryContext(ctx,
		`SELECT group_name FROM group_members WHERE user_id = ? ORDER BY group_name`, userID)
	names, err := scanAll(rows, err, func(sc scanner) (string, error) {
		var n string
		return n, sc.Scan(&n)
	})
	return names, s.wrap("list user groups", err)
}
