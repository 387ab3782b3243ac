package cli

import (
	"context"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/hubauth/hubauth/internal/storage"
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
	HashPassword func(ctx context.Context, pw string) (string, error)
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
		Args: exactArgs("NAME"),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.adminOptions = newAdminOptions(f, cmd)
			opts.Username = args[0]
			opts.HashPassword = f.HashPassword
			if !opts.PasswordStdin {
				return errNeedPasswordStdin
			}
			if opts.KeepSessions && opts.RevokeTokens {
				return usageErrorf("--keep-sessions and --revoke-tokens do not go together: --keep-sessions ends nothing")
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
	hash, err := opts.HashPassword(opts.Ctx, pw)
	if err != nil {
		return fmt.Errorf("hash password: %w", err)
	}
	return opts.withStore(func(s storage.Storage) error {
		id, err := updateUser(opts.Ctx, s, opts.Username, func(u storage.User) storage.User {
			u.PasswordHash = hash
			return u
		})
		if err != nil {
			return err
		}
		outcome := "sessions and personal tokens kept (--keep-sessions)"
		if !opts.KeepSessions {
			ended, err := s.EndUserSessions(opts.Ctx, id, opts.Now().UTC(), opts.RevokeTokens)
			if err != nil {
				return fmt.Errorf("the password is set, but ending the user's sessions failed (run the command again): %w", err)
			}
			outcome = endedSummary(ended, opts.RevokeTokens)
		}
		detail := "set password of user " + opts.Username + "; " + outcome
		if err := opts.audit(s, storage.AuditEvent{UserID: id, Detail: detail}); err != nil {
			return err
		}
		opts.printf("Set the password of user %q; %s.\n", opts.Username, outcome)
		return nil
	})
}

// endedSummary says what EndUserSessions ended, e.g. "ended 2 login
// sessions and 1 browser session; personal tokens kept".
func endedSummary(e storage.EndedSessions, tokens bool) string {
	parts := []string{plural(e.Sessions, "login session"), plural(e.BrowserSessions, "browser session")}
	if !tokens {
		return "ended " + strings.Join(parts, " and ") + "; personal tokens kept (--revoke-tokens revokes them)"
	}
	return "ended " + strings.Join(parts, ", ") + " and " + plural(e.PersonalTokens, "personal token")
}

// plural is n with noun, plural unless n is 1.
func plural(n int64, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
