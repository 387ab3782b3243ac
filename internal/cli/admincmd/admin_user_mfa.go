package admincmd

import (
	"errors"

	"github.com/spf13/cobra"

	"github.com/hubauth/hubauth/internal/admin"
	"github.com/hubauth/hubauth/internal/cli/cmdutil"
)

// UserResetMFAOptions are the inputs of `hubauth admin user reset-mfa`.
type UserResetMFAOptions struct {
	adminOptions
	Username string
}

// NewCmdUserResetMFA returns `hubauth admin user reset-mfa NAME`.
func NewCmdUserResetMFA(f *Factory, runF func(*UserResetMFAOptions) error) *cobra.Command {
	opts := &UserResetMFAOptions{}
	cmd := &cobra.Command{
		Use:   "reset-mfa NAME",
		Short: "Remove a user's second factors (a lost phone)",
		Long: "Remove the user's authenticator app and recovery codes. At the next sign-in\n" +
			"the password alone passes; where the hub requires a second factor\n" +
			"(serve --require-mfa) the user sets up a new one right after the password.\n" +
			"The change is in the audit log.",
		Args: cmdutil.ExactArgs("NAME"),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.adminOptions = newAdminOptions(f, cmd)
			opts.Username = args[0]
			if runF != nil {
				return runF(opts)
			}
			return userResetMFARun(opts)
		},
	}
	return cmd
}

func userResetMFARun(opts *UserResetMFAOptions) error {
	return opts.withAdmin(func(a *admin.Admin) error {
		err := a.ResetMFA(opts.Ctx, opts.Username)
		if errors.Is(err, admin.ErrNoSecondFactor) {
			opts.printf("User %q has no second factor: nothing to reset.\n", opts.Username)
			return nil
		}
		if err != nil {
			return err
		}
		opts.printf("Removed the second factors of user %q.\n", opts.Username)
		return nil
	})
}
