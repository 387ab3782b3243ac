package cli

import (
	"time"

	"github.com/spf13/cobra"

	"github.com/hubauth/hubauth/client"
	"github.com/hubauth/hubauth/internal/cli/cmdutil"
)

// NewCmdProfiles returns `hubauth profiles`: the stored sessions.
func NewCmdProfiles(f *Factory) *cobra.Command {
	cmd := cmdutil.NewGroup("profiles", "List the stored servers and profiles",
		NewCmdProfilesList(f, nil))
	cmd.Long = `Every login is stored in tokens.json for a server and a profile (--profile,
default "default"). hubauth switch chooses the profile a server uses when
none is named.`
	return cmd
}

// ProfilesListOptions are the inputs of `hubauth profiles list`.
type ProfilesListOptions struct {
	userOptions
	JSON bool
	// Stored returns the stored sessions (client.StoredSessions of the
	// data directory; none with HUBAUTH_NO_STORE).
	Stored func() ([]client.SessionInfo, error)
}

// profileJSON is one entry of `hubauth profiles list --json` (an array),
// a stable format: default, then the fields of `hubauth status --json`:
//
//	default      bool      the profile used for this server when none is named
//	server … source        as status --json (never a token)
type profileJSON struct {
	Default bool `json:"default"`
	statusJSON
}

// NewCmdProfilesList returns `hubauth profiles list`.
func NewCmdProfilesList(f *Factory, runF func(*ProfilesListOptions) error) *cobra.Command {
	opts := &ProfilesListOptions{}
	cmd := &cobra.Command{
		Use:   "list [--server URL] [--profile P] [--json]",
		Short: "List every stored server and profile, with user and expiry; * marks each server's default",
		Long: `List every session stored in tokens.json: server, profile, user, login
method and when its access token expires. * marks the profile each server
uses when none is named (see hubauth switch). --server and --profile narrow
the list; HUBAUTH_SERVER and HUBAUTH_PROFILE do not. It sends no request and
shows no secret.`,
		Args: cmdutil.ExactArgs(),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.setup(f, cmd)
			opts.Stored = f.storedSessions
			return runOrF(opts, runF, profilesListRun)
		},
	}
	addJSONFlag(cmd, &opts.JSON, "the profiles")
	return cmd
}

func profilesListRun(o *ProfilesListOptions) error {
	list, err := o.Stored()
	if err != nil {
		return err
	}
	now := o.Now()
	out := []profileJSON{}
	for _, info := range list {
		if (o.Server != "" && !client.SameServer(o.Server, info.Server)) || (o.Profile != "" && o.Profile != info.Profile) {
			continue
		}
		s := newStatusJSON(&userClient{Server: info.Server, Profile: info.Profile}, info, true, now)
		out = append(out, profileJSON{Default: info.Default, statusJSON: s})
	}
	if o.JSON {
		return cmdutil.WriteJSON(o.IO.Out, out)
	}
	return writeProfiles(o, out, now)
}

// writeProfiles prints the profiles for a person.
func writeProfiles(o *ProfilesListOptions, list []profileJSON, now time.Time) error {
	t := cmdutil.NewTable(o.IO.Out, " ", "SERVER", "PROFILE", "USER", "METHOD", "EXPIRES")
	for _, p := range list {
		mark := " "
		if p.Default {
			mark = "*"
		}
		t.Row(mark, p.Server, p.Profile, p.Username, p.Method, describeExpiry(p.statusJSON, now))
	}
	return t.Flush()
}

// storedSessions lists the stored sessions: none with HUBAUTH_NO_STORE or
// without a data directory.
func (f *Factory) storedSessions() ([]client.SessionInfo, error) {
	if f.envBool(envNoStore) {
		return nil, nil
	}
	dir, err := f.sessionDir()
	if err != nil {
		return nil, nil
	}
	return client.StoredSessions(dir)
}
