package cli

import (
	"errors"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/hubauth/hubauth/client"
	"github.com/hubauth/hubauth/internal/cli/cmdutil"
	"github.com/hubauth/hubauth/internal/names"
)

// LogoutOptions are the inputs of `hubauth logout`.
type LogoutOptions struct {
	userOptions
	All bool
}

// NewCmdLogout returns `hubauth logout`.
//
// Logout revokes the session at the server (RFC 7009), then deletes it
// locally. When the server cannot be told (unreachable, or it refused),
// the session is still deleted: logout warns on standard error and exits
// 0, because the local session — what the user asked to end — is gone.
// Logging out where there is no session is not an error either (exit 0,
// with a note), so that scripts can log out unconditionally.
func NewCmdLogout(f *Factory, runF func(*LogoutOptions) error) *cobra.Command {
	opts := &LogoutOptions{}
	cmd := &cobra.Command{
		Use:   "logout [--server URL] [--profile P] [--all]",
		Short: "End the stored session: revoke it at the server and delete it",
		Long: `End the session stored for a server and profile: revoke it at the server,
then delete it from tokens.json. With --all, end every stored session.

If the server cannot be reached, the session is deleted all the same and a
warning says that the server was not told; the exit code is still 0.
HUBAUTH_TOKEN is not affected: unset it yourself.`,
		Args: cmdutil.ExactArgs(),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.setup(f, cmd)
			if opts.All && (opts.Server != "" || opts.Profile != "") {
				return cmdutil.UsageErrorf("--all ends every session: do not combine it with --server or --profile")
			}
			if runF != nil {
				return runF(opts)
			}
			return logoutRun(opts)
		},
	}
	cmd.Flags().BoolVar(&opts.All, "all", false, "end every stored session, for every server and profile")
	return cmd
}

func logoutRun(o *LogoutOptions) error {
	if o.All {
		return o.logoutAll()
	}
	if server, err := o.ResolveServer(o.Server, o.Profile); err != nil || server == "" {
		if err == nil {
			fmt.Fprintln(o.IO.ErrOut, "Not logged in: nothing to do.")
		}
		return err
	}
	c, err := o.client(ClientOptions{IgnoreEnvToken: true})
	if err != nil {
		return err
	}
	err = c.Logout(o.Ctx)
	switch {
	case errors.Is(err, client.ErrNotLoggedIn):
		fmt.Fprintf(o.IO.ErrOut, "Not logged in to %s: nothing to do.\n", c.where())
		return nil
	case errors.Is(err, client.ErrServerNotTold):
		err = o.warnNotTold(err)
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(o.IO.ErrOut, "Logged out of %s.\n", c.where())
	o.noteEnvToken()
	return nil
}

// logoutAll ends every stored session. The SDK's LogoutAll ignores its
// client's own server, so any valid URL makes that client.
func (o *LogoutOptions) logoutAll() error {
	c, err := o.NewClient(ClientOptions{Server: "http://127.0.0.1", IgnoreEnvToken: true, AllowInsecureHTTP: o.InsecureHTTP})
	if err != nil {
		return err
	}
	if err := c.LogoutAll(o.Ctx); err != nil {
		errs := []error{err}
		if j, ok := err.(interface{ Unwrap() []error }); ok {
			errs = j.Unwrap() // one per session, joined by LogoutAll
		}
		if err = o.warnNotTold(errs...); err != nil {
			return err
		}
	}
	fmt.Fprintln(o.IO.ErrOut, "Logged out of every stored session.")
	o.noteEnvToken()
	return nil
}

// warnNotTold prints, as warnings, the errors of sessions deleted here
// that the server was not told about (they stay valid there until they
// expire). The other failures are returned, on one line.
func (o *LogoutOptions) warnNotTold(errs ...error) error {
	var failed []string
	for _, e := range errs {
		if errors.Is(e, client.ErrServerNotTold) {
			fmt.Fprintf(o.IO.ErrOut, "hubauth: warning: %s\n", names.Escape(e.Error()))
		} else {
			failed = append(failed, e.Error())
		}
	}
	if len(failed) > 0 {
		return errors.New(strings.Join(failed, "; "))
	}
	return nil
}

// noteEnvToken reminds the user that HUBAUTH_TOKEN still authenticates.
func (o *LogoutOptions) noteEnvToken() {
	if o.Getenv(envToken) != "" {
		fmt.Fprintln(o.IO.ErrOut, "Note: HUBAUTH_TOKEN is still set: unset it too.")
	}
}
