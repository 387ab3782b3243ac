// Package admincmd holds the `hubauth admin` commands: users, groups,
// clients, scopes, upstream identity providers, signing keys and the audit
// log, changed straight in the database through internal/admin. The root
// command in internal/cli wires them in.
package admincmd

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/hubauth/hubauth/internal/admin"
	"github.com/hubauth/hubauth/internal/cli/cmdutil"
	"github.com/hubauth/hubauth/internal/storage"
)

// NewCmdAdmin returns `hubauth admin`: users, groups, clients, the
// platform's scopes, signing keys and the audit log, straight in the
// database. It works while a server runs
// on the same database.
func NewCmdAdmin(f *Factory) *cobra.Command {
	cmd := cmdutil.NewGroup("admin", "Manage users, groups, clients, scopes, keys and the audit log",
		newCmdAdminUser(f),
		newCmdAdminGroup(f),
		newCmdAdminClient(f),
		newCmdAdminScope(f),
		newCmdAdminAPI(f),
		newCmdAdminIDP(f),
		newCmdAdminKeys(f),
		NewCmdAudit(f, nil),
	)
	cmd.PersistentFlags().String("db", "",
		"database: sqlite:PATH, a file path or postgres://… (default $HUBAUTH_DB, else hubauth.db in the data directory)")
	return cmd
}

// adminOptions are the inputs every admin command shares.
type adminOptions struct {
	IO  *cmdutil.IOStreams
	Ctx context.Context
	Now func() time.Time
	// DB is the --db flag ("" for the default).
	DB           string
	OpenStore    func(ctx context.Context, db string) (storage.Storage, error)
	HashPassword func(ctx context.Context, pw string) (string, error)
}

// newAdminOptions fills adminOptions from the Factory and the running
// command's --db flag (inherited from `admin`).
func newAdminOptions(f *Factory, cmd *cobra.Command) adminOptions {
	db, _ := cmd.Flags().GetString("db") // absent when run without `admin`
	ctx := cmd.Context()
	if ctx == nil {
		ctx = context.Background()
	}
	return adminOptions{IO: f.IOStreams, Ctx: ctx, Now: f.Now, DB: db, OpenStore: f.OpenStore, HashPassword: f.HashPassword}
}

// withStore opens the database, runs fn and closes the database.
func (o *adminOptions) withStore(fn func(storage.Storage) error) (err error) {
	s, err := o.OpenStore(o.Ctx, o.DB)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, s.Close()) }()
	return fn(s)
}

// withAdmin opens the database and runs fn with the admin changes over it.
func (o *adminOptions) withAdmin(fn func(*admin.Admin) error) error {
	return o.withStore(func(s storage.Storage) error {
		return fn(admin.New(s, o.Now, o.HashPassword))
	})
}

// printf writes a message for the operator to standard error.
func (o *adminOptions) printf(format string, args ...any) {
	fmt.Fprintf(o.IO.ErrOut, format, args...)
}
