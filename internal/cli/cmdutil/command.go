// Package cmdutil holds what the hubauth commands share, the user commands
// of internal/cli and the admin commands of internal/cli/admincmd: the
// IOStreams, usage errors, command groups, tables and JSON output.
package cmdutil

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"
)

// UsageError is a command line that cannot be run as written: an unknown
// command or flag, a wrong number of arguments, a missing required flag.
// Main prints it with a pointer to --help and exits with ExitUsage.
type UsageError struct{ Err error }

// Error returns the underlying error's message.
func (e *UsageError) Error() string { return e.Err.Error() }

// Unwrap returns the underlying error.
func (e *UsageError) Unwrap() error { return e.Err }

// UsageErrorf returns a *UsageError with a formatted message.
func UsageErrorf(format string, args ...any) error {
	return &UsageError{Err: fmt.Errorf(format, args...)}
}

// NewGroup returns a command that only holds subcommands: alone it prints
// its help, with an unknown subcommand it is a usage error.
func NewGroup(use, short string, subs ...*cobra.Command) *cobra.Command {
	cmd := &cobra.Command{Use: use, Short: short, RunE: RunGroup}
	cmd.AddCommand(subs...)
	return cmd
}

// RunGroup is the RunE of commands that only hold subcommands. cobra runs
// it when no subcommand matched.
func RunGroup(cmd *cobra.Command, args []string) error {
	if len(args) == 0 {
		return cmd.Help()
	}
	msg := fmt.Sprintf("unknown command %q for %q", args[0], cmd.CommandPath())
	if cmd.SuggestionsMinimumDistance <= 0 {
		cmd.SuggestionsMinimumDistance = 2
	}
	if s := cmd.SuggestionsFor(args[0]); len(s) > 0 {
		msg += fmt.Sprintf("; did you mean %q?", s[0])
	}
	return UsageErrorf("%s", msg)
}

// ExactArgs accepts exactly the named positional arguments, e.g.
// ExactArgs("NAME", "USER"); ExactArgs() accepts none.
func ExactArgs(names ...string) cobra.PositionalArgs {
	return func(_ *cobra.Command, args []string) error {
		switch {
		case len(args) < len(names):
			return UsageErrorf("missing %s", strings.Join(names[len(args):], " "))
		case len(args) > len(names):
			return UsageErrorf("unexpected argument %q", args[len(names)])
		}
		return nil
	}
}
