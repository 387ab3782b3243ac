package cli

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/hubauth/hubauth/client"
	"github.com/hubauth/hubauth/client/keyring"
	"github.com/hubauth/hubauth/internal/cli/cmdutil"
	"github.com/hubauth/hubauth/internal/names"
)

// Environment variables of the user commands (login, logout, status, token,
// whoami, api). Only the Factory reads them, through Factory.Getenv.
const (
	envServer  = "HUBAUTH_SERVER"   // the default server
	envToken   = "HUBAUTH_TOKEN"    // a token used as is, overriding the stored session
	envProfile = "HUBAUTH_PROFILE"  // the default profile
	envNoStore = "HUBAUTH_NO_STORE" // 1: keep nothing on disk
	envStore   = "HUBAUTH_STORE"    // file or keyring: as --store

	envInsecureHTTP = "HUBAUTH_INSECURE_HTTP" // 1: as --insecure-http
)

// flagInsecureHTTP lets the user commands use plain http to a server that
// is not loopback (client.Config.AllowInsecureHTTP).
const flagInsecureHTTP = "insecure-http"

// flagStore chooses where the user commands keep refresh tokens
// (client.Config.Store): file or keyring.
const flagStore = "store"

// ClientOptions choose the SDK client a user command gets from
// Factory.Client. Zero fields take their value from the environment, then
// from the SDK's defaults.
type ClientOptions struct {
	// Server is the provider's issuer URL; see Factory.ResolveServer.
	Server string
	// Profile is --profile; empty means HUBAUTH_PROFILE, else "default"
	// (the user commands pass Factory.ResolveProfile's choice).
	Profile      string
	ClientID     string
	ClientSecret string // a confidential client's (login's --client-secret-stdin)
	Scopes       []string
	// NoStore is --no-store; HUBAUTH_NO_STORE=1 sets it too.
	NoStore bool
	// Store is --store (file or keyring); empty means HUBAUTH_STORE, else
	// where the stored session keeps its refresh token.
	Store string
	// MinValid is token's --min-valid; zero means 60 seconds.
	MinValid time.Duration
	// AllowInsecureHTTP is --insecure-http; HUBAUTH_INSECURE_HTTP=1 sets
	// it too.
	AllowInsecureHTTP bool
	// IgnoreEnvToken leaves HUBAUTH_TOKEN out: login and logout work on
	// the stored session whatever the environment says.
	IgnoreEnvToken bool
}

// initClient installs the user commands' constructors on f.
func (f *Factory) initClient(env Env) {
	f.GOOS = env.GOOS
	f.OpenBrowser = browserOpener(env.Getenv, env.IO.ErrOut)
	f.ReadSecret = terminalSecretReader(env.IO)
	f.sessionDir = func() (string, error) { return DataDir(env.Getenv, env.GOOS, env.UserHomeDir) }
	f.Client = f.newClient
}

// newClient is the default Factory.Client.
func (f *Factory) newClient(opts ClientOptions) (*client.Client, error) {
	cfg := client.Config{
		Server: opts.Server, ClientID: opts.ClientID, ClientSecret: opts.ClientSecret, Scopes: opts.Scopes,
		Profile: f.profile(opts.Profile), NoStore: opts.NoStore || f.envBool(envNoStore),
		Store: cmp.Or(opts.Store, f.Getenv(envStore)), Keyring: keyring.System(),
		MinValid: opts.MinValid, Now: f.Now, AllowInsecureHTTP: opts.AllowInsecureHTTP || f.envBool(envInsecureHTTP),
		Warn: func(msg string) {
			fmt.Fprintf(f.IOStreams.ErrOut, "hubauth: warning: %s\n", names.Escape(msg))
		},
	}
	if !opts.IgnoreEnvToken {
		cfg.Token = strings.TrimSpace(f.Getenv(envToken))
	}
	if !cfg.NoStore {
		dir, err := f.sessionDir()
		switch {
		case err != nil && cfg.Token != "":
			cfg.NoStore = true // a CI job with HUBAUTH_TOKEN needs no home
		case err != nil:
			return nil, fmt.Errorf("find the data directory: %w (set HUBAUTH_DATA_DIR)", err)
		}
		cfg.DataDir = dir
	}
	return client.New(context.Background(), cfg) // New makes no request
}

// profile is flag, else HUBAUTH_PROFILE, else "" (the SDK's "default").
func (f *Factory) profile(flag string) string {
	if flag != "" {
		return flag
	}
	return f.Getenv(envProfile)
}

// envBool reports whether the environment variable name is set to a
// true value: any but "", "0", "false" and "no".
func (f *Factory) envBool(name string) bool { return envBool(f.Getenv, name) }

// envBool reads the environment variable name as a switch: unset, "",
// 0, false and no are off, anything else on.
func envBool(getenv func(string) string, name string) bool {
	switch strings.ToLower(strings.TrimSpace(getenv(name))) {
	case "", "0", "false", "no":
		return false
	}
	return true
}

// ResolveServer chooses the server of a user command: flag (--server) if
// set, else HUBAUTH_SERVER, else the only server with a session stored for
// profile (--profile, else HUBAUTH_PROFILE, else each server's default
// profile) or, when there is none, the only stored server at all. It
// returns "" with no error when nothing names a server; several candidates
// are a usage error that lists them.
func (f *Factory) ResolveServer(flag, profile string) (string, error) {
	if flag != "" {
		return flag, nil
	}
	if s := f.Getenv(envServer); s != "" {
		return s, nil
	}
	servers, err := f.storedServers(f.profile(profile))
	if err != nil || len(servers) == 0 {
		return "", err
	}
	if len(servers) > 1 {
		return "", cmdutil.UsageErrorf("sessions are stored for several servers (%s): choose one with --server or HUBAUTH_SERVER",
			strings.Join(servers, ", "))
	}
	return servers[0], nil
}

// storedServers lists the servers with a session for profile ("": for
// their default profile), or every stored server when there is none.
func (f *Factory) storedServers(profile string) ([]string, error) {
	list, err := f.storedSessions()
	if err != nil {
		return nil, err
	}
	var mine, all []string
	for _, s := range list {
		all = appendNew(all, s.Server)
		if s.Profile == profile || (profile == "" && s.Default) {
			mine = appendNew(mine, s.Server)
		}
	}
	if len(mine) > 0 {
		return mine, nil
	}
	return all, nil
}

// appendNew appends s to list unless it is there already.
func appendNew(list []string, s string) []string {
	if slices.Contains(list, s) {
		return list
	}
	return append(list, s)
}
