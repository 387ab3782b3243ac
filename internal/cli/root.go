package cli

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"
)

// NewCmdRoot returns the hubauth command with every subcommand. Errors are
// returned, not printed: Main prints them.
func NewCmdRoot(f *Factory) *cobra.Command {
	root := &cobra.Command{
		Use:           "hubauth",
		Short:         "Log in to a research data platform, or run its authentication server",
		SilenceErrors: true,
		SilenceUsage:  true,
		Args:          cobra.ArbitraryArgs, // unknown commands: runGroup
		RunE:          runGroup,
	}
	root.SetIn(f.IOStreams.In)
	root.SetOut(f.IOStreams.Out)
	root.SetErr(f.IOStreams.ErrOut)
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error {
		return &UsageError{Err: err}
	})
	root.AddCommand(NewCmdServe(f, nil), NewCmdAdmin(f))
	user := []*cobra.Command{NewCmdLogin(f, nil), NewCmdLogout(f, nil), NewCmdStatus(f, nil),
		NewCmdToken(f, nil), NewCmdWhoami(f, nil), NewCmdAPI(f, nil),
		NewCmdTokens(f), NewCmdSessions(f), NewCmdUsers(f), NewCmdGroups(f)}
	for _, c := range user {
		c.PersistentFlags().Bool(flagInsecureHTTP, false,
			"allow plain http to a server that is not on this machine (anyone on the network can read the credentials; also HUBAUTH_INSECURE_HTTP=1)")
	}
	root.AddCommand(user...)
	return root
}

// newGroup returns a command that only holds subcommands: alone it prints
// its help, with an unknown subcommand it is a usage error.
func newGroup(use, short string, subs ...*cobra.Command) *cobra.Command {
	cmd := &cobra.Command{Use: use, Short: short, RunE: runGroup}
	cmd.AddCommand(subs...)
	return cmd
}

// runGroup is the RunE of commands that only hold subcommands. cobra runs
// it when no subcommand matched.
func runGroup(cmd *cobra.Command, args []string) error {
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
	return usageErrorf("%s", msg)
}

// exactArgs accepts exactly the named positional arguments, e.g.
// exactArgs("NAME", "USER"); exactArgs() accepts none.
func exactArgs(names ...string) cobra.PositionalArgs {
	return func(_ *cobra.Command, args []string) error {
		switch {
		case len(args) < len(names):
			return usageErrorf("missing %s", strings.Join(names[len(args):], " "))
		case len(args) > len(names):
			return usageErrorf("unexpected argument %q", args[len(names)])
		}
		return nil
	}
}
