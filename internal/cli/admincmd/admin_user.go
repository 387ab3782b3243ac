package admincmd

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/hubauth/hubauth/internal/admin"
	"github.com/hubauth/hubauth/internal/cli/cmdutil"
)

func newCmdAdminUser(f *Factory) *cobra.Command {
	return cmdutil.NewGroup("user", "Manage users",
		NewCmdUserAdd(f, nil),
		NewCmdUserList(f, nil),
		NewCmdUserDisable(f, nil, true),
		NewCmdUserDisable(f, nil, false),
		NewCmdUserSetPassword(f, nil),
		NewCmdUserResetMFA(f, nil),
		NewCmdUserLink(f, nil, false),
		NewCmdUserLink(f, nil, true),
		NewCmdUserIdentities(f, nil),
	)
}

// UserAddOptions are the inputs of `hubauth admin user add`.
type UserAddOptions struct {
	adminOptions
	Username      string
	Name          string
	Email         string
	Admin         bool
	PasswordStdin bool
}

// NewCmdUserAdd returns `hubauth admin user add NAME --password-stdin`.
func NewCmdUserAdd(f *Factory, runF func(*UserAddOptions) error) *cobra.Command {
	opts := &UserAddOptions{}
	cmd := &cobra.Command{
		Use:     "add NAME --password-stdin [--email E] [--name FULLNAME] [--admin]",
		Short:   "Add a user, reading the password from standard input",
		Example: "  printf '%s\\n' \"$PASSWORD\" | hubauth admin user add alice --email alice@example.org --password-stdin",
		Args:    cmdutil.ExactArgs("NAME"),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.adminOptions = newAdminOptions(f, cmd)
			opts.Username = args[0]
			if !opts.PasswordStdin {
				return errNeedPasswordStdin
			}
			if runF != nil {
				return runF(opts)
			}
			return userAddRun(opts)
		},
	}
	cmd.Flags().StringVar(&opts.Email, "email", "", "e-mail address")
	cmd.Flags().StringVar(&opts.Name, "name", "", "full name")
	cmd.Flags().BoolVar(&opts.Admin, "admin", false, "make the user a hub administrator")
	cmd.Flags().BoolVar(&opts.PasswordStdin, "password-stdin", false, "read the password from one line of standard input (required)")
	return cmd
}

func userAddRun(opts *UserAddOptions) error {
	n := admin.NewUser{Username: opts.Username, Name: opts.Name, Email: opts.Email, Admin: opts.Admin}
	if err := n.Check(); err != nil {
		return err
	}
	pw, err := readPassword(opts.IO)
	if err != nil {
		return err
	}
	return opts.withAdmin(func(a *admin.Admin) error {
		u, err := a.AddUser(opts.Ctx, n, pw)
		if err != nil {
			return err
		}
		opts.printf("Added user %q.\n", u.Username)
		fmt.Fprintln(opts.IO.Out, u.ID)
		return nil
	})
}
