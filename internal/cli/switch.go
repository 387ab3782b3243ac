package cli

import (
	"errors"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/hubauth/hubauth/client"
	"github.com/hubauth/hubauth/internal/cli/cmdutil"
)

// SwitchOptions are the inputs of `hubauth switch`.
type SwitchOptions struct {
	userOptions
	// SetDefault is client.SetDefaultProfile in the data directory.
	SetDefault func(server, profile string) error
}

// NewCmdSwitch returns `hubauth switch`.
func NewCmdSwitch(f *Factory, runF func(*SwitchOptions) error) *cobra.Command {
	opts := &SwitchOptions{}
	cmd := &cobra.Command{
		Use:   "switch [--server URL] --profile P",
		Short: "Choose the profile a server uses when none is named",
		Long: `Make P the default profile of a server: every command on that server uses
it when neither --profile nor HUBAUTH_PROFILE names one. P must have a stored
session (hubauth profiles list shows them); the choice is kept with that
session in tokens.json and ends when it is logged out. The server is --server,
else HUBAUTH_SERVER, else the only server with a session for P.`,
		Example: `  hubauth login --server https://auth.example.org --profile work
  hubauth switch --server https://auth.example.org --profile work
  hubauth token    # the work profile's token`,
		Args: cmdutil.ExactArgs(),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.setup(f, cmd)
			opts.Profile = f.profile(opts.Profile)
			if opts.Profile == "" {
				return cmdutil.UsageErrorf("name the profile to switch to: --profile P")
			}
			opts.SetDefault = f.setDefaultProfile
			return runOrF(opts, runF, switchRun)
		},
	}
	return cmd
}

func switchRun(o *SwitchOptions) error {
	server, err := o.server()
	if err != nil {
		return err
	}
	err = o.SetDefault(server, o.Profile)
	if errors.Is(err, client.ErrNotLoggedIn) {
		c := &userClient{Server: server, Profile: o.Profile}
		return &AuthError{Message: fmt.Sprintf("no session stored for %s: run hubauth login --server %s --profile %s", c.where(), server, o.Profile), Err: err}
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(o.IO.ErrOut, "The default profile of %s is now %s.\n", server, o.Profile)
	return nil
}

// setDefaultProfile is client.SetDefaultProfile in the data directory.
func (f *Factory) setDefaultProfile(server, profile string) error {
	if f.envBool(envNoStore) {
		return cmdutil.UsageErrorf("HUBAUTH_NO_STORE is set: no profile is stored to switch to")
	}
	dir, err := f.sessionDir()
	if err != nil {
		return fmt.Errorf("find the data directory: %w (set HUBAUTH_DATA_DIR)", err)
	}
	return client.SetDefaultProfile(dir, server, profile)
}
