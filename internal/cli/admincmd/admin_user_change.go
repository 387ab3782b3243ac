package admincmd

import (
	"errors"
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/hubauth/hubauth/internal/admin"
	"github.com/hubauth/hubauth/internal/cli/cmdutil"
)

// errNeedPasswordStdin is the usage error of a command run without
// --password-stdin: hubauth never takes a password as an argument, where
// it would show in the process list and the shell history.
var errNeedPasswordStdin = cmdutil.UsageErrorf("the password is read from standard input: pass --password-stdin and write the password as one line")

// readPassword reads the password: one line of standard input, without its
// line ending. An empty password is refused. On a terminal the input is
// echoed, so the operator is told what is being read.
func readPassword(ios *cmdutil.IOStreams) (string, error) {
	if ios.IsStdinTTY {
		fmt.Fprint(ios.ErrOut, "Password (one line, shown as typed): ")
	}
	pw, err := ios.ReadLine()
	if errors.Is(err, io.EOF) || (err == nil && pw == "") {
		return "", errors.New("empty password: write the password as one line on standard input")
	}
	if err != nil {
		return "", fmt.Errorf("read password: %w", err)
	}
	return pw, nil
}

// UserDisableOptions are the inputs of `hubauth admin user disable` and
// `user enable`.
type UserDisableOptions struct {
	adminOptions
	Username string
	Disable  bool // false: enable
}

// NewCmdUserDisable returns `hubauth admin user disable NAME`, or with
// disable false `user enable NAME`. A disabled user cannot log in, and the
// tokens of their sessions stop working; enabling them again restores both.
func NewCmdUserDisable(f *Factory, runF func(*UserDisableOptions) error, disable bool) *cobra.Command {
	opts := &UserDisableOptions{Disable: disable}
	cmd := &cobra.Command{
		Use:   "enable NAME",
		Short: "Let a disabled user log in again",
		Args:  cmdutil.ExactArgs("NAME"),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.adminOptions = newAdminOptions(f, cmd)
			opts.Username = args[0]
			if runF != nil {
				return runF(opts)
			}
			return userDisableRun(opts)
		},
	}
	if disable {
		cmd.Use, cmd.Short = "disable NAME", "Stop a user from logging in and using their tokens"
	}
	return cmd
}

func userDisableRun(opts *UserDisableOptions) error {
	return opts.withAdmin(func(a *admin.Admin) error {
		if err := a.SetUserDisabled(opts.Ctx, opts.Username, opts.Disable); err != nil {
			return err
		}
		opts.printf("%s user %q.\n", pastTense(opts.Disable), opts.Username)
		return nil
	})
}

// pastTense says what was done: "Disabled" or "Enabled".
func pastTense(disable bool) string {
	if disable {
		return "Disabled"
	}
	return "Enabled"
}
