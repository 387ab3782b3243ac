package cli

import (
	"context"
	"fmt"
	"net/mail"

	"github.com/spf13/cobra"

	"github.com/hubauth/hubauth/internal/names"
	"github.com/hubauth/hubauth/internal/secret"
	"github.com/hubauth/hubauth/internal/storage"
)

func newCmdAdminUser(f *Factory) *cobra.Command {
	return newGroup("user", "Manage users",
		NewCmdUserAdd(f, nil),
		NewCmdUserList(f, nil),
		NewCmdUserDisable(f, nil, true),
		NewCmdUserDisable(f, nil, false),
		NewCmdUserSetPassword(f, nil),
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
	HashPassword  func(ctx context.Context, pw string) (string, error)
}

// NewCmdUserAdd returns `hubauth admin user add NAME --password-stdin`.
func NewCmdUserAdd(f *Factory, runF func(*UserAddOptions) error) *cobra.Command {
	opts := &UserAddOptions{}
	cmd := &cobra.Command{
		Use:     "add NAME --password-stdin [--email E] [--name FULLNAME] [--admin]",
		Short:   "Add a user, reading the password from standard input",
		Example: "  printf '%s\\n' \"$PASSWORD\" | hubauth admin user add alice --email alice@example.org --password-stdin",
		Args:    exactArgs("NAME"),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.adminOptions = newAdminOptions(f, cmd)
			opts.Username = args[0]
			opts.HashPassword = f.HashPassword
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
	if err := names.CheckID("username", opts.Username); err != nil {
		return err
	}
	if err := names.CheckText("--name", opts.Name); err != nil {
		return err
	}
	if err := validateEmail(opts.Email); err != nil {
		return err
	}
	pw, err := readPassword(opts.IO)
	if err != nil {
		return err
	}
	hash, err := opts.HashPassword(opts.Ctx, pw)
	if err != nil {
		return fmt.Errorf("hash password: %w", err)
	}
	u := storage.User{
		ID:           secret.ID(),
		Username:     opts.Username,
		Name:         opts.Name,
		Email:        opts.Email,
		PasswordHash: hash,
		Admin:        opts.Admin,
		CreatedAt:    opts.Now().UTC(),
	}
	return opts.withStore(func(s storage.Storage) error {
		if err := s.CreateUser(opts.Ctx, u); err != nil {
			return describe(err, "user", u.Username)
		}
		detail := "add user " + u.Username
		if u.Admin {
			detail += " (admin)"
		}
		if err := opts.audit(s, storage.AuditEvent{UserID: u.ID, Detail: detail}); err != nil {
			return err
		}
		opts.printf("Added user %q.\n", u.Username)
		fmt.Fprintln(opts.IO.Out, u.ID)
		return nil
	})
}

// validateEmail accepts "" (no address) or a bare address.
func validateEmail(email string) error {
	if email == "" {
		return nil
	}
	a, err := mail.ParseAddress(email)
	if err != nil || a.Address != email {
		return fmt.Errorf("invalid e-mail address %q", email)
	}
	return nil
}
