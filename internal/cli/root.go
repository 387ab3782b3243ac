package cli

import (
	"github.com/spf13/cobra"

	"github.com/hubauth/hubauth/internal/cli/admincmd"
	"github.com/hubauth/hubauth/internal/cli/cmdutil"
)

// NewCmdRoot returns the hubauth command with every subcommand. Errors are
// returned, not printed: Main prints them.
func NewCmdRoot(f *Factory) *cobra.Command {
	root := &cobra.Command{
		Use:           "hubauth",
		Short:         "Log in to a research data platform, or run its authentication server",
		SilenceErrors: true,
		SilenceUsage:  true,
		Args:          cobra.ArbitraryArgs, // unknown commands: cmdutil.RunGroup
		RunE:          cmdutil.RunGroup,
	}
	root.SetIn(f.IOStreams.In)
	root.SetOut(f.IOStreams.Out)
	root.SetErr(f.IOStreams.ErrOut)
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error {
		return &UsageError{Err: err}
	})
	admin := &admincmd.Factory{IOStreams: f.IOStreams, Now: f.Now, OpenStore: f.OpenStore, HashPassword: f.HashPassword, Getenv: f.Getenv}
	root.AddCommand(NewCmdServe(f, nil), admincmd.NewCmdAdmin(admin))
	user := []*cobra.Command{NewCmdLogin(f, nil), NewCmdLogout(f, nil), NewCmdStatus(f, nil),
		NewCmdToken(f, nil), NewCmdWhoami(f, nil), NewCmdAPI(f, nil),
		NewCmdTokens(f), NewCmdSessions(f), NewCmdUsers(f), NewCmdGroups(f),
		NewCmdProfiles(f), NewCmdSwitch(f, nil), NewCmdExec(f, nil), NewCmdCredential(f)}
	for _, c := range user {
		addUserFlags(c) // --server, --profile, --insecure-http, --store
	}
	root.AddCommand(user...)
	return root
}
