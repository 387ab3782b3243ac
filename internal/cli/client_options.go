package cli

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/hubauth/hubauth/client"
)

// userOptions are the inputs every user command (login, logout, status,
// token, whoami, api) shares: where to print, and how to find the server
// and make its client.
type userOptions struct {
	IO     *IOStreams
	Ctx    context.Context
	Now    func() time.Time
	Getenv func(string) string
	// Server is --server, Profile --profile ("" when not given).
	Server  string
	Profile string
	// InsecureHTTP is --insecure-http.
	InsecureHTTP bool
	// Store is --store: file or keyring.
	Store string
	// Command is the command's path, e.g. "hubauth tokens list".
	Command string
	// ResolveServer, ResolveProfile and NewClient are
	// Factory.ResolveServer, Factory.ResolveProfile and Factory.Client.
	ResolveServer  func(flag, profile string) (string, error)
	ResolveProfile func(flag, server string) (string, error)
	NewClient      func(opts ClientOptions) (*client.Client, error)
}

// setup fills in the dependencies from the Factory and the user flags
// every user command takes (see addUserFlags).
func (o *userOptions) setup(f *Factory, cmd *cobra.Command) {
	o.IO, o.Ctx, o.Now, o.Getenv = f.IOStreams, cmd.Context(), f.Now, f.Getenv
	if o.Ctx == nil {
		o.Ctx = context.Background()
	}
	o.ResolveServer, o.ResolveProfile, o.NewClient = f.ResolveServer, f.ResolveProfile, f.Client
	o.Server, o.Profile, o.InsecureHTTP = readUserFlags(cmd)
	o.Command = cmd.CommandPath()
	o.Store, _ = cmd.Flags().GetString(flagStore)
}

// server resolves the server (see Factory.ResolveServer); when nothing
// names one, the user is not logged in anywhere.
func (o *userOptions) server() (string, error) {
	s, err := o.ResolveServer(o.Server, o.Profile)
	if err == nil && s == "" {
		err = &AuthError{Message: "not logged in: run hubauth login --server URL (or set HUBAUTH_SERVER)", Err: client.ErrNotLoggedIn}
	}
	return s, err
}

// userClient is the SDK client of a user command, with the server and
// profile it was made for.
type userClient struct {
	*client.Client
	Server  string
	Profile string // never empty
	Command string // userOptions.Command
}

// client resolves the server and returns its client; co.Server and
// co.Profile are filled in.
func (o *userOptions) client(co ClientOptions) (*userClient, error) {
	server, err := o.server()
	if err != nil {
		return nil, err
	}
	profile, err := o.ResolveProfile(o.Profile, server)
	if err != nil {
		return nil, err
	}
	co.Server, co.Profile = server, profile
	co.AllowInsecureHTTP = co.AllowInsecureHTTP || o.InsecureHTTP
	co.Store = cmp.Or(co.Store, o.Store)
	c, err := o.NewClient(co)
	if err != nil {
		return nil, usageIfConfig(err)
	}
	return &userClient{Client: c, Server: server, Profile: profile, Command: o.Command}, nil
}

// usageIfConfig leaves the sessions file's errors as they are and makes
// the SDK's refusal of a server URL a usage error.
func usageIfConfig(err error) error {
	if errors.Is(err, client.ErrInsecureFile) || errors.Is(err, client.ErrCorruptStore) {
		return err
	}
	return &UsageError{Err: err}
}

// authError turns the SDK's "log in first" errors into messages that say
// which case it is and what to run; other errors pass unchanged.
func (c *userClient) authError(err error) error {
	info, has := c.Session()
	switch {
	case errors.Is(err, client.ErrSessionLost):
		return &AuthError{Message: "session lost: run " + c.loginCommand() + " (its refresh token is no longer in the keyring)", Err: err}
	case info.Source == client.SourceEnv && errors.Is(err, client.ErrSessionExpired):
		return &AuthError{Message: "the token in HUBAUTH_TOKEN has expired: set a new one, or unset it to use the stored session", Err: err}
	case info.Source == client.SourceEnv && errors.Is(err, client.ErrNotLoggedIn):
		return &AuthError{Message: "the server refused the token in HUBAUTH_TOKEN: set a new one, or unset it to use the stored session", Err: err}
	case errors.Is(err, client.ErrSessionExpired):
		return &AuthError{Message: "session expired or revoked: run " + c.loginCommand(), Err: err}
	case errors.Is(err, client.ErrNotLoggedIn) && has:
		return &AuthError{Message: "authentication required: run " + c.loginCommand(), Err: err}
	case errors.Is(err, client.ErrNotLoggedIn):
		return c.notLoggedIn()
	}
	return err
}

// notLoggedIn is the error of a command that needs a session c lacks.
func (c *userClient) notLoggedIn() error {
	return &AuthError{Message: fmt.Sprintf("not logged in to %s: run %s", c.where(), c.loginCommand()), Err: client.ErrNotLoggedIn}
}

// where names the server, and the profile unless it is the default.
func (c *userClient) where() string {
	if c.Profile != client.DefaultProfile {
		return fmt.Sprintf("%s (profile %s)", c.Server, c.Profile)
	}
	return c.Server
}

// loginCommand is the command that logs in again.
func (c *userClient) loginCommand() string {
	if c.Profile != client.DefaultProfile {
		return "hubauth login --profile " + c.Profile
	}
	return "hubauth login"
}
