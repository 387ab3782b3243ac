package admincmd

import (
	"github.com/spf13/cobra"

	"github.com/hubauth/hubauth/internal/admin"
	"github.com/hubauth/hubauth/internal/cli/cmdutil"
)

// UserSetPasswordOptions are the inputs of `hubauth admin user set-password`.
type UserSetPasswordOptions struct {
	adminOptions
	Username      string
	PasswordStdin bool
	// KeepSessions leaves the user signed in where they are; by default a
	// new password ends their login and browser sessions.
	KeepSessions bool
	// RevokeTokens revokes the user's personal tokens too.
	RevokeTokens bool
}

// NewCmdUserSetPassword returns `hubauth admin user set-password NAME
// --password-stdin [--keep-sessions | --revoke-tokens]`.
func NewCmdUserSetPassword(f *Factory, runF func(*UserSetPasswordOptions) error) *cobra.Command {
	opts := &UserSetPasswordOptions{}
	cmd := &cobra.Command{
		Use:   "set-password NAME --password-stdin",
		Short: "Set a user's password, reading it from standard input, and sign them out",
		Long: "Set a user's password, reading it from standard input. Whoever knew the old password may\n" +
			"have signed in with it, so the user's login sessions (refresh tokens) and browser sessions\n" +
			"end, unless --keep-sessions. Personal tokens are kept unless --revoke-tokens.",
		Args: cmdutil.ExactArgs("NAME"),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.adminOptions = newAdminOptions(f, cmd)
			opts.Username = args[0]
			if !opts.PasswordStdin {
				return errNeedPasswordStdin
			}
			if opts.KeepSessions && opts.RevokeTokens {
				return cmdutil.UsageErrorf("--keep-sessions and --revoke-tokens do not go together: --keep-sessions ends nothing")
			}
			if runF != nil {
				return runF(opts)
			}
			return userSetPasswordRun(opts)
		},
	}
	cmd.Flags().BoolVar(&opts.PasswordStdin, "password-stdin", false, "read the password from one line of standard input (required)")
	cmd.Flags().BoolVar(&opts.KeepSessions, "keep-sessions", false, "keep the user's login and browser sessions")
	cmd.Flags().BoolVar(&opts.RevokeTokens, "revoke-tokens", false, "revoke the user's personal tokens too")
	return cmd
}

func userSetPasswordRun(opts *UserSetPasswordOptions) error {
	pw, err := readPassword(opts.IO)
	if err != nil {
		return err
	}
	return opts.withAdmin(func(a *admin.Admin) error {
		change := admin.PasswordChange{KeepSessions: opts.KeepSessions, RevokeTokens: opts.RevokeTokens}
		outcome, err := a.SetPassword(opts.Ctx, opts.Username, pw, change)
		if err != nil {
			return err
		}
		opts.printf("Set the password of user %q; %s.\n", opts.Username, outcome)
		return nil
	})
}
